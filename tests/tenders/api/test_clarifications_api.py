"""GET /api/tenders/<id>/clarifications/: the answers an authority published to all bidders,
as published, never naming who asked; nothing unpublished, nothing of a draft."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tenders import services
from tests.tenders.factories import build_tender

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttles():
    cache.clear()


def test_anyone_reads_the_published_answers_and_nothing_else(
    client, procurement_officer, authority, bidder, bidder_org
):
    tender = build_tender(procurement_officer, authority)
    published = services.clarification_ask(
        actor=bidder, tender=tender, bidder=bidder_org, question="Can we visit the depot, Jo here?"
    )
    services.clarification_answer(
        actor=procurement_officer,
        clarification=published,
        answer="Yes, on 3 March.",
        publish=True,
        published_question="Can bidders visit the depot?",
    )
    services.clarification_ask(
        actor=bidder, tender=tender, bidder=bidder_org, question="Unanswered private question"
    )
    response = client.get(reverse("api-tender-clarifications", args=[tender.pk]))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["question"], r["answer"]) for r in results] == [
        ("Can bidders visit the depot?", "Yes, on 3 March.")
    ]
    body = response.content.decode()
    assert "Jo here" not in body and "Unanswered" not in body and bidder_org.name not in body
    assert response.has_header("ETag")


def test_a_draft_has_no_clarifications_to_read(client, procurement_officer, authority):
    draft = build_tender(procurement_officer, authority, publish=False)
    response = client.get(reverse("api-tender-clarifications", args=[draft.pk]))
    assert response.status_code == 404
