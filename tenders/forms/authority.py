"""The authority's forms: a tender's details and dates, the reasons to publish below the
policy, documents, amendments, its local minimum weighting and answers to questions."""

from __future__ import annotations

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from socialvalue.core.forms import GDSFormMixin, GOVUKDateField, read_number, read_pounds
from socialvalue.kernel import limits
from tenders import scoring
from tenders.forms.common import SUITABLE_FOR, DeadlinesForm
from tenders.models import ContractType, Regime, TieBreak


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
    tie_break = forms.ChoiceField(
        label="If bids have equal total scores, which goes first?",
        widget=forms.RadioSelect,
        choices=TieBreak.choices,
        required=False,
        help_text="Published with the tender: bidders read it before they bid.",
    )
    regime = forms.ChoiceField(
        label="Which procurement rules does the award follow?",
        widget=forms.RadioSelect,
        choices=Regime.choices,
        required=False,
        help_text=(
            "Procurements begun before 24 February 2025 follow the Public Contracts Regulations "
            "2015; health care services arranged under the Provider Selection Regime follow it."
        ),
    )
    second_officer_opens_bids = forms.BooleanField(
        label="A second procurement officer must confirm the opening of the bids",
        required=False,
    )
    suitable_for = forms.MultipleChoiceField(
        label="Who is this contract suitable for? (optional)",
        help_text=(
            "Select all that apply. Published with the tender and in its open data, so that "
            "smaller suppliers and the voluntary sector can find it."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=SUITABLE_FOR,
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
            Field.radios("tie_break"),
            Field.radios("regime"),
            Field.checkbox("second_officer_opens_bids"),
            Field.checkboxes("suitable_for"),
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
            "tie_break": tender.tie_break,
            "regime": tender.regime,
            "second_officer_opens_bids": tender.second_officer_opens_bids,
            "suitable_for": [
                key for key, _label in SUITABLE_FOR if getattr(tender, f"suitable_for_{key}")
            ],
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
            "tie_break": data["tie_break"] or TieBreak.QUALITY_THEN_SOCIAL_VALUE,
            "regime": data["regime"] or Regime.PROCUREMENT_ACT_2023,
            "second_officer_opens_bids": data["second_officer_opens_bids"],
            "suitable_for_sme": "sme" in data["suitable_for"],
            "suitable_for_vcse": "vcse" in data["suitable_for"],
        }


# Service field names that the form shows under another name.
TENDER_ERROR_FIELDS = {
    "clarification_deadline": "clarification_deadline_date",
    "submission_deadline": "submission_deadline_date",
    "price_method_params": "points_per_percent",
    "file": "document_file",
}


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
    confirm = forms.BooleanField(
        label="I have checked the timetable, documents and award criteria above. Publish the "
        "tender now: bidders can see it and bid, and it cannot go back to draft.",
        error_messages={
            "required": "Confirm that you have checked the tender and want to publish it."
        },
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
