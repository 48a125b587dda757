"""The award's forms: resolving a tie, querying an abnormally low price and deciding on the
explanation (the officer's), explaining it (the bidder's), the award decision per lot,
replacing a winner who fell away, issuing the award, challenges and the contract."""

from __future__ import annotations

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout
from django import forms

from socialvalue.core.forms import GDSFormMixin, GOVUKDateField, read_pounds
from tenders.forms.common import refresh_layout

REJECTION_RULE = (
    "You may reject the bid only where the explanation does not account for the low price. You "
    "must reject it where the price is low because it breaches environmental, social or labour "
    "law (Public Contracts Regulations 2015, regulation 69; Procurement Act 2023, section "
    "19(3)(c) to (5))."
)


class TieForm(GDSFormMixin, forms.Form):
    chosen_bid = forms.TypedChoiceField(
        label="Which bid goes first?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the bid that goes first."},
    )
    explanation = forms.CharField(
        label="How was the tie resolved under the published rule?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bidders may read this in the record of the award.",
        error_messages={"required": "Say how the tie was resolved under the published rule."},
    )

    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen_bid"].choices = [(bid.pk, bid.bidder.name) for bid in bids]


class AbnormallyLowRequestForm(GDSFormMixin, forms.Form):
    request = forms.CharField(
        label="What should the bidder explain?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "For example: how the staff costs meet at least the National Living Wage, what the "
            "running costs include, and any saving or subsidy that lowers the price."
        ),
        error_messages={"required": "Say what the bidder should explain about the price."},
    )


class ExplanationForm(GDSFormMixin, forms.Form):
    response = forms.CharField(
        label="Your explanation of the price",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Explain how the price was reached."},
    )
    file = forms.FileField(
        label="Attach evidence (optional)",
        required=False,
        help_text="A costing, payroll summary or quotation. Send the form again to add more.",
    )


class QueryDecisionForm(GDSFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="What do you decide?",
        widget=forms.RadioSelect,
        choices=[
            ("accept", "Accept the explanation: the bid stays in the running"),
            ("reject", "Reject the bid as abnormally low"),
        ],
        help_text=REJECTION_RULE,
        error_messages={"required": "Choose whether to accept the explanation."},
    )
    breaches_law = forms.BooleanField(
        label="The low price comes from breaching environmental, social or labour law",
        required=False,
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The bidder reads it.",
        error_messages={"required": "Give the reason for the decision: the bidder is told it."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            ConditionalRadios(
                "decision",
                "Accept the explanation: the bid stays in the running",
                ConditionalQuestion("Reject the bid as abnormally low", Field("breaches_law")),
            ),
            Field.textarea("reason"),
        )


class AwardDecisionForm(GDSFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="What is the award decision for this lot?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to award this lot."},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed when the lot is not awarded (for example, no compliant bid).",
    )

    def __init__(self, *args, leader=None, **kwargs):
        super().__init__(*args, **kwargs)
        award = f"Award to {leader.bidder.name}, ranked first" if leader else "Award the lot"
        self.fields["outcome"].choices = [
            ("award", award),
            ("no_award", "Do not award this lot"),
        ]
        self.helper.layout = Layout(
            ConditionalRadios(
                "outcome",
                award,
                ConditionalQuestion("Do not award this lot", Field.textarea("reason")),
            )
        )


class ReplaceWinnerForm(GDSFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why has the chosen bidder fallen away?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: withdrew its bid, or failed the checks before contract.",
        error_messages={"required": "Say why the chosen bidder has fallen away."},
    )


class IssueAwardForm(GDSFormMixin, forms.Form):
    sent_electronically = forms.TypedChoiceField(
        label="How will the letters be sent?",
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        choices=[
            ("yes", "By email through this service"),
            ("no", "By post or another way that is not electronic"),
        ],
        initial="yes",
        help_text="Under the Public Contracts Regulations 2015 this changes the standstill.",
        error_messages={"required": "Choose how the letters will be sent."},
    )


class ChallengeForm(GDSFormMixin, forms.Form):
    summary = forms.CharField(
        label="What is challenged, and by whom?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what is challenged and by whom."},
    )
    received_on = GOVUKDateField(label="Date received", subject="The date received")


class ChallengeResolveForm(GDSFormMixin, forms.Form):
    resolution = forms.CharField(
        label="How was the challenge resolved?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say how the challenge was resolved."},
    )


class ContractForm(GDSFormMixin, forms.Form):
    reference = forms.CharField(
        label="Contract reference (optional)", max_length=60, required=False
    )
    value = forms.CharField(
        label="Contract value, excluding VAT",
        help_text="In pounds, for the whole term.",
        error_messages={"required": "Enter the contract's value."},
    )
    signed_on = GOVUKDateField(label="Date signed", subject="The date signed")
    starts_on = GOVUKDateField(label="Contract start", subject="The contract start")
    ends_on = GOVUKDateField(label="Contract end", subject="The contract end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update(inputmode="decimal", spellcheck="false")
        refresh_layout(self)

    def clean_value(self):
        return read_pounds(self.cleaned_data["value"], what="a contract value")
