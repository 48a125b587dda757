"""The bidder's forms: a question, which organisation bids, the bid itself, a commitment, an
attachment, and the opportunities filters."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fieldset, Layout
from django import forms
from django.utils.html import conditional_escape, format_html

from socialvalue.core.forms import GDSFormMixin, read_number, read_pounds
from socialvalue.kernel import limits, numbers
from tenders.forms.common import refresh_layout
from tenders.selectors import questions_by_kind


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
            share = getattr(row, "share", None)
            self.fields[f"answer_{row.pk}"] = forms.CharField(
                label=format_html(
                    "{}{}",
                    row.name,
                    f" ({numbers.percent(share)} of the total score)" if share else "",
                ),
                help_text=hint,
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
        refresh_layout(self)
        # Price first, then the questions grouped by kind in the tree's order. A word limit gets
        # GOV.UK's word count as the bidder types; the server counts again when it saves.
        parts = [name for name in ("price", "price_breakdown") if name in self.fields]
        layout = [Fieldset(*parts, legend="Price", legend_size="m")] if parts else []
        for label, rows in questions_by_kind(questions):
            fields = [
                Field.textarea(f"answer_{row.pk}", rows=8, max_words=row.word_limit)
                if row.word_limit
                else Field.textarea(f"answer_{row.pk}", rows=6)
                for row in rows
            ]
            layout.append(Fieldset(*fields, legend=f"{label} questions", legend_size="m"))
        self.helper.layout = Layout(*layout)

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

    def __init__(self, *args, questions, measures, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = questions
        if question is not None:
            # The question was chosen first: its measures are the only ones offered.
            self.fields["criterion"].widget = forms.HiddenInput()
            self.fields["criterion"].initial = question.pk
            self.fields["measure"].error_messages["invalid_choice"] = (
                f"That measure is not one '{question.name}' asks for. Choose one from the list, "
                "or go back and choose another question."
            )
        elif not questions.exists():
            del self.fields["criterion"]
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: f"{m.code} {m.name} ({m.unit})"
        refresh_layout(self)

    def clean_quantity(self):
        return read_number(self.cleaned_data["quantity"], limit=limits.QUANTITY, what="a quantity")


class CommitmentQuestionForm(GDSFormMixin, forms.Form):
    """First step of a commitment: which social value question it answers (a GET form)."""

    question = forms.ModelChoiceField(
        label="Which social value question does your commitment answer?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the social value question your commitment answers.",
            "invalid_choice": "Choose one of this lot's social value questions.",
        },
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions
        self.fields["question"].label_from_instance = lambda row: (
            f"{row.name}: serves '{row.priority.outcome}'" if row.priority_id else row.name
        )
        self.helper.disable_csrf = True


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


DECLARATION = (
    "I confirm that this bid is complete and accurate, that I am authorised to submit it for "
    "my organisation, and that its social value commitments are ones my organisation intends "
    "to deliver and to report on if it wins the contract."
)


class SubmitDeclarationForm(GDSFormMixin, forms.Form):
    """The declaration a bidder confirms before submitting."""

    declaration = forms.BooleanField(
        label=DECLARATION,
        error_messages={"required": "Confirm the declaration to submit your bid."},
    )


class SavedSearchForm(GDSFormMixin, forms.Form):
    """Save the opportunity filters in use (carried as the page's query string) under a name."""

    name = forms.CharField(
        label="Name of the search",
        max_length=120,
        help_text="For example: care services in Northfield.",
        error_messages={"required": "Give the search a name."},
    )
    email_alerts = forms.BooleanField(
        label="Email me when new tenders match", required=False, initial=True
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
