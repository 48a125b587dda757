"""Who may use the Social Value Act check: commissioners and procurement officers of the authority.

Objects are an authority (Organisation), a PlannedContract or an ActAssessment: each exposes
`organisation_id` (or is the organisation), so one predicate covers them all.
"""

import rules

from socialvalue.core.models import Role
from socialvalue.core.permissions import holds_role, holds_role_in_organisation, register_view_rule

ACT_ROLES = (Role.COMMISSIONER, Role.PROCUREMENT_OFFICER)

checks_for_authority = holds_role_in_organisation(*ACT_ROLES)

# Role-level: shows the navigation link and the list page (which lists only their authorities).
rules.add_perm("socialvalue.use_act_check", holds_role(*ACT_ROLES))
# The check over public law and figures the caller sends reveals nothing held: anyone may run it
# (the JSON API, signed in or not); recording an answer against a contract is the authority's.
rules.add_perm("socialvalue.run_act_check", rules.always_allow)
rules.add_perm("socialvalue.add_planned_contract", checks_for_authority)
rules.add_perm("socialvalue.view_planned_contract", checks_for_authority)
rules.add_perm("socialvalue.record_act_assessment", checks_for_authority)
rules.add_perm("socialvalue.view_act_assessment", checks_for_authority)

register_view_rule("socialvalue.PlannedContract", "socialvalue.view_planned_contract")
register_view_rule("socialvalue.ActAssessment", "socialvalue.view_act_assessment")
