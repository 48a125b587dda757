"""Forms for local social value definitions and their priorities."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.utils.text import format_lazy

from socialvalue.core.forms import (
    GDSFormMixin,
    GOVUKDateField,
    example_date_hint,
    read_number,
    read_pounds,
)
from socialvalue.core.models import Organisation, OrganisationKind
from socialvalue.kernel import limits, vocabularies

THEME_CHOICES = [Choice(t.code, t.label, hint=t.hint) for t in vocabularies.THEMES]


class DefinitionForm(GDSFormMixin, forms.Form):
    """A draft's title, statement, the authorities it applies to and its reviewing group."""

    owner = forms.ModelChoiceField(
        label="Who is drafting this definition?",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the authority or Compact group drafting it."},
    )
    title = forms.CharField(
        label="Title",
        max_length=250,
        help_text="For example, 'What social value means in our district'.",
        error_messages={"required": "Enter a title."},
    )
    statement = forms.CharField(
        label="What social value means here",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="In plain words: what the area wants its spending to achieve, beyond the "
        "goods and services themselves. Bidders read this on the market statement.",
        error_messages={"required": "Enter a statement of what social value means locally."},
    )
    authorities = forms.ModelMultipleChoiceField(
        label="Which authorities does it apply to?",
        queryset=Organisation.objects.filter(kind=OrganisationKind.AUTHORITY).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only for a Compact group's joint definition. An authority's own definition "
        "applies to itself.",
    )
    review_group = forms.ModelChoiceField(
        label="Which Compact group reviews it? (optional)",
        queryset=Organisation.objects.filter(kind=OrganisationKind.COMPACT_GROUP).order_by("name"),
        required=False,
        empty_label="No Compact group",
        help_text="Members of this group can read the definition while it is in review.",
    )

    single_owner = None

    def __init__(self, *args, owners=None, definition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if definition is not None:
            # The owner of an existing definition does not change.
            del self.fields["owner"]
            owner_kind = definition.owner.kind
        else:
            self.fields["owner"].queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in owners]
            ).order_by("name")
            if len(owners) == 1:
                # Nothing to choose: the page names the owner instead of a one-option question.
                self.fields["owner"].initial = owners[0]
                self.fields["owner"].widget = forms.HiddenInput()
                self.single_owner = owners[0]
            kinds = {o.kind for o in owners}
            owner_kind = (
                OrganisationKind.COMPACT_GROUP
                if kinds == {OrganisationKind.COMPACT_GROUP}
                else OrganisationKind.AUTHORITY
                if kinds == {OrganisationKind.AUTHORITY}
                else None
            )
        if owner_kind == OrganisationKind.AUTHORITY:
            del self.fields["authorities"]
        elif owner_kind == OrganisationKind.COMPACT_GROUP:
            self.fields["authorities"].help_text = "Choose every authority it is for."
            self.fields[
                "review_group"
            ].help_text = "Leave this as it is for the group drafting it to review it."
        # The helper's layout was drawn before fields were removed: draw it again.
        self.helper = FormHelper(self)
        self.helper.form_tag = False

    def clean(self):
        data = super().clean()
        owner = data.get("owner")
        if (
            owner is not None
            and owner.kind == OrganisationKind.COMPACT_GROUP
            and "authorities" in self.fields
            and not data.get("authorities")
        ):
            self.add_error("authorities", "Choose at least one authority the definition is for.")
        return data


class PriorityForm(GDSFormMixin, forms.Form):
    """A priority: its theme, the outcome sought, and why it matters locally."""

    theme = forms.ChoiceField(
        label="Theme",
        choices=THEME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose economic, social or environmental."},
    )
    outcome = forms.CharField(
        label="Outcome sought",
        max_length=250,
        help_text="What should be different, for example 'More local young people in work'.",
        error_messages={"required": "Enter the outcome this priority seeks."},
    )
    description = forms.CharField(
        label="Why it matters here (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PriorityMeasuresForm(GDSFormMixin, forms.Form):
    """Choose the catalogue measures that show progress on a priority."""

    measures = forms.MultipleChoiceField(
        label="Which measures show progress on this priority?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose from the measures catalogue. Fewer, well-chosen measures are easier "
        "for small suppliers to report on.",
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure_objects = {str(m.pk): m for m in measures}
        self.fields["measures"].choices = [
            Choice(str(m.pk), f"{m.code} {m.name}", hint=f"Unit: {m.unit}. {m.outcome}.")
            for m in measures
        ]

    def chosen(self) -> list:
        return [self.measure_objects[pk] for pk in self.cleaned_data["measures"]]


class TargetForm(GDSFormMixin, forms.Form):
    """An optional target for a chosen measure."""

    target_quantity = forms.CharField(
        label="Target quantity (optional)",
        required=False,
    )
    target_text = forms.CharField(
        label="Target in words (optional)",
        max_length=300,
        required=False,
        help_text="For example, 'per £1 million of contract value' or 'over the contract'.",
    )

    def clean_target_quantity(self):
        return read_number(
            self.cleaned_data.get("target_quantity"), limit=limits.QUANTITY, what="a target"
        )


class AdoptForm(GDSFormMixin, forms.Form):
    """When an adopted version takes effect."""

    effective_from = GOVUKDateField(
        label="When does this version take effect? (optional)",
        subject="The date it takes effect",
        required=False,
        help_text=format_lazy(
            "{} Leave it empty to use today, or the day after the current version took effect "
            "if that is later.",
            example_date_hint,
        ),
    )


class ReturnForm(GDSFormMixin, forms.Form):
    """Why a version goes back to draft."""

    reason = forms.CharField(
        label="What needs changing? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContractValueForm(GDSFormMixin, forms.Form):
    """A contract value, to see the proportionate ask for it (a GET form)."""

    contract_value = forms.CharField(
        label="Whole-life contract value in pounds",
        error_messages={"required": "Enter the whole-life contract value."},
    )

    def clean_contract_value(self):
        return read_pounds(self.cleaned_data["contract_value"], what="a contract value")
