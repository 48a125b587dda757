"""Forms for tenders, criteria, clarifications and bids (GOV.UK Design System via crispy-forms-gds).

Forms only read and check what a person typed; the services decide what the state allows.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import conditional_escape, format_html

from socialvalue.core.forms import GDSFormMixin, GOVUKDateField, read_number, read_pounds
from socialvalue.kernel import limits, numbers
from tenders import scoring
from tenders.criteria import descriptors_from_text, descriptors_to_text
from tenders.models import ContractType


def plain(value: Decimal | None) -> str:
    """A number as a person types it: 50.000 -> '50', 12.50 -> '12.5' (never '5E+1')."""
    if value is None:
        return ""
    return numbers.plain(value)


def refresh_layout(form) -> None:
    """Rebuild the GOV.UK helper after a form adds or removes fields in __init__ (the helper
    lays out the fields that existed when it was made)."""
    form.helper = FormHelper(form)
    form.helper.form_tag = False


TIME_HELP = "Use the 24-hour clock, UK time. For example, 09:00 or 17:30."
_TIME = re.compile(r"^(?P<hours>\d{1,2})[:.]?(?P<minutes>\d{2})$")


class ClockTimeField(forms.CharField):
    """A time of day typed as HH:MM on the 24-hour clock (UK time); errors name the part at fault.

    GOV.UK Frontend has no time component, so this is a plain text input of five characters
    with a hint, as the Design System's "ask users for dates and times" pattern suggests.
    Accepts 17:30, 17.30, 1730 and 9:05; returns a `datetime.time`.
    """

    def __init__(self, *, subject: str, **kwargs):
        kwargs.setdefault("help_text", TIME_HELP)
        super().__init__(**kwargs)
        self.subject = subject
        self.widget.attrs.update(inputmode="numeric", spellcheck="false", autocomplete="off")

    def clean(self, value) -> time | None:
        text = super().clean(value)
        if not text:
            return None
        found = _TIME.match(text.strip())
        if found is None:
            raise ValidationError(
                f"{self.subject} must be a time on the 24-hour clock, like 09:00 or 17:30."
            )
        hours, minutes = int(found["hours"]), int(found["minutes"])
        if hours > 23:
            raise ValidationError(f"{self.subject}: the hour must be from 00 to 23.")
        if minutes > 59:
            raise ValidationError(f"{self.subject}: the minutes must be from 00 to 59.")
        return time(hours, minutes)


class DeadlinesForm(forms.Form):
    """The two deadlines, each a GOV.UK date input and a 24-hour time (UK time)."""

    clarification_deadline_date = GOVUKDateField(
        label="Deadline for questions", subject="Deadline for questions", required=False
    )
    clarification_deadline_time = ClockTimeField(
        label="Time questions close", subject="Time questions close", required=False
    )
    submission_deadline_date = GOVUKDateField(
        label="Deadline for bids", subject="Deadline for bids", required=False
    )
    submission_deadline_time = ClockTimeField(
        label="Time bids close", subject="Time bids close", required=False
    )

    def _moment(self, name: str, label: str) -> datetime | None:
        """The deadline from its date and time fields, in UK time; None when both are empty.
        A part with its own error (an impossible date, a bad time) is not reported twice."""
        day = self.cleaned_data.get(f"{name}_date")
        clock = self.cleaned_data.get(f"{name}_time")
        date_failed = f"{name}_date" in self.errors
        time_failed = f"{name}_time" in self.errors
        if date_failed or time_failed:
            return None
        if day is None and clock is None:
            return None
        if day is None:
            self.add_error(f"{name}_date", f"Enter the date of the {label}.")
            return None
        if clock is None:
            self.add_error(f"{name}_time", f"Enter the time of the {label}.")
            return None
        # The service's time zone (Europe/London), so 12:00 means noon in the UK, BST or not.
        return timezone.make_aware(datetime.combine(day, clock))

    def clean(self):
        data = super().clean()
        data["clarification_deadline"] = self._moment(
            "clarification_deadline", "deadline for questions"
        )
        data["submission_deadline"] = self._moment("submission_deadline", "deadline for bids")
        return data

    @staticmethod
    def deadline_initial(tender) -> dict:
        """The boxes filled from a tender's deadlines, in UK time."""
        initial = {}
        for name in ("clarification_deadline", "submission_deadline"):
            moment = getattr(tender, name)
            if moment is not None:
                local = timezone.localtime(moment)
                initial[f"{name}_date"] = local.date()
                initial[f"{name}_time"] = local.strftime("%H:%M")
        return initial


class TenderForm(GDSFormMixin, DeadlinesForm):
    """A tender's details and key dates."""

    authority = forms.ModelChoiceField(
        label="Which authority is buying?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the authority that is buying."},
    )
    title = forms.CharField(
        label="Title", max_length=250, error_messages={"required": "Enter a title."}
    )
    reference = forms.CharField(label="Your reference (optional)", max_length=40, required=False)
    description = forms.CharField(
        label="What is being bought",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Describe what is being bought."},
    )
    planned_contract = forms.ModelChoiceField(
        label="Planned contract and its Social Value Act check (optional)",
        queryset=None,
        required=False,
        empty_label="No planned contract",
        help_text="The check recorded for it is shown with the tender.",
    )
    contract_type = forms.ChoiceField(
        label="Type of contract",
        choices=ContractType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of contract."},
    )
    estimated_value = forms.CharField(
        label="Estimated whole-life value, excluding VAT",
        help_text="In pounds, including any extensions and options.",
        error_messages={"required": "Enter the estimated value."},
    )
    market_statement_url = forms.URLField(
        label="Web address of your social value market statement (optional)",
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
    )
    evaluation_date = GOVUKDateField(
        label="Evaluation completed by (optional)",
        subject="The date evaluation is completed by",
        required=False,
    )
    award_date = GOVUKDateField(
        label="Expected award date (optional)", subject="The expected award date", required=False
    )
    contract_start = GOVUKDateField(
        label="Contract start (optional)", subject="The contract start", required=False
    )
    contract_end = GOVUKDateField(
        label="Contract end (optional)", subject="The contract end", required=False
    )
    price_method = forms.ChoiceField(
        label="How will price be scored?",
        widget=forms.RadioSelect,
        choices=[(m.name, m.label) for m in scoring.PRICE_METHODS.values()],
    )
    points_per_percent = forms.CharField(
        label="Percentage of the price weighting deducted for each 1% above the lowest price",
        required=False,
        help_text="For example 2: a bid 10% above the lowest keeps 80% of the price weighting.",
    )
    price_breakdown_required = forms.BooleanField(
        label="Ask bidders for a breakdown of their price", required=False
    )
    price_breakdown_guidance = forms.CharField(
        label="What the breakdown should show (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, authorities, planned_contracts, fixed_authority=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        if fixed_authority is None and authorities.count() == 1:
            fixed_authority = authorities.first()
        self.fixed_authority = fixed_authority
        if fixed_authority is not None:
            del self.fields["authority"]
        self.fields["planned_contract"].queryset = planned_contracts
        deduction = "deduction_per_percent_above_lowest"
        self.helper.layout = Layout(
            *(["authority"] if "authority" in self.fields else []),
            Field.text("title"),
            Field.text("reference", field_width=20),
            Field.textarea("description"),
            Field.select("planned_contract"),
            Field.radios("contract_type"),
            Field.text("estimated_value", field_width=10),
            Field.text("market_statement_url"),
            Field("clarification_deadline_date"),
            Field.text("clarification_deadline_time", field_width=5),
            Field("submission_deadline_date"),
            Field.text("submission_deadline_time", field_width=5),
            Field("evaluation_date"),
            Field("award_date"),
            Field("contract_start"),
            Field("contract_end"),
            ConditionalRadios(
                "price_method",
                *[
                    ConditionalQuestion(m.label, Field.text("points_per_percent", field_width=5))
                    if m.name == deduction
                    else m.label
                    for m in scoring.PRICE_METHODS.values()
                ],
            ),
            Field.checkbox("price_breakdown_required"),
            Field.textarea("price_breakdown_guidance"),
        )

    @classmethod
    def initial_for(cls, tender) -> dict:
        return {
            **cls.deadline_initial(tender),
            "authority": tender.authority_id,
            "title": tender.title,
            "reference": tender.reference,
            "description": tender.description,
            "planned_contract": tender.planned_contract_id,
            "contract_type": tender.contract_type,
            "estimated_value": tender.estimated_value,
            "market_statement_url": tender.market_statement_url,
            "evaluation_date": tender.evaluation_date,
            "award_date": tender.award_date,
            "contract_start": tender.contract_start,
            "contract_end": tender.contract_end,
            "price_method": tender.price_method,
            "points_per_percent": (tender.price_method_params or {}).get("points_per_percent", ""),
            "price_breakdown_required": tender.price_breakdown_required,
            "price_breakdown_guidance": tender.price_breakdown_guidance,
        }

    def clean_estimated_value(self):
        return read_pounds(self.cleaned_data["estimated_value"], what="an estimated value")

    def clean(self):
        data = super().clean()
        if self.fixed_authority is not None:
            data["authority"] = self.fixed_authority
        params = {}
        if data.get("price_method") == "deduction_per_percent_above_lowest":
            try:
                value = read_number(
                    data.get("points_per_percent"), limit=limits.DEDUCTION, what="a deduction"
                )
            except ValidationError as error:
                self.add_error("points_per_percent", error)
                value = None
            if value is None and "points_per_percent" not in self.errors:
                self.add_error(
                    "points_per_percent", "Enter the deduction for each 1% above the lowest price."
                )
            elif value is not None:
                params["points_per_percent"] = str(value)
        data["price_method_params"] = params
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "reference": data["reference"],
            "description": data["description"],
            "planned_contract": data["planned_contract"],
            "contract_type": data["contract_type"],
            "estimated_value": data["estimated_value"],
            "market_statement_url": data["market_statement_url"],
            "clarification_deadline": data["clarification_deadline"],
            "submission_deadline": data["submission_deadline"],
            "evaluation_date": data["evaluation_date"],
            "award_date": data["award_date"],
            "contract_start": data["contract_start"],
            "contract_end": data["contract_end"],
            "price_method": data["price_method"],
            "price_method_params": data["price_method_params"],
            "price_breakdown_required": data["price_breakdown_required"],
            "price_breakdown_guidance": data["price_breakdown_guidance"],
        }


# Service field names that the form shows under another name.
TENDER_ERROR_FIELDS = {
    "clarification_deadline": "clarification_deadline_date",
    "submission_deadline": "submission_deadline_date",
    "price_method_params": "points_per_percent",
    "file": "document_file",
}


class LotForm(GDSFormMixin, forms.Form):
    title = forms.CharField(
        label="Lot title", max_length=250, error_messages={"required": "Enter the lot's title."}
    )
    description = forms.CharField(
        label="What this lot covers (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    estimated_value = forms.CharField(
        label="Estimated value of this lot, excluding VAT (optional)", required=False
    )

    def clean_estimated_value(self):
        return read_pounds(self.cleaned_data["estimated_value"], what="a lot value")


class CriterionForm(GDSFormMixin, forms.Form):
    """One award criterion: name, weight, question, marking scale; for social value, the priority."""

    kind = forms.ChoiceField(
        label="Which part of the score is it?",
        widget=forms.RadioSelect,
        choices=[("quality", "Quality"), ("social_value", "Social value"), ("price", "Price")],
        required=False,
    )
    name = forms.CharField(
        label="Name", max_length=250, error_messages={"required": "Enter a name."}
    )
    weight = forms.CharField(
        label="Weight, as a percentage of the level above",
        help_text="The criteria at each level must add up to 100.",
        error_messages={"required": "Enter the weight."},
    )
    question = forms.CharField(
        label="Question for bidders",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ask for specific, measurable commitments rather than an open question.",
    )
    word_limit = forms.CharField(label="Word limit (optional)", required=False)
    max_mark = forms.CharField(
        label="Highest mark", required=False, help_text="For example 5 or 100."
    )
    descriptors = forms.CharField(
        label="What each mark means",
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="One line per mark: the mark, a colon, then what an answer must show to get it.",
    )
    pass_mark = forms.CharField(
        label="Pass mark (optional)",
        required=False,
        help_text="A bid marked below this on this question is excluded.",
    )
    priority = forms.ModelChoiceField(
        label="Local priority this question serves",
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    measures = forms.ModelMultipleChoiceField(
        label="Measures bidders may commit to",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, kind: str | None, priorities, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind is not None:
            del self.fields["kind"]
        self.fields["priority"].queryset = priorities
        self.fields["priority"].label_from_instance = lambda p: (
            f"{p.get_theme_display()}: {p.outcome}"
        )
        self.fields["measures"].queryset = measures
        self.fields["measures"].label_from_instance = lambda m: f"{m.code} {m.name} ({m.unit})"
        if kind == "price":
            for name in (
                "question",
                "word_limit",
                "max_mark",
                "descriptors",
                "pass_mark",
                "priority",
                "measures",
            ):
                del self.fields[name]
        elif kind == "quality":
            del self.fields["priority"]
            del self.fields["measures"]
        elif kind == "social_value" and not priorities.exists():
            del self.fields["priority"]
        refresh_layout(self)

    @classmethod
    def initial_for(cls, criterion) -> dict:
        return {
            "name": criterion.name,
            "weight": plain(criterion.weight),
            "question": criterion.question,
            "word_limit": criterion.word_limit,
            "max_mark": plain(criterion.max_mark),
            "descriptors": descriptors_to_text(criterion.descriptors or []),
            "pass_mark": plain(criterion.pass_mark),
            "priority": criterion.priority_id,
            "measures": [m.pk for m in criterion.measures.all()],
        }

    def clean_weight(self):
        return read_number(self.cleaned_data["weight"], limit=limits.WEIGHT, what="a weight")

    def clean_word_limit(self):
        words = read_number(
            self.cleaned_data.get("word_limit"), limit=limits.WORD_LIMIT, what="a word limit"
        )
        return None if words is None else int(words)

    def clean_max_mark(self):
        return read_number(
            self.cleaned_data.get("max_mark"), limit=limits.HIGHEST_MARK, what="a highest mark"
        )

    def clean_pass_mark(self):
        return read_number(
            self.cleaned_data.get("pass_mark"), limit=limits.MARK, what="a pass mark"
        )

    def clean_descriptors(self):
        text = self.cleaned_data.get("descriptors", "")
        if not text.strip():
            return None
        try:
            descriptors = descriptors_from_text(text)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        for item in descriptors:
            try:
                limits.MARK.check(Decimal(item["mark"]), what="a mark")
            except limits.LimitError as error:
                raise ValidationError(f"Mark {item['mark']}: {error.message}") from None
        return descriptors

    def clean(self):
        data = super().clean()
        maximum, pass_mark = data.get("max_mark"), data.get("pass_mark")
        if maximum is not None and pass_mark is not None and not 0 <= pass_mark <= maximum:
            self.add_error("pass_mark", f"The pass mark must be between 0 and {maximum}.")
        for item in data.get("descriptors") or []:
            if maximum is not None and not 0 <= Decimal(item["mark"]) <= maximum:
                self.add_error("descriptors", f"Mark {item['mark']} is outside 0 to {maximum}.")
                break
        return data


class WeightsForm(GDSFormMixin, forms.Form):
    """Every weight of a lot on one page; each level must add up to 100."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for item in rows:
            criterion = item.criterion
            self.fields[f"weight_{criterion.pk}"] = forms.CharField(
                label=format_html(
                    "{}{} ({})",
                    "— " * item.depth,
                    criterion.name,
                    criterion.get_kind_display().lower(),
                ),
                initial=plain(criterion.weight),
                error_messages={"required": f"Enter the weight of {criterion.name}."},
            )
        self.helper.layout = Layout(*[Field.text(name, field_width=5) for name in self.fields])

    def clean(self):
        data = super().clean()
        weights = {}
        for name in list(self.fields):
            try:
                value = read_number(data.get(name), limit=limits.WEIGHT, what="a weight")
            except ValidationError as error:
                self.add_error(name, error)
                continue
            if value is not None:
                weights[int(name.removeprefix("weight_"))] = value
        data["weights"] = weights
        return data


class ReasonsForm(GDSFormMixin, forms.Form):
    low_social_value_reason = forms.CharField(
        label="Why is social value weighted below the minimum?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    untied_question_reason = forms.CharField(
        label="Why are some social value questions not tied to a local priority?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentForm(GDSFormMixin, forms.Form):
    title = forms.CharField(
        label="Title", max_length=250, error_messages={"required": "Enter the document's title."}
    )
    file = forms.FileField(label="File", error_messages={"required": "Choose a file."})


class AmendmentForm(GDSFormMixin, DeadlinesForm):
    """Amend an open tender: its deadlines (filled in as they are now) and a document, and why."""

    reason = forms.CharField(
        label="Why is the tender being amended?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bidders are emailed this with the changes, and it is shown on the tender.",
        error_messages={"required": "Say why the tender is being amended: bidders read it."},
    )
    document_title = forms.CharField(
        label="Title of a new document (optional)", max_length=250, required=False
    )
    document_file = forms.FileField(label="New document (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("reason"),
            Field("submission_deadline_date"),
            Field.text("submission_deadline_time", field_width=5),
            Field("clarification_deadline_date"),
            Field.text("clarification_deadline_time", field_width=5),
            Field.text("document_title"),
            Field("document_file"),
        )

    def clean(self):
        data = super().clean()
        title, upload = data.get("document_title"), data.get("document_file")
        if upload and not title:
            self.add_error("document_title", "Enter the document's title.")
        elif title and not upload and "document_file" not in self.errors:
            self.add_error("document_file", "Choose the document's file.")
        # Both deadlines stay set on a published tender: an emptied one is an error, not "no change".
        for name, label in (
            ("submission_deadline", "deadline for bids"),
            ("clarification_deadline", "deadline for questions"),
        ):
            if data.get(name) is None and not {f"{name}_date", f"{name}_time"} & set(self.errors):
                self.add_error(f"{name}_date", f"Enter the {label}.")
        return data

    def documents(self) -> list[tuple[str, object]]:
        upload = self.cleaned_data.get("document_file")
        return [(self.cleaned_data["document_title"], upload)] if upload else []


class LocalMinimumForm(GDSFormMixin, forms.Form):
    title = forms.CharField(
        label="Policy title",
        max_length=250,
        error_messages={"required": "Enter the policy's title."},
    )
    percent = forms.CharField(
        label="Minimum social value weighting, % of the total score",
        help_text="For example, 10 or 12.5.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        error_messages={"required": "Enter the minimum weighting, as a percentage."},
    )
    starts = GOVUKDateField(label="In force from", subject="The date it is in force from")
    ends = GOVUKDateField(
        label="In force until (optional)", subject="The date it is in force until", required=False
    )
    source_url = forms.URLField(
        label="Where the policy is published (optional)",
        required=False,
        assume_scheme="https",
        help_text="Its web address, for example https://www.example.gov.uk/social-value.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
        error_messages={"invalid": "Enter a web address, like https://www.example.gov.uk/policy."},
    )

    def clean_percent(self):
        return read_number(
            self.cleaned_data["percent"], limit=limits.PERCENT, what="a minimum weighting"
        )


class QuestionForm(GDSFormMixin, forms.Form):
    bidder = forms.ModelChoiceField(
        label="Asking for", queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    question = forms.CharField(
        label="Your question",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="If the answer is published to all bidders, your organisation will not be named.",
        error_messages={"required": "Enter your question."},
    )

    def __init__(self, *args, bidders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bidder"].queryset = bidders
        self.only_bidder = bidders.first() if bidders.count() == 1 else None
        if self.only_bidder is not None:
            # One organisation: nothing to choose, so no question to answer.
            del self.fields["bidder"]
            refresh_layout(self)

    def clean(self):
        data = super().clean()
        if self.only_bidder is not None:
            data["bidder"] = self.only_bidder
        return data


class AnswerForm(GDSFormMixin, forms.Form):
    answer = forms.CharField(label="Answer", widget=forms.Textarea(attrs={"rows": 5}))
    publish = forms.ChoiceField(
        label="Who should see the answer?",
        widget=forms.RadioSelect,
        choices=[
            ("all", "Publish to all bidders, without saying who asked"),
            ("asker", "Only the bidder who asked"),
        ],
        error_messages={"required": "Choose who should see the answer."},
    )
    published_question = forms.CharField(
        label="The question as all bidders will see it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Remove anything that identifies who asked (names, places, references to their bid).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("answer"),
            ConditionalRadios(
                "publish",
                ConditionalQuestion(
                    "Publish to all bidders, without saying who asked",
                    Field.textarea("published_question"),
                ),
                "Only the bidder who asked",
            ),
        )


class BidderChoiceForm(GDSFormMixin, forms.Form):
    bidder = forms.ModelChoiceField(
        label="Which organisation is bidding?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the organisation that is bidding."},
    )

    def __init__(self, *args, bidders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bidder"].queryset = bidders
        # One organisation is named on the page, not offered as a one-option question.
        self.only_bidder = bidders[0] if len(bidders) == 1 else None
        if self.only_bidder is not None:
            self.fields["bidder"].initial = self.only_bidder.pk
            self.fields["bidder"].widget = forms.HiddenInput()
            refresh_layout(self)


class BidForm(GDSFormMixin, forms.Form):
    """A bid's price and its answer to each question of the lot."""

    price = forms.CharField(
        label="Total price, excluding VAT",
        required=False,
        help_text="In pounds, for the whole contract.",
    )
    price_breakdown = forms.CharField(
        label="Price breakdown", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(
        self,
        *args,
        questions,
        has_price: bool,
        breakdown: bool,
        breakdown_guidance: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not has_price:
            del self.fields["price"]
        if not breakdown:
            del self.fields["price_breakdown"]
        elif breakdown_guidance:
            self.fields["price_breakdown"].help_text = conditional_escape(breakdown_guidance)
        self.questions = questions
        for row in questions:
            hint = conditional_escape(row.question)
            if row.word_limit:
                hint = format_html("{} (up to {} words)", hint, row.word_limit)
            self.fields[f"answer_{row.pk}"] = forms.CharField(
                label=format_html("{}: {}", row.get_kind_display(), row.name),
                help_text=hint,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        refresh_layout(self)

    def clean_price(self):
        return read_pounds(self.cleaned_data.get("price"), what="a price")

    def answers(self) -> dict[int, str]:
        return {
            int(name.removeprefix("answer_")): self.cleaned_data.get(name, "")
            for name in self.fields
            if name.startswith("answer_")
        }


class CommitmentForm(GDSFormMixin, forms.Form):
    criterion = forms.ModelChoiceField(
        label="Which social value question does it answer?",
        queryset=None,
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    measure = forms.ModelChoiceField(
        label="Measure",
        queryset=None,
        empty_label="Choose a measure",
        error_messages={"required": "Choose a measure."},
    )
    quantity = forms.CharField(
        label="Quantity",
        help_text="In the measure's unit.",
        error_messages={"required": "Enter the quantity."},
    )
    timing = forms.CharField(
        label="When will it be delivered?",
        max_length=250,
        help_text="For example: in the first year of the contract, or every year.",
        error_messages={"required": "Say when it will be delivered."},
    )

    def __init__(self, *args, questions, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = questions
        if not questions.exists():
            del self.fields["criterion"]
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: f"{m.code} {m.name} ({m.unit})"
        refresh_layout(self)

    def clean_quantity(self):
        return read_number(self.cleaned_data["quantity"], limit=limits.QUANTITY, what="a quantity")


class AttachmentForm(GDSFormMixin, forms.Form):
    file = forms.FileField(label="File", error_messages={"required": "Choose a file."})
    criterion = forms.ModelChoiceField(
        label="Which question is it for? (optional)",
        queryset=None,
        required=False,
        empty_label="Not for one question",
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = questions


class OpportunityFilterForm(forms.Form):
    """The search and filters of the opportunities list (GET)."""

    q = forms.CharField(label="Search", required=False)
    authority = forms.ModelChoiceField(
        label="Authority", queryset=None, required=False, empty_label="Any authority"
    )
    value = forms.ChoiceField(label="Contract value", required=False)
    closing = forms.ChoiceField(
        label="Closing",
        required=False,
        choices=[
            ("", "Any time"),
            ("7", "Within 7 days"),
            ("14", "Within 14 days"),
            ("30", "Within 30 days"),
            ("90", "Within 90 days"),
        ],
    )
    lot = forms.CharField(label="Lot title contains", required=False)
    closed = forms.BooleanField(label="Include closed tenders", required=False)

    def __init__(self, *args, authorities, bands, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        self.fields["value"].choices = [("", "Any value")] + [(b.key, b.label) for b in bands]
