"""Who may see a report: whoever may see its subject, asked through the kind's own permission.

The annual report's rule is here too, since its kind is the engine's own (its sections come from
the features).
"""

import rules

from socialvalue.core.models import OrganisationKind, Role
from socialvalue.core.permissions import holds_role_in_organisation, register_view_rule
from socialvalue.reports import registry
from socialvalue.reports.services import SubjectNotFound, may_have, subject_of


@rules.predicate
def may_see_subject(user, report) -> bool:
    if report is None:
        return False
    try:
        kind = registry.get(report.kind)
        subject = subject_of(kind, report.subject_id)
    except (registry.UnknownReportKind, SubjectNotFound):
        return False
    return may_have(user, kind, subject)


@rules.predicate
def is_authority(user, organisation) -> bool:
    return organisation is not None and organisation.kind == OrganisationKind.AUTHORITY


rules.add_perm("socialvalue.view_report", may_see_subject)
rules.add_perm(
    "socialvalue.view_annual_report",
    is_authority
    & holds_role_in_organisation(Role.COMMISSIONER, Role.PROCUREMENT_OFFICER, Role.ORG_ADMIN),
)
register_view_rule("socialvalue.Report", "socialvalue.view_report")
