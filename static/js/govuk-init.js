// Starts GOV.UK Frontend's components. A file rather than an inline script, so the
// Content-Security-Policy allows no inline script but the js-enabled line in base.html.
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
