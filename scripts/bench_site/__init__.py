"""The benchmark's site: the project's settings and URLs plus the reference page."""
