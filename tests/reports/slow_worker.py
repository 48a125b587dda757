"""The Celery app of the worker-kill test: the service's own, plus a report kind slow enough to
kill a worker in the middle of it (SLOW_REPORT_SECONDS, read when the report's data loads).

Started as `celery -A tests.reports.slow_worker worker ...`; the test imports it too, so the
kind exists in both processes. Nothing here imports a model before Django is set up.
"""

import os
import time

from socialvalue.celery import app  # noqa: F401  (what `celery -A` looks for)
from socialvalue.reports import registry


def _slowly(subject, options) -> dict:
    time.sleep(float(os.environ.get("SLOW_REPORT_SECONDS", "0")))
    return {}


SLOW = registry.register(
    registry.ReportKind(
        key="test-slow",
        title="Slow report",
        subject_model="socialvalue.Organisation",
        permission="socialvalue.view_organisation",
        template="reports/document.html",
        load=_slowly,
        data_version=lambda subject, options: "1",
        organisation_of=lambda organisation: organisation,
    )
)
