"""A new definition never silently replaces the adopted one: a new draft for an authority with an
adopted definition starts as a copy of it, says plainly that it will replace it, and shows what
changes (priorities added, removed, changed) before adoption."""

import pytest
from django.urls import reverse

from socialvalue.definitions import services
from socialvalue.definitions.changes import PrioritySnapshot, priority_changes
from socialvalue.models import DefinitionStatus, LocalDefinition
from tests.definitions.test_definitions import adopted_for, refresh, with_priority


def test_changes_name_priorities_added_removed_and_changed():
    jobs = PrioritySnapshot("Economic", "Local jobs", "", (("ECO-01", "40 weeks"),))
    food = PrioritySnapshot("Social", "Less food poverty")
    trees = PrioritySnapshot("Environmental", "More trees")
    changes = priority_changes(
        [jobs, food],
        [PrioritySnapshot("Economic", "local  JOBS", "", (("ECO-01", "50 weeks"),)), trees],
    )
    assert changes.added == (trees,)
    assert changes.removed == (food,)
    assert [(c.priority.outcome, c.what) for c in changes.changed] == [
        ("local  JOBS", ("targets changed: ECO-01",))
    ]
    assert changes.any
    assert not priority_changes([jobs], [jobs]).any


@pytest.mark.django_db
def test_a_new_draft_for_an_authority_with_an_adopted_definition_starts_as_its_copy(
    commissioner, authority
):
    adopted = adopted_for(commissioner, authority)
    draft = services.definition_create(
        actor=commissioner, owner=authority, title="Care", statement="Care that stays local."
    )
    assert draft.replaces == adopted and draft.version == adopted.version + 1
    assert draft.status == DefinitionStatus.DRAFT
    assert (draft.title, draft.statement) == ("Care", "Care that stays local.")
    assert [p.outcome for p in draft.priorities.all()] == [
        p.outcome for p in adopted.priorities.all()
    ]
    assert refresh(adopted).status == DefinitionStatus.ADOPTED
    assert LocalDefinition.objects.filter(owner=authority).count() == 2


@pytest.mark.django_db
def test_the_pages_say_it_replaces_the_adopted_one_and_what_changes(
    client_for, commissioner, authority
):
    adopted = adopted_for(commissioner, authority)
    client = client_for(commissioner)
    form = client.get(reverse("definition-create")).content.decode()
    assert "already has an adopted definition" in form and "replaces it when adopted" in form
    response = client.post(
        reverse("definition-create"),
        {"owner": authority.pk, "title": "Care", "statement": "Care that stays local."},
        follow=True,
    )
    draft = LocalDefinition.objects.get(replaces=adopted)
    assert "Draft started as a copy of the adopted definition" in response.content.decode()
    services.priority_remove(actor=commissioner, priority=draft.priorities.get())
    with_priority(commissioner, draft, outcome="Fewer people in food poverty")
    body = client.get(reverse("definition-detail", args=[draft.pk])).content.decode()
    assert "Adopting this version replaces" in body
    assert "Priorities added" in body and "Fewer people in food poverty" in body
    removed = body.split("Priorities removed")[1].split("Priorities changed")[0]
    assert "Local jobs" in removed
    services.definition_submit(actor=commissioner, definition=draft)
    adopt_page = client.get(reverse("definition-adopt", args=[draft.pk])).content.decode()
    assert "Adopting this version replaces" in adopt_page
    assert "Fewer people in food poverty" in adopt_page


@pytest.mark.django_db
def test_the_replacing_draft_page_holds_its_queries_as_priorities_grow(
    client_for, commissioner, authority, django_assert_max_num_queries
):
    adopted_for(commissioner, authority)
    draft = services.definition_create(
        actor=commissioner, owner=authority, title="Care", statement="Care that stays local."
    )
    client = client_for(commissioner)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("definition-detail", args=[draft.pk]))
    for number in range(5):
        with_priority(commissioner, draft, codes=("ECO-01", "ECO-02"), outcome=f"P{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("definition-detail", args=[draft.pk])).status_code == 200


@pytest.mark.django_db
def test_a_second_draft_while_the_next_version_is_drafted_is_also_a_copy(commissioner, authority):
    adopted = adopted_for(commissioner, authority)
    services.definition_create(actor=commissioner, owner=authority, title="One", statement="A.")
    second = services.definition_create(
        actor=commissioner, owner=authority, title="Two", statement="B."
    )
    assert second.replaces is None and second.status == DefinitionStatus.DRAFT
    assert [p.outcome for p in second.priorities.all()] == [
        p.outcome for p in adopted.priorities.all()
    ]
