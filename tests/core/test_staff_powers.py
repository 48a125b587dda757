"""Service staff run the service and get nothing inside an organisation: a superuser who is not a
member passes none of the project's rules about organisations' data, keeps the staff permissions,
sees the admin site read-only, and changes accounts and roles only through audited services."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from socialvalue.core import staff_services
from socialvalue.core.admin_base import may_view_in_admin
from socialvalue.definitions import services as definition_services
from socialvalue.models import AuditEntry, Membership, Role, User
from tenders.models import Bid, Tender
from tests.factories import UserFactory, person_with_role
from tests.tenders.factories import build_tender, draft_bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_a_superuser_passes_no_rule_about_an_organisations_data(
    superuser, commissioner, authority, procurement_officer, bidder, bidder_org
):
    definition = definition_services.definition_create(
        actor=commissioner, owner=authority, title="Draft", statement="Ours."
    )
    tender = build_tender(procurement_officer, authority)
    bid = draft_bid(bidder, bidder_org, tender)
    for permission, obj in [
        ("tenders.view_bid", bid),
        ("tenders.change_bid", bid),
        ("tenders.change_tender", tender),
        ("tenders.manage_tender", tender),
        ("socialvalue.change_definition", definition),
        ("socialvalue.adopt_definition", definition),
        ("socialvalue.manage_members", authority),
        ("socialvalue.manage_members", bidder_org),
        ("socialvalue.act_as_bidder", None),
    ]:
        assert not superuser.has_perm(permission, obj), permission
    # The people of the organisation still pass the same rules.
    assert bidder.has_perm("tenders.view_bid", bid)
    assert commissioner.has_perm("socialvalue.change_definition", definition)


def test_a_superuser_cannot_edit_another_authoritys_draft_definition(
    client_for, superuser, commissioner, authority
):
    definition = definition_services.definition_create(
        actor=commissioner, owner=authority, title="Draft", statement="Ours."
    )
    response = client_for(superuser).post(
        reverse("definition-edit", args=[definition.pk]),
        {"title": "Taken over", "statement": "Theirs."},
    )
    assert response.status_code == 403
    definition.refresh_from_db()
    assert definition.title == "Draft"
    with pytest.raises(PermissionDenied):
        definition_services.definition_update(
            actor=superuser, definition=definition, title="Taken over", statement="Theirs."
        )


def test_staff_keep_their_own_permissions(superuser):
    staff = UserFactory(is_staff=True)
    for person in (superuser, staff):
        for permission in (
            "socialvalue.view_status",
            "socialvalue.add_authority",
            "socialvalue.run_audit_check",
            "measurement.import_catalogue",
        ):
            assert person.has_perm(permission), (person, permission)
    assert not UserFactory().has_perm("socialvalue.add_authority")


def test_a_catalogue_editor_given_the_permission_in_the_admin_may_import(superuser):
    editor = UserFactory()
    assert not editor.has_perm("measurement.import_catalogue")
    editor.user_permissions.add(Permission.objects.get(codename="import_catalogue"))
    editor = type(editor).objects.get(pk=editor.pk)
    assert editor.has_perm("measurement.import_catalogue")


def test_django_admin_model_permissions_still_work_for_staff(superuser):
    assert superuser.has_perm("measurement.view_measure")
    assert may_view_in_admin(superuser, Tender._meta) and may_view_in_admin(superuser, Bid._meta)
    staff = UserFactory(is_staff=True)
    assert not may_view_in_admin(staff, Tender._meta)
    staff.user_permissions.add(Permission.objects.get(codename="view_tender"))
    staff = type(staff).objects.get(pk=staff.pk)
    assert may_view_in_admin(staff, Tender._meta)
    # A Django permission sharing a rule's name gives nothing outside the admin.
    officer = person_with_role(Role.PROCUREMENT_OFFICER)
    draft = build_tender(officer, officer.memberships.get().organisation, publish=False)
    assert not staff.has_perm("tenders.view_tender", draft)


def test_every_admin_page_is_read_only(client_for, superuser, bidder_org):
    request = type("Request", (), {"user": superuser})()
    for model, model_admin in admin.site._registry.items():
        if model is Group:
            continue  # Django's groups of Django permissions: who may see which admin pages
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        if model is not User:
            assert not model_admin.has_change_permission(request), model
    client = client_for(superuser)
    page = client.get(reverse("admin:socialvalue_organisation_change", args=[bidder_org.pk]))
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()


def test_the_admin_changes_only_access_flags_and_audits_them(client_for, superuser, bidder):
    client = client_for(superuser)
    url = reverse("admin:socialvalue_user_change", args=[bidder.pk])
    client.post(
        url,
        {"email": "taken@example.org", "full_name": "Taken", "is_active": "", "is_staff": "on"},
    )
    bidder.refresh_from_db()
    assert bidder.email != "taken@example.org" and bidder.full_name != "Taken"
    assert (bidder.is_active, bidder.is_staff) == (False, True)
    entry = AuditEntry.objects.get(action="user.access_changed")
    assert entry.actor == superuser and entry.data == {"is_active": False, "is_staff": True}
    catalogue = Permission.objects.get(codename="import_catalogue")
    client.post(url, {"is_staff": "on", "user_permissions": [catalogue.pk]})
    assert bidder.has_perm("measurement.import_catalogue") is False  # not active
    assert list(bidder.user_permissions.all()) == [catalogue]
    assert AuditEntry.objects.filter(action="user.access_changed").last().data == {
        "permissions": [str(catalogue)]
    }
    password_page = reverse("admin:auth_user_password_change", args=[bidder.pk])
    new_password = {"password1": "x" * 20, "password2": "x" * 20}
    assert client.post(password_page, new_password).status_code == 403
    assert client.get(reverse("admin:socialvalue_user_add")).status_code == 403


def test_staff_remove_a_role_with_a_reason_and_never_give_one(superuser, authority):
    evaluator = person_with_role(Role.EVALUATOR, authority)
    membership = Membership.objects.get(user=evaluator)
    with pytest.raises(ValidationError, match="Say why"):
        staff_services.membership_remove_by_staff(
            actor=superuser, membership=membership, reason=" "
        )
    with pytest.raises(PermissionDenied):
        staff_services.membership_remove_by_staff(
            actor=UserFactory(), membership=membership, reason="Left."
        )
    staff_services.membership_remove_by_staff(
        actor=superuser, membership=membership, reason="Left the council."
    )
    assert not Membership.objects.filter(user=evaluator).exists()
    entry = AuditEntry.objects.get(action="membership.removed_by_staff")
    assert entry.data["reason"] == "Left the council." and entry.organisation == authority
    assert (
        not hasattr(staff_services, "membership_add")
        and not Membership.objects.filter(user=superuser).exists()
    )


def test_the_last_admin_is_kept(superuser, org_admin):
    with pytest.raises(ValidationError, match="at least one admin"):
        staff_services.membership_remove_by_staff(
            actor=superuser, membership=Membership.objects.get(user=org_admin), reason="Misuse."
        )


def test_the_remove_membership_command(superuser, authority, capsys):
    evaluator = person_with_role(Role.EVALUATOR, authority)
    options = {
        "by": superuser.email,
        "person": evaluator.email,
        "organisation": authority.slug,
        "role": Role.EVALUATOR,
        "reason": "Left in May.",
    }
    call_command("remove_membership", **options)
    assert "Removed" in capsys.readouterr().out
    assert not Membership.objects.filter(user=evaluator).exists()
    with pytest.raises(CommandError, match="does not hold the role"):
        call_command("remove_membership", **options)
    with pytest.raises(CommandError, match="--by"):
        call_command("remove_membership", **{**options, "by": "nobody@example.org"})


def test_service_staff_read_the_admin_pages_they_need_and_no_others(client_for, authority):
    """Authorities, people, the catalogue and jobs, read-only; not tenders, bids or the audit
    trail unless given Django's permission on them."""
    staff = UserFactory(is_staff=True)
    client = client_for(staff)
    index = client.get(reverse("admin:index")).content.decode()
    assert "You don’t have permission to view or edit anything" not in index
    assert "You don't have permission to view or edit anything" not in index
    for name in (
        "socialvalue_organisation",
        "socialvalue_user",
        "socialvalue_invitation",
        "socialvalue_job",
        "measurement_measure",
        "measurement_proxyvalue",
    ):
        assert reverse(f"admin:{name}_changelist") in index, name
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    page = client.get(reverse("admin:socialvalue_organisation_change", args=[authority.pk]))
    assert page.status_code == 200 and authority.name in page.content.decode()
    assert 'name="name"' not in page.content.decode()
    for name in ("tenders_tender", "tenders_bid", "socialvalue_auditentry"):
        assert reverse(f"admin:{name}_changelist") not in index, name
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name
    # A person's access flags stay with those given Django's permission to change accounts.
    person = UserFactory()
    response = client.post(
        reverse("admin:socialvalue_user_change", args=[person.pk]), {"is_staff": "on"}
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert not person.is_staff


def test_people_who_are_not_staff_read_no_admin_page(client_for, commissioner):
    assert not may_view_in_admin(commissioner, User._meta)
    response = client_for(commissioner).get(reverse("admin:socialvalue_organisation_changelist"))
    assert response.status_code == 302
