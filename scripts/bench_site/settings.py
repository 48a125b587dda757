"""The project's settings, with the reference page's URL and template added."""

from socialvalue.settings import *  # noqa: F403
from socialvalue.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench_site.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "scripts" / "bench_site" / "templates"]
