"""Forms of the delivery pages. They read what was typed as text; the services check it and
their errors show next to the field, with what was typed kept."""

from django import forms

from socialvalue.core.forms import GDSFormMixin, GOVUKDateField, read_pounds


def _percent(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": "Enter a percentage from 0 to 100, like 25.",
            "min_value": "Enter a percentage from 0 to 100.",
            "max_value": "Enter a percentage from 0 to 100.",
            "max_digits": "Enter a percentage from 0 to 100 with at most 2 decimal places.",
            "max_decimal_places": "Enter a percentage with at most 2 decimal places.",
        },
    )


class AssumptionsForm(GDSFormMixin, forms.Form):
    deadweight = _percent("Deadweight (%): the share that would have happened anyway")
    attribution = _percent("Attribution (%): the share owed to others")
    displacement = _percent("Displacement (%): the share merely moved from elsewhere")
    drop_off = _percent("Drop-off (% a year): how much the outcome falls each later year")
    duration_years = forms.IntegerField(
        label="Years an outcome lasts",
        min_value=1,
        max_value=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter a whole number of years from 1 to 30.",
            "min_value": "Enter a whole number of years from 1 to 30.",
            "max_value": "Enter a whole number of years from 1 to 30.",
        },
    )
    include_unconfirmed = forms.BooleanField(
        label="Include values whose source is not yet confirmed in the totals",
        required=False,
    )


class ReturnForm(GDSFormMixin, forms.Form):
    """One quantity, note and evidence choice per commitment of the contract."""

    def __init__(self, *args, commitments=(), evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(item.pk, f"{item.description} ({item.original_name})") for item in evidence]
        for commitment in commitments:
            measure = commitment.measure
            self.fields[f"quantity_{commitment.pk}"] = forms.CharField(
                label=f"{measure.code} {measure.name}: quantity delivered ({measure.unit})",
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.fields[f"note_{commitment.pk}"] = forms.CharField(
                label=f"{measure.code}: note on any difference from the target (optional)",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"evidence_{commitment.pk}"] = forms.TypedMultipleChoiceField(
                label=f"{measure.code}: evidence from your library",
                required=False,
                coerce=int,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
            )


class EvidenceForm(GDSFormMixin, forms.Form):
    description = forms.CharField(label="What the file shows", max_length=500)
    file = forms.FileField(label="File", required=False)


def line_prefix(line_pk: int) -> str:
    """The prefix of a return line's decision and answer forms: the return page shows one per
    line, so each needs its own element ids (and labels that point at its own inputs)."""
    return f"line-{line_pk}"


class DecisionForm(GDSFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept"), ("query", "Query"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Question or reason (needed to query or reject)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(GDSFormMixin, forms.Form):
    answer = forms.CharField(
        label="Your answer", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


WHOLE_CONTRACT = ""


def _commitment_choices(commitments) -> list[tuple[str, str]]:
    return [(WHOLE_CONTRACT, "The whole contract")] + [
        (str(c.pk), f"{c.measure.code} {c.measure.name}") for c in commitments
    ]


class RemedyForm(GDSFormMixin, forms.Form):
    """A remedy agreed for delivery at risk: for which commitment, what, by when."""

    commitment = forms.ChoiceField(label="What the remedy is for", required=False)
    agreed = forms.CharField(
        label="What was agreed with the supplier",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what was agreed with the supplier."},
    )
    due_on = GOVUKDateField(label="To be done by", subject="The date it is to be done by")

    def __init__(self, *args, commitments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = _commitment_choices(commitments)


class RemedyOutcomeForm(GDSFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Was the remedy met?",
        choices=[("met", "Met"), ("not_met", "Not met")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the remedy was met or not."},
    )
    outcome_note = forms.CharField(
        label="What happened",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what happened."},
    )


class PerformanceFailureForm(GDSFormMixin, forms.Form):
    """The fields of the UK OCDS extension's PerformanceFailure object."""

    commitment = forms.ChoiceField(label="What the failure concerns", required=False)
    requirement = forms.CharField(
        label="Requirement not carried out",
        help_text="The requirement that has not been carried out successfully.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say which requirement was not carried out."},
    )
    description = forms.CharField(
        label="Description of the performance failure",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the performance failure."},
    )
    decision_date = GOVUKDateField(
        label="Date of the decision that the supplier had failed to improve its performance",
        subject="The date of the decision",
    )
    penalty_date = GOVUKDateField(
        label="Date of the penalty (optional)",
        subject="The date of the penalty",
        required=False,
        help_text="The earliest of the dates of any partial termination, award of damages or "
        "settlement agreement.",
    )
    penalty_type = forms.ChoiceField(
        label="Penalty type (optional)",
        required=False,
        widget=forms.RadioSelect,
    )
    penalty_type_entered = forms.CharField(
        label="Penalty type, in your words (optional)",
        required=False,
        max_length=500,
    )
    penalty_amount = forms.CharField(
        label="Penalty value in pounds (optional)",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )
    partial_termination = forms.CharField(
        label="Partial termination of the contract that resulted (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, commitments=(), penalty_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].choices = _commitment_choices(commitments)
        self.fields["penalty_type"].choices = [("", "None or not yet decided")] + [
            (p.code, f"{p.title}: {p.description}") for p in penalty_types
        ]

    def clean_penalty_amount(self):
        return read_pounds(self.cleaned_data["penalty_amount"], what="a penalty value")


class AcceptUnsampledForm(GDSFormMixin, forms.Form):
    note = forms.CharField(
        label="What you checked before accepting the other lines",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what you checked before accepting these lines."},
    )
