"""No text a person typed reaches a page unescaped: every free-text field, every page, every role.

The fields are read from the models of the service's apps, not listed by hand: every CharField
and TextField (and the text a person types inside a JSONField) of every row of the cross-
organisation test's world (the demo, with its sealed bids opened, and a second authority, bidder
and Compact group) gets a script payload. Then every route is asked for by GET, with the ids of
that world's objects, by every demo person, people of organisation B, service staff and a
signed-out visitor, and the browsable API as HTML too. No HTML page may carry the payload raw.

A new model field is covered without anyone remembering it; a field that is not text a person
types (a hash, a key into the service's own data) is named in NOT_TYPED with the reason.
"""

from __future__ import annotations

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms
from django.apps import apps
from django.db import models, transaction
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from socialvalue.core.email_confirmation import confirmation_token
from socialvalue.core.forms import GDSFormMixin, GOVUKDateField
from tenders.services import unsubscribe_token
from tests.test_cross_organisation import (
    CASES,
    NOT_ORGANISATION_OBJECTS,
    PLAIN_ROUTES,
    World,
    _body,
    _build_world,
    _sign_in,
)

PAYLOAD = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'
# For a field too short for the whole payload (a reference, a year).
SHORT_PAYLOAD = "<img src=x onerror=alert(1)>"
# What the payload looks like when it was not escaped; escaped forms (&lt;script&gt;) are fine.
RAW = ("<script>alert", "<img src=x")
APPS = ("socialvalue", "tenders", "measurement", "compact", "delivery")

# Text fields that hold no text a person typed, and why.
NOT_TYPED = {
    "socialvalue.User.password": "a password hash",
    "socialvalue.Invitation.token_digest": "a digest of the emailed token",
    "socialvalue.ApiToken.prefix": "the start of a key the service made",
    "socialvalue.ApiToken.key_digest": "a SHA-256 of the key",
    "socialvalue.AuditEntry.action": "an action code the service writes",
    "socialvalue.AuditEntry.object_type": "a model label",
    "socialvalue.AuditEntry.object_id": "a primary key",
    "socialvalue.AuditEntry.previous_hash": "a SHA-256 of the chain",
    "socialvalue.AuditEntry.entry_hash": "a SHA-256 of the chain",
    "socialvalue.AuditHead.last_hash": "a SHA-256 of the chain",
    "socialvalue.Job.kind": "the key of a registered job",
    "socialvalue.Report.kind": "the key of a registered report kind",
    "socialvalue.Report.data_version": "a SHA-256 of the data the report was made from",
    "socialvalue.Report.content_digest": "a SHA-256 of the file",
    "socialvalue.ActAssessment.schedule_id": "the id of a dated threshold schedule",
    "tenders.Tender.price_method": "a key of tenders.scoring.PRICE_METHODS",
    "tenders.TenderDocument.content_type": "one of the accepted file types",
    "tenders.TenderDocument.sha256": "a SHA-256 of the file",
    "tenders.Bid.digest": "a SHA-256 of the bid's contents",
    "tenders.BidAttachment.content_type": "one of the accepted file types",
    "tenders.BidAttachment.sha256": "a SHA-256 of the file",
    "tenders.BidReceipt.digest": "a SHA-256 of the bid's contents",
    "tenders.BidReceipt.number": "a receipt number the service makes",
    "tenders.AbnormallyLowFile.content_type": "one of the accepted file types",
    "tenders.AbnormallyLowFile.sha256": "a SHA-256 of the file",
    "tenders.BidderNotice.kind": "the key of a step in the award regime's data",
    "delivery.EvidenceItem.content_type": "one of the accepted file types",
    "delivery.EvidenceItem.sha256": "a SHA-256 of the file",
}
# Keys under which a JSONField carries text a person typed: a mark's descriptor, a recorded
# priority's title, the reason given when a definition went back to draft; in the award's
# records and letters, names of criteria and bidders and the reasons given for marks and
# decisions.
JSON_TEXT_KEYS = {
    "text",
    "title",
    "reason",
    "name",
    "bidder",
    "winner",
    "winner_name",
    "own_reason",
    "winner_reason",
    "no_award_reason",
    "out_of_running",
}
# Formats a form validates, which cannot carry markup.
VALIDATED = (models.EmailField, models.SlugField, models.URLField)


def free_text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, VALIDATED)
        and not field.choices
        and f"{model._meta.label}.{field.name}" not in NOT_TYPED
    ]


def _payload_for(field: models.Field, pk) -> str | None:
    text = f"{PAYLOAD} {pk}" if field.unique else PAYLOAD
    if field.max_length is None or len(text) <= field.max_length:
        return text
    return SHORT_PAYLOAD if len(SHORT_PAYLOAD) <= field.max_length else None


def _with_payload(value):
    if isinstance(value, dict):
        return {
            key: PAYLOAD if key in JSON_TEXT_KEYS and isinstance(item, str) else _with_payload(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_with_payload(item) for item in value]
    return value


def inject_payload() -> list[str]:
    """Write the payload into every free-text field of every row; returns the fields written."""
    written = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            text_fields = free_text_fields(model)
            json_fields = [
                f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)
            ]
            for row in model._base_manager.all():
                changes = {}
                for field in text_fields:
                    value = _payload_for(field, row.pk)
                    if value is not None:
                        changes[field.attname] = value
                for field in json_fields:
                    changes[field.attname] = _with_payload(getattr(row, field.attname))
                if changes:
                    # update(), not save(): no model's save() rewrites what was stored.
                    model._base_manager.filter(pk=row.pk).update(**changes)
            written += [f"{model._meta.label}.{f.name}" for f in text_fields]
    return written


def _escaping_world() -> tuple[World, dict[str, object], dict[str, str]]:
    from socialvalue.core import services
    from socialvalue.core.demo import seed_core
    from tenders.services import open_bids

    world = _build_world()
    cast, _ = seed_core()
    # The closed tender's sealed bids opened, so the authority's pages show their contents.
    open_bids(actor=cast.users["procurement"], tender=world.objects["closed_tender"])
    tokens = []
    services.member_invite(
        actor=cast.users["admin"],
        organisation=world.objects["council"],
        email="invitee-escaping@example.org",
        role="evaluator",
        accept_url_for=lambda token: tokens.append(token) or token,
    )
    written = inject_payload()
    # Every demo person (one or more in each role), service staff with every power, and people of
    # organisation B, whose own pages show B's names.
    people = {f"demo {key}": user for key, user in cast.users.items()}
    people["superuser"] = world.people["superuser"]
    people.update(
        {
            f"B {key}": world.people[key]
            for key in ("procurement_officer", "bidder", "compact_member")
        }
    )
    extra = {"invitation token": tokens[0], "fields": written}
    return world, people, extra


@pytest.fixture(scope="module")
def escaping_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once inside a transaction rolled back at the end (as the cross-organisation test)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield _escaping_world()
        transaction.set_rollback(True)


def _urls(world: World, extra: dict) -> list[tuple[str, dict]]:
    """(url, extra request headers) for every route: plain routes, and each object route with
    the ids of the world's objects; API routes also as the browsable (HTML) API."""
    from measurement.models import Measure

    # A measure's code is too short for the payload, so it still names the measure.
    measure = Measure.objects.order_by("pk").first()
    urls = [reverse(name) for name in PLAIN_ROUTES if name not in {"sign-out", "audit-check"}]
    for name, cases in CASES.items():
        urls += [reverse(name, kwargs=case.target(world)) for case in cases]
    urls += [
        reverse("api-tender-detail", args=[world.objects["open_tender"].pk]),
        reverse("api-ocds-tender-releases", args=[world.objects["open_tender"].pk]),
        reverse("api-tender-clarifications", args=[world.objects["open_tender"].pk]),
        reverse("api-market-statement", args=[world.objects["council"].slug]),
        reverse("api-ocds-extension", args=["extension.json"]),
        reverse("measure-detail", args=[measure.code]),
        reverse("measure-proxy-add", args=[measure.code]),
        reverse("invitation-accept", args=[extra["invitation token"]]),
        # The emailed confirmation link of a person whose name holds the payload.
        reverse("email-confirm", args=[confirmation_token(_unconfirmed_person())]),
        reverse("tender-criterion-add", args=[world.objects["draft_lot"].pk])
        + f"?parent={world.objects['draft_criterion'].parent_id}",
        # The emailed link that stops a saved search's alerts (its name holds the payload).
        reverse(
            "tender-alert-unsubscribe",
            args=[unsubscribe_token(world.objects["saved_search"])],
        ),
        # The commitment form once its social value question is chosen.
        reverse("bid-commitment-add", args=[world.objects["draft_bid"].pk])
        + f"?question={world.objects['commitment'].criterion_id}",
    ]
    assert set(NOT_ORGANISATION_OBJECTS) == {
        "tender-alert-unsubscribe",
        "email-confirm",
        "invitation-accept",
        "password_reset_confirm",
        "measure-detail",
        "measure-proxy-add",
        "api-ocds-extension",
    }, "A new route without an organisation's object: add a URL for it above."
    plain = [(url, {}) for url in dict.fromkeys(urls)]
    browsable = [(url, {"HTTP_ACCEPT": "text/html"}) for url, _ in plain if url.startswith("/api/")]
    return plain + browsable


def _unconfirmed_person():
    """A self-registered person who has not yet followed their link, named with the payload."""
    from socialvalue.models import User

    existing = User.objects.filter(email="unconfirmed@example.org").first()
    return existing or User.objects.create_user(
        email="unconfirmed@example.org",
        password="a-long-passphrase-for-tests",
        full_name=PAYLOAD[:200],
        email_confirmed_at=None,
    )


def _raw_payload_in(body: str) -> list[str]:
    return [raw for raw in RAW if raw in body]


@pytest.mark.django_db
def test_the_payload_went_into_the_fields_people_type(escaping_world):
    """The control: the walk found the fields the incident was about, and they hold the payload."""
    from tenders.models import Criterion, Tender

    world, _, extra = escaping_world
    for field in (
        "tenders.Criterion.name",
        "tenders.Criterion.question",
        "tenders.Tender.price_breakdown_guidance",
        "socialvalue.Organisation.name",
        "socialvalue.User.full_name",
        "tenders.BidAnswer.text",
    ):
        assert field in extra["fields"], field
    tender = Tender.objects.get(pk=world.objects["open_tender"].pk)
    assert tender.price_breakdown_guidance == PAYLOAD
    described = [c for c in Criterion.objects.all() if c.descriptors]
    assert described, "the demo's questions have mark descriptors"
    assert all(item["text"] == PAYLOAD for c in described for item in c.descriptors)


@pytest.mark.django_db
def test_no_page_shows_typed_text_unescaped(client, escaping_world):
    world, people, extra = escaping_world
    urls = _urls(world, extra)
    problems, html_pages = [], 0
    for who, user in [("signed out", None), *people.items()]:
        if user is None:
            client.logout()
        else:
            _sign_in(client, user)
        for url, headers in urls:
            response = client.get(url, **headers)
            if response.status_code >= 500:
                problems.append(f"{who}: {url} answered {response.status_code}")
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            html_pages += 1
            if raw := _raw_payload_in(_body(response)):
                problems.append(f"{who}: {url} {headers or ''} showed {raw} unescaped")
    assert not problems, "\n".join(problems)
    # Not vacuous: most of those were real pages.
    assert html_pages > 500


@pytest.mark.django_db
def test_pages_of_the_incident_show_the_payload_escaped(client, escaping_world):
    """The bidder's draft bid (criterion names, questions, breakdown guidance as labels and
    hints) and the weights page (criterion names as labels) show the text, escaped."""
    world, people, _ = escaping_world
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    _sign_in(client, people["demo bidder_1"])
    bid_page = _body(client.get(reverse("bid-edit", args=[world.objects["draft_bid"].pk])))
    assert bid_page.count(escaped) >= 3
    _sign_in(client, people["demo procurement"])
    weights = _body(client.get(reverse("tender-weights", args=[world.objects["draft_lot"].pk])))
    assert escaped in weights
    assert not _raw_payload_in(bid_page + weights)


@pytest.mark.django_db
def test_remedies_and_failures_typed_by_the_authority_reach_the_supplier_escaped(
    client, escaping_world
):
    """What the officer typed in a remedy and a performance failure is shown, escaped, on the
    supplier's page of its contract (and on the remedy's outcome form for the officer)."""
    world, people, extra = escaping_world
    for field in (
        "delivery.Remedy.agreed",
        "delivery.PerformanceFailure.requirement",
        "delivery.PerformanceFailure.description",
        "delivery.PerformanceFailure.penalty_type_entered",
    ):
        assert field in extra["fields"], field
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    _sign_in(client, people["demo bidder_1"])
    page = _body(client.get(reverse("delivery-contract", args=[world.objects["contract"].pk])))
    remedy, failure = world.objects["remedy"], world.objects["failure"]
    assert f'id="remedy-{remedy.pk}"' in page and f'id="failure-{failure.pk}"' in page
    assert page.count(escaped) >= 3
    _sign_in(client, people["demo procurement"])
    outcome = _body(client.get(reverse("delivery-remedy-outcome", args=[remedy.pk])))
    assert escaped in outcome
    assert not _raw_payload_in(page + outcome)


# --------------------------------------------------------------------------- the templates alone


class _EveryWidget(GDSFormMixin, forms.Form):
    text = forms.CharField(label=PAYLOAD, help_text=PAYLOAD)
    words = forms.CharField(label=PAYLOAD, help_text=PAYLOAD, widget=forms.Textarea)
    tick = forms.BooleanField(label=PAYLOAD, help_text=PAYLOAD)
    one = forms.ChoiceField(
        label=PAYLOAD, help_text=PAYLOAD, choices=[("a", PAYLOAD)], widget=forms.RadioSelect
    )
    many = forms.MultipleChoiceField(
        label=PAYLOAD,
        help_text=PAYLOAD,
        choices=[("a", PAYLOAD)],
        widget=forms.CheckboxSelectMultiple,
    )
    day = GOVUKDateField(label=PAYLOAD, help_text=PAYLOAD, subject="The day")

    def clean(self):
        raise forms.ValidationError(PAYLOAD)


def test_gds_templates_escape_labels_hints_legends_and_errors():
    """Every kind of field crispy-forms-gds draws, with markup as plain text in its label, hint,
    choices and errors: none comes out as markup (the package's own templates print labels and
    hints with |safe; the overrides in templates/gds do not)."""
    form = _EveryWidget(data={"text": "", "day_0": "40"})
    form.is_valid()
    form.add_error("text", PAYLOAD)
    html = render_crispy_form(form) + render_to_string(
        "includes/error_summary.html", {"form": form}
    )
    assert html.count("&lt;script&gt;") >= 10
    assert not _raw_payload_in(html), html
