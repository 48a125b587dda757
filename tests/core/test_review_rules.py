"""Rules found in the final review: who may add an authority is one permission rule, read the
same way by the page, the service and the links that offer it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from socialvalue.core import services
from socialvalue.models import Organisation
from tests.factories import UserFactory


def _add(actor):
    return services.authority_create(
        actor=actor,
        name="Eastmoor Borough Council",
        authority_type="local_authority",
        nation="england",
        admin_email="admin@eastmoor.example",
    )


@pytest.mark.django_db
def test_the_service_refuses_an_authority_added_by_someone_who_is_not_staff(commissioner):
    with pytest.raises(PermissionDenied):
        _add(commissioner)
    assert not Organisation.objects.filter(name="Eastmoor Borough Council").exists()


@pytest.mark.django_db
def test_an_inactive_staff_account_cannot_add_an_authority():
    with pytest.raises(PermissionDenied):
        _add(UserFactory(is_staff=True, is_active=False))


@pytest.mark.django_db
def test_staff_see_the_add_authority_link_and_others_do_not(client_for, commissioner):
    staff_page = client_for(UserFactory(is_staff=True)).get(reverse("account")).content.decode()
    assert reverse("status") in staff_page
    other_page = client_for(commissioner).get(reverse("account")).content.decode()
    assert reverse("status") not in other_page


def test_a_priority_offers_the_same_themes_as_the_measures_catalogue():
    from measurement.models import Theme
    from socialvalue.models import Priority

    assert Priority._meta.get_field("theme").choices == Theme.choices


def test_the_central_government_question_dates_the_change_of_regime_from_the_rules_data():
    from dataclasses import replace
    from datetime import date

    from socialvalue.act.engine import load_schedules
    from socialvalue.act.forms import ActCheckForm

    rules = load_schedules()
    moved = replace(
        rules,
        regimes=tuple(
            replace(r, effective_from=date(2025, 3, 1)) if r.code == "pa2023" else r
            for r in rules.regimes
        ),
    )
    hints = [
        field.help_text
        for name, field in ActCheckForm(rules=moved).fields.items()
        if name.startswith("central_")
    ]
    assert hints
    assert all("started before 1 March 2025" in hint for hint in hints)
    default = [
        f.help_text for n, f in ActCheckForm(rules=rules).fields.items() if n.startswith("central_")
    ]
    assert all("started before 24 February 2025" in hint for hint in default)
