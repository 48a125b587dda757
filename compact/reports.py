"""What the consultation report and the decommissioning assessment show, gathered once: the
pages use these functions today, and the PDF reports (when the report engine lands) render the
same dictionaries with print templates. The caller has checked the reader's access."""

from __future__ import annotations

from compact import checks, selectors
from compact.models import Consultation, DecommissioningAssessment


def consultation_report_data(consultation: Consultation) -> dict:
    """A consultation with its 12-week check, the Compact's commitment and the rules applied."""
    rules = selectors.compact_rules(on_date=consultation.starts_on)
    return {
        "consultation": consultation,
        "length": checks.consultation_length(consultation.starts_on, consultation.ends_on, rules),
        "rules": rules,
        "commitment": selectors.national_compact().commitment("twelve_week_consultation"),
    }


def decommissioning_report_data(assessment: DecommissioningAssessment) -> dict:
    """An assessment with its notice check and the Compact's commitment on ending funding."""
    rules = selectors.compact_rules(on_date=assessment.notice_given_on)
    return {
        "assessment": assessment,
        "notice": checks.notice_given(assessment.notice_given_on, assessment.ends_on, rules),
        "rules": rules,
        "commitment": selectors.national_compact().commitment("decommissioning"),
    }
