"""Saved opportunity searches and their email alerts.

A bidder saves the filters of the opportunities page under a name; with alerts on, a beat job
(tenders.tasks.send_opportunity_alerts, hourly) emails each person once per run the tenders
published since the last run that match any of their searches, with a link to stop each alert
that works without signing in (a signed token naming the search).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialvalue.core import audit, notify
from socialvalue.models import Job, User
from tenders.filters import OpportunityFilter
from tenders.models import SavedSearch, Tender, TenderStatus
from tenders.services.base import _require

ALERTS_JOB = "tenders.opportunity_alerts"
# A person keeps a short list: each search is run for them every hour.
MAX_SAVED_SEARCHES = 25
_UNSUBSCRIBE_SALT = "tenders.saved-search.unsubscribe"


def clean_query(query) -> dict[str, str]:
    """The opportunity filters in `query` (a QueryDict or dict) that are set, checked as the page
    checks them; ValidationError naming the first refused filter."""
    names = list(OpportunityFilter.base_filters)
    data = {name: str(query.get(name, "")).strip() for name in names}
    data = {name: value for name, value in data.items() if value}
    form = OpportunityFilter(data, queryset=Tender.objects.none()).form
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise ValidationError({"name": f"{form.fields[name].label}: {errors[0]}"})
    return data


def describe_query(query: dict) -> str:
    """The filters of a saved search in words, for its list and its emails."""
    if not query:
        return "Every open tender"
    form = OpportunityFilter(query, queryset=Tender.objects.none()).form
    parts = []
    for name, value in query.items():
        field = form.fields.get(name)
        if field is None:
            continue
        choices = {str(k): v for k, v in getattr(field, "choices", []) or []}
        shown = "yes" if name == "closed" else choices.get(str(value), value)
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)


@transaction.atomic
def saved_search_create(
    *, actor: User, name: str, query, email_alerts: bool = True, now: datetime | None = None
) -> SavedSearch:
    """Save the opportunity filters under a name, with or without email alerts."""
    now = now or timezone.now()
    _require(actor, "tenders.save_searches", None, "Only a bidder can save searches.")
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the search a name, for example 'Care in Northfield'."})
    if len(name) > SavedSearch._meta.get_field("name").max_length:
        raise ValidationError({"name": "The name must be 120 characters or fewer."})
    if SavedSearch.objects.filter(user=actor).count() >= MAX_SAVED_SEARCHES:
        raise ValidationError(
            {"name": f"You can keep up to {MAX_SAVED_SEARCHES} searches. Remove one first."}
        )
    search = SavedSearch.objects.create(
        user=actor,
        name=name,
        query=clean_query(query),
        email_alerts=email_alerts,
        created_at=now,
    )
    audit.record(actor=actor, action="saved_search.created", obj=search)
    return search


@transaction.atomic
def saved_search_set_alerts(*, actor: User | None, search: SavedSearch, email_alerts: bool):
    """Turn a saved search's alerts on or off (actor None: by the emailed unsubscribe link)."""
    if actor is not None:
        _require(actor, "tenders.change_saved_search", search, "This is not your search.")
    search.email_alerts = email_alerts
    search.save(update_fields=["email_alerts"])
    audit.record(
        actor=actor,
        action="saved_search.alerts_on" if email_alerts else "saved_search.alerts_off",
        obj=search,
    )
    return search


@transaction.atomic
def saved_search_remove(*, actor: User, search: SavedSearch) -> None:
    _require(actor, "tenders.change_saved_search", search, "This is not your search.")
    audit.record(actor=actor, action="saved_search.removed", obj=search)
    search.delete()


def unsubscribe_token(search: SavedSearch) -> str:
    """The signed token of a search's stop link: no timestamp, so the link never expires and a
    job composed again writes the same email."""
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign_object({"search": search.pk})


def search_for_token(token: str) -> SavedSearch | None:
    """The saved search an unsubscribe link names; None for a link that was altered or whose
    search was removed."""
    try:
        found = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(found, dict) or not isinstance(found.get("search"), int):
        return None
    return SavedSearch.objects.select_related("user").filter(pk=found["search"]).first()


def opportunity_alerts_enqueue(*, now: datetime | None = None) -> Job | None:
    """Queue this run's alerts: the tenders published since the previous run's end. None when
    nobody has alerts on."""
    now = now or timezone.now()
    searches = SavedSearch.objects.filter(email_alerts=True, user__is_active=True)
    if not searches.exists():
        return None
    last = Job.objects.filter(kind=ALERTS_JOB).order_by("-enqueued_at", "-pk").first()
    if last is not None and last.params.get("until"):
        since = datetime.fromisoformat(last.params["until"])
    else:
        since = min(searches.values_list("created_at", flat=True))
    if since >= now:
        return None
    return notify.send(
        kind=ALERTS_JOB, params={"since": since.isoformat(), "until": now.isoformat()}
    )


def matches_for(search: SavedSearch, published) -> list[Tender]:
    """Of `published` (tenders first published in this run's window), those matching the search
    and published after it was saved."""
    tenders = published.filter(published_at__gte=search.created_at)
    filters = OpportunityFilter(search.query, queryset=tenders)
    return list(filters.qs.order_by("submission_deadline", "pk")) if filters.is_valid() else []


@notify.letter(ALERTS_JOB, label="Email opportunity alerts")
def _compose_alerts(job) -> list[notify.Email]:
    """One email per person: every new tender matching any of their searches with alerts on.
    Composed again the same way if the job is run again, so a retry sends the same emails."""
    since = datetime.fromisoformat(job.params["since"])
    until = datetime.fromisoformat(job.params["until"])
    published = (
        Tender.objects.exclude(status=TenderStatus.DRAFT)
        .filter(published_at__gte=since, published_at__lt=until)
        .select_related("authority")
    )
    if not published.exists():
        return []
    by_person: dict[User, list[tuple[SavedSearch, list[Tender], str]]] = {}
    searches = SavedSearch.objects.filter(email_alerts=True, user__is_active=True)
    for search in searches.select_related("user").order_by("user_id", "name", "pk"):
        found = matches_for(search, published)
        if found:
            stop = settings.SERVICE_URL + reverse(
                "tender-alert-unsubscribe", args=[unsubscribe_token(search)]
            )
            by_person.setdefault(search.user, []).append((search, found, stop))
    emails = []
    for person, items in by_person.items():
        count = len({tender.pk for _search, found, _stop in items for tender in found})
        emails += notify.compose(
            [person.email],
            subject=f"{count} new tender{'s' if count != 1 else ''} match your saved searches",
            template="tenders/email/opportunity_alert.txt",
            context={
                "person": person,
                "items": items,
                "service_url": settings.SERVICE_URL,
                "manage_url": settings.SERVICE_URL + reverse("tender-alerts"),
            },
        )
    return emails
