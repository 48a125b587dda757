"""The schemas the service's releases follow, read from files in the repository (no network):
the OCDS 1.1.5 release schema patched with the standard extensions the releases use
(`standard/`, see its README for sources), and the service's own social value extension
(`extension/`) patched on top as a JSON Merge Patch (RFC 7386), as OCDS tools apply extensions."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STANDARD = HERE / "standard"
EXTENSION = HERE / "extension"

# The extensions' addresses for a package's `extensions` (standard/README.md names each). The
# service's own extension is served by the service itself (`api-ocds-extension`).
STANDARD_EXTENSIONS = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteriaBreakdown_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_submissionTerms_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_suitability_extension/master/extension.json",
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
)

# Performance failures (`contracts[].implementation.performanceFailures`), whose object the UK
# extension adds to: listed only in a package that publishes one. Its schema is not in the
# vendored standard/ (the shared schema carries the UK extension's additions alone), so those
# fields are not checked by the tests until it is vendored. The extension is the Open Contracting
# Partnership's own (open-contracting-extensions/ocds_performance_failures_extension, listed by
# the OCDS extension explorer as "Performance failures"); the UK extension's PerformanceFailure
# fields are checked against the shared schema.
PERFORMANCE_FAILURES_EXTENSION = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_performance_failures_extension/master/extension.json"

# The files of the service's extension that may be served, by name.
EXTENSION_FILES = {
    "extension.json": EXTENSION / "extension.json",
    "release-schema.json": EXTENSION / "release-schema.json",
    "codelists/socialValueTheme.csv": EXTENSION / "codelists" / "socialValueTheme.csv",
    "README.md": EXTENSION / "README.md",
}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@cache
def _release_schema() -> dict[str, Any]:
    return merge_patch(
        _load(STANDARD / "release-schema.json"), _load(EXTENSION / "release-schema.json")
    )


def release_schema() -> dict[str, Any]:
    """The release schema with every extension the service uses, the service's own included."""
    return copy.deepcopy(_release_schema())


def standard_release_schema() -> dict[str, Any]:
    """The release schema with the standard extensions only (the shared, patched 1.1.5)."""
    return _load(STANDARD / "release-schema.json")


def package_schema() -> dict[str, Any]:
    return _load(STANDARD / "release-package-schema.json")


def extension_patch() -> dict[str, Any]:
    return _load(EXTENSION / "release-schema.json")
