"""Who may read and change the measures catalogue.

Every signed-in person may read and export it (bidders prepare against it). Importing and adding
proxy versions is for service staff; anyone else can be given it in the admin site as the model
permission "Can import the measures catalogue" (measurement.import_catalogue), which the rule
accepts (being a superuser alone does not: see User.has_perm).
"""

import rules

from socialvalue.core.permissions import (
    granted_in_admin,
    is_service_staff,
    register_staff_admin_page,
)


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


rules.add_perm("measurement.view_catalogue", is_signed_in)
rules.add_perm("measurement.export_catalogue", is_signed_in)
rules.add_perm(
    "measurement.import_catalogue",
    is_service_staff | granted_in_admin("measurement.import_catalogue"),
)

# Service staff keep the catalogue, so they read its admin pages.
register_staff_admin_page("measurement.Measure")
register_staff_admin_page("measurement.ProxyValue")
