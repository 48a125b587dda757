"""Local social value definitions: lifecycle, versions, priorities, access and the public
market statement."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from measurement.models import Measure
from socialvalue.definitions import selectors, services
from socialvalue.definitions.forms import AdoptForm
from socialvalue.models import AuditEntry, DefinitionStatus, LocalDefinition, Role
from tests.factories import (
    AuthorityFactory,
    CompactGroupFactory,
    MembershipFactory,
    UserFactory,
    person_with_role,
)
from tests.measurement.factories import MeasureFactory, ProxyValueFactory

pytestmark = pytest.mark.django_db


def draft_for(user, authority, *, review_group=None, title="Our social value"):
    return services.definition_create(
        actor=user,
        owner=authority,
        title=title,
        statement="Good work for local people.",
        review_group=review_group,
    )


def with_priority(user, definition, codes=("ECO-01",), outcome="Local jobs"):
    priority = services.priority_add(
        actor=user, definition=definition, theme="economic", outcome=outcome
    )
    services.priority_set_measures(
        actor=user, priority=priority, measures=list(Measure.objects.filter(code__in=codes))
    )
    return priority


def adopted_for(user, authority, **kwargs):
    definition = draft_for(user, authority, **kwargs)
    with_priority(user, definition)
    services.definition_submit(actor=user, definition=definition)
    return services.definition_adopt(actor=user, definition=definition)


def refresh(definition):
    return LocalDefinition.objects.get(pk=definition.pk)


# --- lifecycle --------------------------------------------------------------------------------


def test_a_commissioner_drafts_submits_and_adopts(commissioner, authority):
    definition = draft_for(commissioner, authority)
    assert definition.status == DefinitionStatus.DRAFT and definition.version == 1
    assert list(definition.authorities.all()) == [authority]
    with_priority(commissioner, definition)
    services.definition_submit(actor=commissioner, definition=definition)
    assert refresh(definition).status == DefinitionStatus.IN_REVIEW
    services.definition_adopt(actor=commissioner, definition=definition)
    adopted = refresh(definition)
    assert adopted.status == DefinitionStatus.ADOPTED
    assert adopted.effective_from == timezone.localdate()
    assert adopted.adopted_by == commissioner and adopted.submitted_by == commissioner
    assert selectors.adopted_definition_for(authority=authority) == adopted
    actions = list(
        AuditEntry.objects.filter(object_id=str(definition.pk)).values_list("action", flat=True)
    )
    assert {"definition.created", "definition.submitted", "definition.adopted"} <= set(actions)


@pytest.mark.parametrize(
    "status, transition, message",
    [
        ("draft", "adopt", "Submit this draft for review before adopting it"),
        ("draft", "return", "already a draft"),
        ("in_review", "submit", "already in review"),
        ("in_review", "new_version", "not adopted yet"),
        ("adopted", "submit", "already adopted"),
        ("adopted", "adopt", "already adopted"),
        ("adopted", "return", "cannot go back to draft"),
        ("superseded", "adopt", "cannot be adopted again"),
        ("superseded", "submit", "cannot be submitted"),
        ("draft", "new_version", "not adopted yet"),
    ],
)
def test_refused_transitions_say_why_and_change_nothing(
    commissioner, authority, status, transition, message
):
    definition = draft_for(commissioner, authority)
    with_priority(commissioner, definition)
    if status != "draft":
        services.definition_submit(actor=commissioner, definition=definition)
    if status in ("adopted", "superseded"):
        services.definition_adopt(actor=commissioner, definition=definition)
    if status == "superseded":
        successor = services.definition_new_version(actor=commissioner, definition=definition)
        services.definition_submit(actor=commissioner, definition=successor)
        services.definition_adopt(
            actor=commissioner,
            definition=successor,
            effective_from=timezone.localdate() + timedelta(days=1),
        )
    definition = refresh(definition)
    assert definition.status == status
    call = {
        "adopt": services.definition_adopt,
        "submit": services.definition_submit,
        "return": services.definition_return_to_draft,
        "new_version": services.definition_new_version,
    }[transition]
    with pytest.raises(ValidationError) as caught:
        call(actor=commissioner, definition=definition)
    assert message in " ".join(caught.value.messages)
    assert refresh(definition).status == status


def test_a_definition_with_no_priorities_cannot_be_submitted_or_adopted(commissioner, authority):
    definition = draft_for(commissioner, authority)
    with pytest.raises(ValidationError, match="at least one priority"):
        services.definition_submit(actor=commissioner, definition=definition)
    priority = with_priority(commissioner, definition)
    services.definition_submit(actor=commissioner, definition=definition)
    # Even if its priorities vanish while in review, adoption is refused.
    priority.delete()
    with pytest.raises(ValidationError, match="no priorities cannot be adopted"):
        services.definition_adopt(actor=commissioner, definition=refresh(definition))
    assert refresh(definition).status == DefinitionStatus.IN_REVIEW


def test_a_priority_without_measures_blocks_adoption(commissioner, authority):
    definition = draft_for(commissioner, authority)
    services.priority_add(
        actor=commissioner, definition=definition, theme="social", outcome="Healthier lives"
    )
    services.definition_submit(actor=commissioner, definition=definition)
    with pytest.raises(ValidationError, match="'Healthier lives' has no measures"):
        services.definition_adopt(actor=commissioner, definition=definition)


def test_returning_to_draft_allows_changes_and_records_the_reason(commissioner, authority):
    definition = draft_for(commissioner, authority)
    with_priority(commissioner, definition)
    services.definition_submit(actor=commissioner, definition=definition)
    with pytest.raises(ValidationError, match="in review"):
        services.priority_add(
            actor=commissioner, definition=definition, theme="social", outcome="X"
        )
    services.definition_return_to_draft(
        actor=commissioner, definition=definition, reason="Compact group asked for more"
    )
    services.priority_add(actor=commissioner, definition=definition, theme="social", outcome="X")
    entry = AuditEntry.objects.get(action="definition.returned_to_draft")
    assert entry.data["reason"] == "Compact group asked for more"


def test_adopting_a_new_version_supersedes_the_old_one_in_the_same_step(commissioner, authority):
    first = adopted_for(commissioner, authority)
    second = services.definition_new_version(actor=commissioner, definition=first)
    assert second.version == 2 and second.replaces == first
    assert [p.outcome for p in second.priorities.all()] == ["Local jobs"]
    services.definition_submit(actor=commissioner, definition=second)
    assert selectors.adopted_definition_for(authority=authority) == first  # until adopted
    start = timezone.localdate() + timedelta(days=10)
    services.definition_adopt(actor=commissioner, definition=second, effective_from=start)
    first, second = refresh(first), refresh(second)
    assert first.status == DefinitionStatus.SUPERSEDED
    assert first.effective_to == start - timedelta(days=1)
    assert second.status == DefinitionStatus.ADOPTED
    assert (
        LocalDefinition.objects.filter(
            authorities=authority, status=DefinitionStatus.ADOPTED
        ).count()
        == 1
    )
    # Each date finds the version in effect then.
    assert selectors.adopted_definition_for(authority=authority, on_date=start) == second
    assert (
        selectors.adopted_definition_for(authority=authority, on_date=start - timedelta(days=1))
        == first
    )


def test_a_new_version_cannot_take_effect_before_the_one_it_supersedes(commissioner, authority):
    first = adopted_for(commissioner, authority)
    second = services.definition_new_version(actor=commissioner, definition=first)
    services.definition_submit(actor=commissioner, definition=second)
    with pytest.raises(ValidationError) as caught:
        services.definition_adopt(
            actor=commissioner, definition=second, effective_from=first.effective_from
        )
    assert "effective_from" in caught.value.message_dict
    assert refresh(first).status == DefinitionStatus.ADOPTED


def test_a_new_version_adopted_the_same_day_starts_the_next_day_by_default(commissioner, authority):
    first = adopted_for(commissioner, authority)
    second = services.definition_new_version(actor=commissioner, definition=first)
    services.definition_submit(actor=commissioner, definition=second)
    services.definition_adopt(actor=commissioner, definition=second)
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert refresh(second).effective_from == tomorrow
    assert refresh(first).effective_to == timezone.localdate()


def test_every_version_is_kept_and_listed_in_history(commissioner, authority):
    first = adopted_for(commissioner, authority)
    second = services.definition_new_version(actor=commissioner, definition=first)
    services.priority_add(actor=commissioner, definition=second, theme="social", outcome="New")
    assert [p.outcome for p in refresh(first).priorities.all()] == ["Local jobs"]
    with pytest.raises(ValidationError, match="already follows"):
        services.definition_new_version(actor=commissioner, definition=first)
    assert [d.version for d in selectors.version_history(first)] == [2, 1]
    assert [d.version for d in selectors.version_history(second)] == [2, 1]


def test_a_joint_definition_supersedes_each_authoritys_own(commissioner, authority):
    own = adopted_for(commissioner, authority)
    group = CompactGroupFactory()
    other = AuthorityFactory()
    group_admin = person_with_role(Role.ORG_ADMIN, group)
    # Adopting puts it in force for both authorities, so their author adopts it (the group
    # alone may not: tests/definitions/test_adoption_access.py).
    for each in (authority, other):
        MembershipFactory(user=group_admin, organisation=each, role=Role.COMMISSIONER)
    joint = services.definition_create(
        actor=group_admin,
        owner=group,
        title="Joint",
        statement="Shared",
        authorities=[authority, other],
    )
    assert joint.review_group == group
    with_priority(group_admin, joint)
    services.definition_submit(actor=group_admin, definition=joint)
    assert [d.pk for d in services.versions_superseded_by(joint)] == [own.pk]
    services.definition_adopt(
        actor=group_admin, definition=joint, effective_from=timezone.localdate() + timedelta(1)
    )
    assert refresh(own).status == DefinitionStatus.SUPERSEDED
    assert selectors.adopted_definition_for(authority=other) == joint


def test_someone_from_another_authority_cannot_change_a_definition(commissioner, authority):
    definition = draft_for(commissioner, authority)
    stranger = person_with_role(Role.COMMISSIONER)
    evaluator = person_with_role(Role.EVALUATOR, authority)
    for person in (stranger, evaluator):
        with pytest.raises(PermissionDenied):
            services.priority_add(actor=person, definition=definition, theme="social", outcome="X")
        with pytest.raises(PermissionDenied):
            services.definition_submit(actor=person, definition=definition)


def test_a_target_must_be_positive(commissioner, authority):
    definition = draft_for(commissioner, authority)
    priority = with_priority(commissioner, definition)
    link = priority.measures.get()
    with pytest.raises(ValidationError) as caught:
        services.priority_measure_set_target(
            actor=commissioner, link=link, target_quantity=Decimal("-2")
        )
    assert "target_quantity" in caught.value.message_dict
    services.priority_measure_set_target(
        actor=commissioner, link=link, target_quantity=Decimal("40"), target_text="a year"
    )
    link.refresh_from_db()
    assert link.target_quantity == 40 and link.target_text == "a year"


def test_priorities_move_up_and_down(commissioner, authority):
    definition = draft_for(commissioner, authority)
    a = with_priority(commissioner, definition, outcome="A")
    with_priority(commissioner, definition, outcome="B")
    services.priority_move(actor=commissioner, priority=a, direction="down")
    assert [p.outcome for p in definition.priorities.order_by("order")] == ["B", "A"]


def test_an_inactive_measure_cannot_be_newly_chosen(commissioner, authority):
    definition = draft_for(commissioner, authority)
    priority = services.priority_add(
        actor=commissioner, definition=definition, theme="economic", outcome="Jobs"
    )
    retired = MeasureFactory(is_active=False)
    with pytest.raises(ValidationError, match="no longer in use"):
        services.priority_set_measures(actor=commissioner, priority=priority, measures=[retired])


# --- pages and access -------------------------------------------------------------------------


ROUTES = [
    ("definition-list", None),
    ("definition-create", None),
    ("definition-detail", "definition"),
    ("definition-edit", "definition"),
    ("definition-return", "definition"),
    ("definition-adopt", "definition"),
    ("definition-priority-add", "definition"),
    ("definition-priority", "priority"),
    ("definition-priority-edit", "priority"),
    ("definition-priority-remove", "priority"),
    ("definition-priority-measures", "priority"),
    ("definition-target", "link"),
]
POST_ROUTES = [
    ("definition-submit", "definition"),
    ("definition-new-version", "definition"),
    ("definition-priority-move", "priority"),
]


@pytest.fixture
def draft(commissioner, authority):
    definition = draft_for(commissioner, authority)
    priority = with_priority(commissioner, definition)
    return {"definition": definition, "priority": priority, "link": priority.measures.get()}


def url_for(name, key, objects):
    return reverse(name, args=[objects[key].pk] if key else [])


@pytest.mark.parametrize("name, key", ROUTES + POST_ROUTES)
def test_signed_out_visitors_are_sent_to_sign_in(client, draft, name, key):
    response = client.get(url_for(name, key, draft))
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


@pytest.mark.parametrize("name, key", ROUTES)
def test_the_owning_commissioner_reaches_every_page(client_for, commissioner, draft, name, key):
    response = client_for(commissioner).get(url_for(name, key, draft))
    assert response.status_code in (200, 302)  # adopt/return redirect a draft with a message


@pytest.mark.parametrize("name, key", [r for r in ROUTES if r[1]] + POST_ROUTES)
def test_a_commissioner_of_another_authority_is_refused(client_for, draft, name, key):
    stranger = person_with_role(Role.COMMISSIONER)
    client = client_for(stranger)
    url = url_for(name, key, draft)
    response = client.post(url) if (name, key) in POST_ROUTES else client.get(url)
    # Another authority's draft is not found: the refusal confirms nothing about it.
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.BIDDER, Role.EVALUATOR, Role.PROCUREMENT_OFFICER])
def test_roles_without_definitions_do_not_see_the_list(client_for, role):
    assert client_for(person_with_role(role)).get(reverse("definition-list")).status_code == 403


def test_the_authoritys_evaluator_reads_but_cannot_change(client_for, authority, draft):
    client = client_for(person_with_role(Role.EVALUATOR, authority))
    assert client.get(url_for("definition-detail", "definition", draft)).status_code == 200
    assert client.get(url_for("definition-edit", "definition", draft)).status_code == 403
    assert client.post(url_for("definition-submit", "definition", draft)).status_code == 403


def test_compact_members_of_the_reviewing_group_see_it_only_in_review(
    client_for, commissioner, authority
):
    group = CompactGroupFactory()
    member = person_with_role(Role.COMPACT_MEMBER, group)
    other_member = person_with_role(Role.COMPACT_MEMBER)
    definition = draft_for(commissioner, authority, review_group=group)
    with_priority(commissioner, definition)
    url = reverse("definition-detail", args=[definition.pk])
    assert client_for(member).get(url).status_code == 404  # a draft is not theirs to know of
    services.definition_submit(actor=commissioner, definition=definition)
    assert client_for(member).get(url).status_code == 200
    assert client_for(other_member).get(url).status_code == 404
    dashboard = client_for(member).get(reverse("dashboard")).content.decode()
    assert "Local definitions in review" in dashboard and definition.title in dashboard
    listing = client_for(member).get(reverse("definition-list")).content.decode()
    assert definition.title in listing
    # Reading is not changing.
    assert (
        client_for(member).post(reverse("definition-adopt", args=[definition.pk])).status_code
        == 403
    )


def test_the_lifecycle_in_the_browser_pages(client_for, commissioner, authority):
    client = client_for(commissioner)
    response = client.post(
        reverse("definition-create"),
        {"owner": authority.pk, "title": "Northfield social value", "statement": "Good work."},
    )
    definition = LocalDefinition.objects.get(title="Northfield social value")
    assert response["Location"] == definition.get_absolute_url()
    refused = client.post(reverse("definition-submit", args=[definition.pk]), follow=True)
    assert "Add at least one priority" in refused.content.decode()
    response = client.post(
        reverse("definition-priority-add", args=[definition.pk]),
        {"theme": "economic", "outcome": "Local jobs"},
    )
    priority = definition.priorities.get()
    assert response["Location"] == reverse("definition-priority-measures", args=[priority.pk])
    eco = Measure.objects.get(code="ECO-03")
    client.post(response["Location"], {"measures": [str(eco.pk)]})
    link = priority.measures.get()
    client.post(reverse("definition-target", args=[link.pk]), {"target_quantity": "12"})
    client.post(reverse("definition-submit", args=[definition.pk]))
    page = client.get(reverse("definition-adopt", args=[definition.pk])).content.decode()
    assert "Adopt and publish" in page
    client.post(reverse("definition-adopt", args=[definition.pk]), {"effective_from": ""})
    definition = refresh(definition)
    assert definition.status == DefinitionStatus.ADOPTED
    public = client.get(reverse("definition-market-statement", args=[authority.slug]))
    assert "ECO-03" in public.content.decode() and "12 person-month" in public.content.decode()


@pytest.mark.parametrize(
    "data, field_message",
    [
        ({"title": "", "statement": "x"}, "Enter a title."),
        ({"title": "x", "statement": ""}, "Enter a statement of what social value means"),
    ],
)
def test_a_bad_definition_form_shows_the_message_keeps_input_and_saves_nothing(
    client_for, commissioner, authority, data, field_message
):
    response = client_for(commissioner).post(
        reverse("definition-create"), {"owner": authority.pk, **data}
    )
    text = response.content.decode()
    assert field_message in text
    for value in data.values():
        if value:
            assert value in text
    assert not LocalDefinition.objects.exists()


def test_a_bad_target_shows_the_message_and_keeps_input(client_for, commissioner, draft):
    response = client_for(commissioner).post(
        reverse("definition-target", args=[draft["link"].pk]), {"target_quantity": "lots"}
    )
    text = response.content.decode()
    assert "Enter a target as a number" in text and 'value="lots"' in text


def test_a_bad_adoption_date_is_shown_next_to_the_field(client_for, commissioner, authority):
    first = adopted_for(commissioner, authority)
    second = services.definition_new_version(actor=commissioner, definition=first)
    services.definition_submit(actor=commissioner, definition=second)
    response = client_for(commissioner).post(
        reverse("definition-adopt", args=[second.pk]),
        {
            "effective_from_0": str(first.effective_from.day),
            "effective_from_1": str(first.effective_from.month),
            "effective_from_2": str(first.effective_from.year),
        },
    )
    assert "The date must be after" in response.content.decode()
    assert refresh(second).status == DefinitionStatus.IN_REVIEW


def test_the_proportionality_suggestion_shows_on_the_definition_page(
    client_for, commissioner, draft
):
    url = reverse("definition-detail", args=[draft["definition"].pk])
    page = client_for(commissioner).get(url, {"contract_value": "50000"}).content.decode()
    assert "Ask for at most 2 measures" in page
    page = client_for(commissioner).get(url, {"contract_value": "-5"}).content.decode()
    assert "A contract value cannot be negative" in page


def test_the_tenders_proportionality_function_answers_for_a_contract_value():
    from measurement.selectors import proportionality_for

    assert proportionality_for(contract_value=Decimal("99999.99")).max_measures == 2
    assert proportionality_for(contract_value="100000").max_measures == 4
    with pytest.raises(ValueError):
        proportionality_for(contract_value="-1")


# --- the market statement ---------------------------------------------------------------------


def test_the_market_statement_is_public_and_shows_only_adopted_content(
    client, commissioner, authority
):
    first = adopted_for(commissioner, authority, title="Adopted version")
    draft_next = services.definition_new_version(actor=commissioner, definition=first)
    services.definition_update(
        actor=commissioner, definition=draft_next, title="Draft wording", statement="Secret"
    )
    services.priority_add(
        actor=commissioner, definition=draft_next, theme="social", outcome="Unpublished priority"
    )
    for name in ("definition-market-statement", "definition-market-statement-print"):
        response = client.get(reverse(name, args=[authority.slug]))
        text = response.content.decode()
        assert response.status_code == 200
        assert "Adopted version" in text and "Local jobs" in text and "ECO-01" in text
        assert "Draft wording" not in text and "Unpublished priority" not in text
    index = client.get(reverse("definition-market-index")).content.decode()
    assert authority.name in index


@pytest.mark.parametrize(
    ("unit", "target", "shown", "not_shown"),
    [
        ("£ spent", Decimal("37500"), "£37,500 spent", "37,500 £ spent"),
        ("person-month", Decimal("60.50"), "60.5 person-month", "60.50 person-month"),
    ],
)
def test_a_target_reads_with_its_unit_on_every_definition_page(
    client_for, client, commissioner, authority, unit, target, shown, not_shown
):
    measure = MeasureFactory(unit=unit)
    definition = draft_for(commissioner, authority)
    priority = with_priority(commissioner, definition, codes=(measure.code,))
    services.priority_measure_set_target(
        actor=commissioner, link=priority.measures.get(), target_quantity=target
    )
    signed_in = client_for(commissioner)
    pages = [
        signed_in.get(reverse("definition-detail", args=[definition.pk])),
        signed_in.get(reverse("definition-priority", args=[priority.pk])),
    ]
    services.definition_submit(actor=commissioner, definition=definition)
    services.definition_adopt(actor=commissioner, definition=definition)
    client.logout()
    pages += [
        client.get(reverse(name, args=[authority.slug]))
        for name in ("definition-market-statement", "definition-market-statement-print")
    ]
    for response in pages:
        text = response.content.decode()
        assert shown in text and not_shown not in text, response.request["PATH_INFO"]


def test_an_authority_with_nothing_adopted_says_so(client, commissioner, authority):
    draft_for(commissioner, authority, title="Only a draft")
    text = client.get(
        reverse("definition-market-statement", args=[authority.slug])
    ).content.decode()
    assert "has not adopted a local social value definition yet" in text
    assert "Only a draft" not in text


def test_the_market_statement_is_only_for_authorities(client):
    group = CompactGroupFactory()
    assert client.get(reverse("definition-market-statement", args=[group.slug])).status_code == 404


def test_the_printable_statement_has_print_styles_and_no_navigation(
    client, commissioner, authority
):
    adopted_for(commissioner, authority)
    text = client.get(
        reverse("definition-market-statement-print", args=[authority.slug])
    ).content.decode()
    # The service's one stylesheet carries the print rules for .app-print-page.
    assert text.count('rel="stylesheet"') == 1 and "build/app.css" in text
    assert "app-print-page" in text
    assert "govuk-service-navigation" not in text and "govuk-header" not in text


def test_market_statement_queries_stay_constant_as_measures_grow(
    client, commissioner, authority, django_assert_max_num_queries
):
    definition = draft_for(commissioner, authority)
    for number in range(5):
        measures = [ProxyValueFactory().measure for _ in range(8)]
        priority = services.priority_add(
            actor=commissioner, definition=definition, theme="social", outcome=f"P{number}"
        )
        services.priority_set_measures(actor=commissioner, priority=priority, measures=measures)
    services.definition_submit(actor=commissioner, definition=definition)
    services.definition_adopt(actor=commissioner, definition=definition)
    url = reverse("definition-market-statement", args=[authority.slug])
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_definition_page_queries_stay_constant_as_priorities_grow(
    client_for, commissioner, authority, django_assert_max_num_queries
):
    definition = draft_for(commissioner, authority)
    for number in range(6):
        with_priority(
            commissioner, definition, codes=("ECO-01", "ECO-02", "SOC-01"), outcome=f"P{number}"
        )
    client = client_for(commissioner)
    # 17: one of them asks which adopted versions this draft would replace.
    with django_assert_max_num_queries(17):
        assert client.get(definition.get_absolute_url()).status_code == 200


# --- dashboard and demo -----------------------------------------------------------------------


def test_the_commissioner_panel_shows_the_adopted_definition_and_work_in_progress(
    client_for, commissioner, authority
):
    first = adopted_for(commissioner, authority, title="Adopted one")
    services.definition_new_version(actor=commissioner, definition=first)
    page = client_for(commissioner).get(reverse("dashboard")).content.decode()
    assert "Adopted one" in page and "version 2" in page and "Market statement" in page


def test_the_header_links_show_by_role(client_for, commissioner):
    page = client_for(commissioner).get(reverse("dashboard")).content.decode()
    assert 'href="/definitions/"' in page and 'href="/catalogue/"' in page
    bidder_page = (
        client_for(person_with_role(Role.BIDDER)).get(reverse("dashboard")).content.decode()
    )
    assert 'href="/definitions/"' not in bidder_page and 'href="/catalogue/"' in bidder_page


def test_the_demo_seeds_an_adopted_definition_once():
    from socialvalue.core.demo import seed_all

    seed_all()
    seed_all()
    definitions = LocalDefinition.objects.filter(owner__name="Northfield District Council")
    assert definitions.count() == 1
    definition = definitions.get()
    assert definition.status == DefinitionStatus.ADOPTED
    assert 3 <= definition.priorities.count() <= 5
    assert all(p.measures.exists() for p in definition.priorities.all())


def test_a_user_in_two_authorities_sees_each_ones_definitions(client_for, commissioner, authority):
    other = AuthorityFactory()
    MembershipFactory(user=commissioner, organisation=other, role=Role.COMMISSIONER)
    draft_for(commissioner, authority, title="First council")
    draft_for(commissioner, other, title="Second council")
    hidden_owner = UserFactory()
    MembershipFactory(user=hidden_owner, organisation=AuthorityFactory(), role=Role.COMMISSIONER)
    page = client_for(commissioner).get(reverse("definition-list")).content.decode()
    assert "First council" in page and "Second council" in page


def test_selectors_name_the_priorities_of_the_adopted_definition(commissioner, authority):
    assert selectors.adopted_priorities_for(authority=authority) == []
    adopted_for(commissioner, authority)
    priorities = selectors.adopted_priorities_for(authority=authority)
    assert [p.outcome for p in priorities] == ["Local jobs"]
    assert [link.measure.code for link in priorities[0].measures.all()] == ["ECO-01"]
    assert selectors.adopted_definition_for(authority=authority, on_date=date(2000, 1, 1)) is None


# --- the GOV.UK date input ---------------------------------------------------------------------


def typed(day: str, month: str, year: str, name: str = "effective_from") -> dict:
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


@pytest.mark.parametrize(
    "day, month, year, expected",
    [
        ("1", "4", "2026", date(2026, 4, 1)),
        ("01", "04", "2026", date(2026, 4, 1)),
        (" 9 ", "Sept", "2026", date(2026, 9, 9)),
        ("29", "february", "2028", date(2028, 2, 29)),
        ("", "", "", None),
    ],
)
def test_dates_people_type_are_understood(day, month, year, expected):
    form = AdoptForm(typed(day, month, year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["effective_from"] == expected


@pytest.mark.parametrize(
    "day, month, year, message, marked",
    [
        ("", "4", "2026", "The date it takes effect must include a day.", ["0"]),
        ("1", "", "2026", "The date it takes effect must include a month.", ["1"]),
        ("1", "4", "", "The date it takes effect must include a year.", ["2"]),
        ("", "", "2026", "The date it takes effect must include a day and month.", ["0", "1", "2"]),
        ("1", "13", "2026", "The date it takes effect must be a real date.", ["1"]),
        ("32", "1", "2026", "The date it takes effect must be a real date.", ["0"]),
        ("31", "6", "2026", "The date it takes effect must be a real date.", ["0", "1", "2"]),
        ("29", "2", "2027", "The date it takes effect must be a real date.", ["0", "1", "2"]),
        ("one", "4", "2026", "The date it takes effect must be a real date.", ["0"]),
        ("1", "4", "26", "Year must include 4 numbers.", ["2"]),
    ],
)
def test_a_bad_adoption_date_names_the_problem_marks_its_box_and_keeps_the_input(
    client_for, commissioner, authority, day, month, year, message, marked
):
    first = adopted_for(commissioner, authority)
    second = services.definition_new_version(actor=commissioner, definition=first)
    services.definition_submit(actor=commissioner, definition=second)
    response = client_for(commissioner).post(
        reverse("definition-adopt", args=[second.pk]), typed(day, month, year)
    )
    page = response.content.decode()
    # In the error summary and next to the field.
    assert page.count(message) == 2, page
    for index, text in enumerate((day, month, year)):
        box = re.search(rf'<input[^>]*id="id_effective_from_{index}"[^>]*>', page).group(0)
        assert f'value="{text}"' in box if text else "value=" not in box
        assert ("govuk-input--error" in box) == (str(index) in marked), box
    assert refresh(second).status == DefinitionStatus.IN_REVIEW


# --- what a new user meets ----------------------------------------------------------------------


def test_an_empty_draft_says_what_to_do_next_and_offers_no_submit_button(
    client_for, commissioner, authority
):
    definition = draft_for(commissioner, authority)
    page = client_for(commissioner).get(reverse("definition-detail", args=[definition.pk]))
    text = page.content.decode()
    assert "What to do next" in text and "add at least one priority" in text
    assert "Submit for review" not in text
    with_priority(commissioner, definition)
    text = client_for(commissioner).get(reverse("definition-detail", args=[definition.pk]))
    assert "Submit for review" in text.content.decode()


def test_a_reader_of_an_adopted_version_is_not_told_to_start_a_new_one(
    client_for, commissioner, authority
):
    definition = adopted_for(commissioner, authority)
    url = reverse("definition-detail", args=[definition.pk])
    assert "start a new version" in client_for(commissioner).get(url).content.decode()
    reader = client_for(person_with_role(Role.EVALUATOR, authority)).get(url).content.decode()
    assert "start a new version" not in reader
    assert f"in effect from {definition.effective_from:%-d %B %Y}" in reader


def test_one_authority_is_named_rather_than_offered_as_a_single_choice(
    client_for, commissioner, authority
):
    text = client_for(commissioner).get(reverse("definition-create")).content.decode()
    assert "Who is drafting this definition?" not in text and authority.name in text
    client_for(commissioner).post(
        reverse("definition-create"),
        {"owner": authority.pk, "title": "Ours", "statement": "Local jobs."},
    )
    assert LocalDefinition.objects.get(title="Ours").owner == authority


def test_service_staff_see_every_definition_listed(client_for, commissioner, authority):
    definition = draft_for(commissioner, authority)
    staff = UserFactory(is_staff=True)
    page = client_for(staff).get(reverse("definition-list"))
    assert page.status_code == 200 and definition.title in page.content.decode()


def test_bidders_find_the_market_statements_in_the_menu(client_for, bidder):
    page = client_for(bidder).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("definition-market-index")}"' in page and "Market statements" in page
