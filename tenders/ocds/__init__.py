"""Open Contracting Data Standard (OCDS 1.1) releases of published tenders.

`releases.py` writes each stage of a tender as a release (dicts ready for JSON); `schemas.py`
reads the standard's schema as vendored in `standard/` with the service's own extension
(`extension/`) patched on top, for the tests and for anyone checking an export.
"""
