"""python manage.py remove_membership: service staff take one role away from a person.

Example:
    python manage.py remove_membership --by staff@example.org --person left@example.org \\
        --organisation eastmoor-council --role evaluator --reason "Left the council in May."

For support cases the organisation's own admin cannot settle (a departed admin's second role, an
account misused). The change and its reason go into the audit trail; no command gives a role.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from socialvalue.core.staff_services import membership_remove_by_staff
from socialvalue.models import Membership, Role, User


class Command(BaseCommand):
    help = "Remove one role a person holds in an organisation, with the reason (audited)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--by", required=True, help="Email of the service staff acting.")
        parser.add_argument("--person", required=True, help="Email of the person.")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--reason", required=True, help="Why (kept in the audit trail).")

    def handle(self, *args, **options) -> None:
        actor = User.objects.filter(email__iexact=options["by"]).first()
        if actor is None:
            raise CommandError(f"--by: no account has the email address {options['by']}.")
        membership = (
            Membership.objects.select_related("user", "organisation")
            .filter(
                user__email__iexact=options["person"],
                organisation__slug=options["organisation"],
                role=options["role"],
            )
            .first()
        )
        if membership is None:
            raise CommandError(
                f"{options['person']} does not hold the role {options['role']} in "
                f"{options['organisation']}."
            )
        try:
            membership_remove_by_staff(actor=actor, membership=membership, reason=options["reason"])
        except PermissionDenied as error:
            raise CommandError(f"--by: {error}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {membership.user.email}'s role {membership.get_role_display()} "
                f"at {membership.organisation.name}."
            )
        )
