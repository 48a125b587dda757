// Copies GOV.UK Frontend's JavaScript and images (not its fonts: GDS Transport is reserved for GOV.UK)
// into static/build, so every asset is served by this application and no CDN is needed.
import { cpSync, mkdirSync } from "node:fs";

const dist = "node_modules/govuk-frontend/dist/govuk";
mkdirSync("static/build/assets", { recursive: true });
cpSync(`${dist}/govuk-frontend.min.js`, "static/build/govuk-frontend.min.js");
cpSync(`${dist}/assets/images`, "static/build/assets/images", { recursive: true });
