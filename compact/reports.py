"""What the consultation report, the decommissioning assessment and the Compact review show, gathered once: the
pages render these dictionaries, and the PDF reports (kinds registered in registrations.py)
render the same ones with print templates that include the pages' partials. The caller has
checked the reader's access.

A report's content depends on its subject alone, never on who asked: the consultation report
holds what its public page shows (the responses themselves stay with the authority; their number
and the published summary are public once it closes); the decommissioning assessment holds what
everyone who may read the assessment reads on its page; the review report holds what everyone
who may read the definition's review page reads there (its comments, the group's view, each
authority's adoption), without the page's forms.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from compact import checks, selectors
from compact.models import (
    Consultation,
    ConsultationResponse,
    DecommissioningAssessment,
    GroupView,
    ReviewComment,
)
from socialvalue.definitions import selectors as definition_selectors


@dataclass(frozen=True)
class Step:
    """One row of a timeline: what happens, on which day, and what the Compact makes of it."""

    event: str
    on: date | None
    note: str = ""
    concern: bool = False


def _digest(*parts) -> str:
    return hashlib.sha256("\n".join(str(p) for p in parts).encode()).hexdigest()


def _length_words(length: checks.ConsultationLength) -> str:
    extra = (
        f" and {length.extra_days} day{'s' if length.extra_days != 1 else ''}"
        if length.extra_days
        else ""
    )
    return f"{length.weeks} weeks{extra} ({length.days} days)"


def consultation_state(consultation: Consultation, on_date: date) -> str:
    if consultation.starts_on > on_date:
        return "not open yet"
    if consultation.ends_on < on_date:
        return "closed"
    return "open"


def consultation_timeline(
    consultation: Consultation,
    length: checks.ConsultationLength,
    rules: checks.CompactRules,
    on_date: date,
) -> list[Step]:
    """The consultation's dates against the Compact's 12 weeks, then the published response."""
    standard_end = consultation.starts_on + timedelta(weeks=rules.consultation_weeks)
    if length.shorter:
        closing_note = (
            f"Runs {_length_words(length)}: shorter than the Compact's "
            f"{rules.consultation_weeks} weeks. "
            + ("The reason is published with it." if consultation.shorter_reason else "")
        ).strip()
        if not consultation.shorter_reason:
            closing_note += " No reason was given."
    else:
        closing_note = (
            f"Runs {_length_words(length)}: meets the Compact's {rules.consultation_weeks} weeks."
        )
    steps = [
        Step("Opens to responses", consultation.starts_on),
        Step(
            f"{rules.consultation_weeks} weeks after opening (the Compact's standard length)",
            standard_end,
        ),
        Step(
            "Closes",
            consultation.ends_on,
            closing_note,
            concern=length.shorter and not consultation.shorter_reason,
        ),
    ]
    if consultation.response_published_at is not None:
        published = consultation.response_published_at.date()
        after = (published - consultation.ends_on).days
        steps.append(
            Step(
                "Summary of responses published",
                published,
                f"{after} days after closing." if after >= 0 else "Before closing.",
            )
        )
    elif consultation.ends_on < on_date:
        steps.append(
            Step(
                "Summary of responses published",
                None,
                "Not published yet: the authority publishes what it heard and what it did.",
                concern=True,
            )
        )
    else:
        steps.append(Step("Summary of responses published", None, "After the consultation closes."))
    return steps


def consultation_report_data(consultation: Consultation) -> dict:
    """A consultation with its 12-week check as a timeline, the Compact's commitment and the
    rules applied, and (once it has closed) how many responses came in."""
    on_date = selectors.today()
    rules = selectors.compact_rules(on_date=consultation.starts_on)
    length = checks.consultation_length(consultation.starts_on, consultation.ends_on, rules)
    closed = consultation.ends_on < on_date
    return {
        "consultation": consultation,
        "length": length,
        "rules": rules,
        "commitment": selectors.national_compact().commitment("twelve_week_consultation"),
        "timeline": consultation_timeline(consultation, length, rules, on_date),
        "state": consultation_state(consultation, on_date),
        "response_count": (
            ConsultationResponse.objects.filter(consultation=consultation).count()
            if closed
            else None
        ),
    }


CONSULTATION_CONTENTS = [
    ("proposal", "What was proposed"),
    ("timeline", "Timeline against the Compact's 12 weeks"),
    ("response", "The authority's response"),
    ("sources", "Sources"),
]


def consultation_report(consultation: Consultation, options: dict) -> dict:
    """The page's data with the contents of the PDF."""
    page = selectors.consultation_page(consultation.pk)
    return {**consultation_report_data(page), "contents": CONSULTATION_CONTENTS}


def consultation_version(consultation: Consultation, options: dict) -> str:
    c = consultation
    documents = list(c.documents.order_by("pk").values_list("pk", "title"))
    on_date = selectors.today()
    responses = (
        ConsultationResponse.objects.filter(consultation=c).count() if c.ends_on < on_date else None
    )
    return _digest(
        c.authority.name,
        c.title,
        c.subject,
        c.description,
        c.audience,
        c.starts_on,
        c.ends_on,
        c.shorter_reason,
        c.response_summary,
        c.you_said_we_did,
        c.response_published_at,
        consultation_state(c, on_date),
        responses,
        documents,
    )


# --- decommissioning --------------------------------------------------------------------------


def notice_timeline(assessment: DecommissioningAssessment, notice: checks.Notice) -> list[Step]:
    """Notice given, the earliest end the Compact's minimum allows, and the change itself."""
    if notice.short:
        note = (
            f"{notice.days} days after notice: under the Compact's {notice.minimum_months} "
            "months. "
            + (
                "A reason is recorded."
                if assessment.short_notice_reason
                else "No reason was given."
            )
        )
    else:
        note = (
            f"{notice.days} days after notice: meets the Compact's {notice.minimum_months} months."
        )
    return [
        Step("Notice given to the provider", assessment.notice_given_on),
        Step(
            f"Earliest end with {notice.minimum_months} months' notice (the Compact's minimum)",
            notice.earliest_end,
        ),
        Step(
            "The change takes effect",
            assessment.ends_on,
            note,
            concern=notice.short and not assessment.short_notice_reason,
        ),
    ]


@dataclass(frozen=True)
class CommitmentCheck:
    """One thing the Compact's commitment on ending funding asks, and what the record shows."""

    asks: str
    recorded: str
    met: bool


def commitment_checks(
    assessment: DecommissioningAssessment, notice: checks.Notice
) -> list[CommitmentCheck]:
    """The commitment's three asks (compact.json, key "decommissioning") against the record.
    Notice under the minimum with a reason recorded counts as explained, as on the health page."""

    def given(*texts: str) -> bool:
        return all(text.strip() for text in texts)

    a = assessment
    people = given(
        a.beneficiaries_impact,
        a.beneficiaries_mitigation,
        a.service_users_impact,
        a.service_users_mitigation,
        a.volunteers_impact,
        a.volunteers_mitigation,
    )
    if not notice.short:
        notice_words = f"{notice.days} days' notice: at least {notice.minimum_months} months."
    elif a.short_notice_reason:
        notice_words = (
            f"{notice.days} days' notice: under {notice.minimum_months} months, "
            "with the reason recorded."
        )
    else:
        notice_words = (
            f"{notice.days} days' notice: under {notice.minimum_months} months, with no reason."
        )
    return [
        CommitmentCheck(
            "Assess the impact on beneficiaries, service users and volunteers",
            "Impact and mitigation recorded for each."
            if people
            else "Impact or mitigation missing.",
            people,
        ),
        CommitmentCheck(
            "Seek advice from the voluntary and community sector",
            "Recorded." if given(a.advice_sought) else "Not recorded.",
            given(a.advice_sought),
        ),
        CommitmentCheck(
            f"Give at least {notice.minimum_months} months' notice of the end of funding",
            notice_words,
            not notice.short or given(a.short_notice_reason),
        ),
    ]


def decommissioning_report_data(assessment: DecommissioningAssessment) -> dict:
    """An assessment with its notice check as a timeline, what the Compact asks checked against
    the record, and the Compact's commitment on ending funding. Comments are prefetched by
    selectors.decommissioning_page."""
    rules = selectors.compact_rules(on_date=assessment.notice_given_on)
    notice = checks.notice_given(assessment.notice_given_on, assessment.ends_on, rules)
    comments = list(assessment.comments.all())
    return {
        "assessment": assessment,
        "notice": notice,
        "rules": rules,
        "commitment": selectors.national_compact().commitment("decommissioning"),
        "timeline": notice_timeline(assessment, notice),
        "commitment_checks": commitment_checks(assessment, notice),
        "comments": comments,
    }


DECOMMISSIONING_CONTENTS = [
    ("checks", "Checked against the Compact"),
    ("notice", "Notice"),
    ("organisations", "Organisations affected"),
    ("people", "Impact on people, with mitigation"),
    ("wider", "Social, economic and environmental impact"),
    ("comments", "Comments from the Compact group"),
    ("sources", "Sources"),
]


def decommissioning_report(assessment: DecommissioningAssessment, options: dict) -> dict:
    page = selectors.decommissioning_page(assessment.pk)
    return {**decommissioning_report_data(page), "contents": DECOMMISSIONING_CONTENTS}


def decommissioning_version(assessment: DecommissioningAssessment, options: dict) -> str:
    a = assessment
    comments = list(a.comments.order_by("pk").values_list("pk", "body"))
    names = [
        getattr(a.authority, "name", ""),
        getattr(a.provider, "name", ""),
        getattr(a.compact, "title", ""),
        getattr(a.tender, "title", ""),
    ]
    fields = [
        getattr(a, f.attname) for f in a._meta.concrete_fields if f.attname not in {"created_at"}
    ]
    return _digest(names, fields, comments)


# --- Compact review of a local definition -----------------------------------------------------


def review_checks(definition, *, group_view, threads: dict, on_date: date) -> list[CommitmentCheck]:
    """What the Compact's commitment to make social value a standard part of design (compact.json,
    key "value_standard") asks of a local definition's review, against the record: a group
    reviewed it, the group recorded its view, the authors answered every thread, the role of
    voluntary organisations is stated, and a review date is set and not passed."""
    top = [comment for comments in threads.values() for comment in comments]
    open_threads = sum(1 for comment in top if comment.resolved_at is None)
    if not top:
        answered = "No comments were made."
    elif open_threads:
        answered = f"{open_threads} of {len(top)} thread{'s' if len(top) != 1 else ''} open."
    else:
        answered = f"All {len(top)} thread{'s' if len(top) != 1 else ''} resolved."
    if definition.review_on is None:
        next_review = "No review date set."
    elif definition.review_due(on_date):
        next_review = f"Review was due on {definition.review_on:%-d %B %Y}."
    else:
        next_review = f"Next review on {definition.review_on:%-d %B %Y}."
    return [
        CommitmentCheck(
            "The local definition is reviewed by the Compact group",
            f"Reviewed by {definition.review_group.name}."
            if definition.review_group_id
            else "No Compact group reviews it.",
            definition.review_group_id is not None,
        ),
        CommitmentCheck(
            "The group records its view before adoption",
            f"{group_view.get_position_display()}, recorded on {group_view.recorded_at:%-d %B %Y}."
            if group_view
            else "Not recorded.",
            group_view is not None,
        ),
        CommitmentCheck("The authors answer the group's comments", answered, open_threads == 0),
        CommitmentCheck(
            "The role of voluntary organisations is stated",
            "Stated." if definition.voluntary_sector_role.strip() else "Not stated.",
            bool(definition.voluntary_sector_role.strip()),
        ),
        CommitmentCheck(
            "The definition is reviewed on a schedule",
            next_review,
            definition.review_on is not None and not definition.review_due(on_date),
        ),
    ]


def review_outcome(definition) -> str:
    """What became of the reviewed version: adopted, returned for changes, replaced, or open."""
    d = definition
    if d.status == "superseded":
        return (
            f"Changed: replaced by a later version on {d.superseded_at:%-d %B %Y}."
            if d.superseded_at
            else "Changed: replaced by a later version."
        )
    if d.status == "adopted":
        return f"Adopted on {d.adopted_at:%-d %B %Y}." if d.adopted_at else "Adopted."
    if d.status == "draft" and d.returned_at:
        return f"Returned to its authors for changes on {d.returned_at:%-d %B %Y}."
    if d.status == "in_review":
        return "In review: not adopted yet."
    return "Not submitted for review yet."


def review_report_data(definition) -> dict:
    """A definition's Compact review: its comment threads (two queries), the group's view, the
    Compact's commitment and what it asks checked against the record. The definition comes
    from definitions' `definition_with_content` (priorities and adoptions prefetched)."""
    on_date = selectors.today()
    threads = selectors.review_threads(definition)
    group_view = selectors.group_view_of(definition)
    priorities = list(definition.priorities.all())
    for priority in priorities:
        priority.threads = threads.get(priority.pk, [])
    adopted_ids = {a.authority_id for a in definition.authority_adoptions.all()}
    return {
        "definition": definition,
        "general_threads": threads.get(None, []),
        "priorities": priorities,
        "group_view": group_view,
        "commitment": selectors.national_compact().commitment("value_standard"),
        "commitment_checks": review_checks(
            definition, group_view=group_view, threads=threads, on_date=on_date
        ),
        "waiting_for": [a for a in definition.authorities.all() if a.pk not in adopted_ids],
        "review_due": definition.review_due(on_date),
        "outcome": review_outcome(definition),
    }


REVIEW_CONTENTS = [
    ("reviewed", "What was reviewed"),
    ("checks", "Checked against the Compact"),
    ("view", "The group's view and the outcome"),
    ("comments", "Comments from the Compact group"),
    ("sources", "Sources"),
]


def review_report(definition, options: dict) -> dict:
    page = definition_selectors.definition_with_content(definition.pk)
    return {**review_report_data(page), "contents": REVIEW_CONTENTS}


def review_version(definition, options: dict) -> str:
    d = definition
    comments = list(
        ReviewComment.objects.filter(definition=d)
        .order_by("pk")
        .values_list("pk", "body", "resolved_at", "resolution", "author_id")
    )
    views = list(
        GroupView.objects.filter(definition=d)
        .order_by("pk")
        .values_list("pk", "position", "reasons", "recorded_at")
    )
    adoptions = list(
        d.authority_adoptions.order_by("pk").values_list("authority_id", "decided_on", "reference")
    )
    priorities = list(
        d.priorities.order_by("order", "pk").values_list("pk", "outcome", "description")
    )
    return _digest(
        getattr(d.owner, "name", ""),
        getattr(d.review_group, "name", ""),
        [
            d.title,
            d.statement,
            d.status,
            d.version,
            d.review_on,
            d.voluntary_sector_role,
            d.adopted_at,
            d.returned_at,
            d.superseded_at,
        ],
        sorted(d.authorities.values_list("pk", flat=True)),
        # The schedule check turns when the review date passes.
        d.review_due(selectors.today()),
        comments,
        views,
        adoptions,
        priorities,
    )


# --- reviews of a joint strategy ---------------------------------------------------------------


def strategy_report(strategy, options: dict) -> dict:
    """A joint strategy (public, like its page) with its reviews, newest first, and the Compact's
    commitment it serves."""
    page = selectors.strategy_page(strategy.pk)
    return {
        "strategy": page,
        "reviews": list(page.reviews.all()),
        "commitment": selectors.national_compact().commitment("value_standard"),
    }


def strategy_version(strategy, options: dict) -> str:
    s = strategy
    reviews = list(
        s.reviews.order_by("pk").values_list(
            "pk", "reviewed_on", "findings", "changes", "next_review_on", "recorded_by_id"
        )
    )
    definition = (s.definition.title, s.definition.version) if s.definition_id is not None else None
    return _digest(
        s.compact.title,
        s.compact.area,
        s.compact.group.name,
        [s.title, s.policy, s.charter, s.lead_officer, s.review_every_months, s.next_review_on],
        definition,
        s.review_due,
        reviews,
    )
