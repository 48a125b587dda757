"""Forms of the measures catalogue pages."""

from django import forms

from measurement.models import Theme
from socialvalue.core.forms import GDSFormMixin, GOVUKDateField, read_number
from socialvalue.kernel import limits


class CatalogueFilterForm(GDSFormMixin, forms.Form):
    """Filter the catalogue by theme and words (a GET form)."""

    q = forms.CharField(label="Search by code, name, outcome or unit", required=False)
    theme = forms.ChoiceField(
        label="Theme",
        required=False,
        choices=[("", "All themes"), *Theme.choices],
    )


class CatalogueImportForm(GDSFormMixin, forms.Form):
    """Upload a catalogue CSV in the export format."""

    file = forms.FileField(
        label="Catalogue CSV file",
        help_text="A CSV file in the same format as the export, with the header row first. "
        "Nothing is saved until you have checked the changes and confirmed.",
        error_messages={"required": "Choose a CSV file to upload.", "empty": "The file is empty."},
    )


class ProxyAddForm(GDSFormMixin, forms.Form):
    """A new dated proxy value for one measure."""

    value = forms.CharField(
        label="Proxy value in pounds per unit (optional)",
        required=False,
        help_text="Leave empty where no sound public source gives a value: the measure is then "
        "counted but not given a value in pounds.",
    )
    valid_from = GOVUKDateField(
        label="In force from",
        subject="The date it is in force from",
        help_text="Usually the date the source was published. For example, 1 4 2026.",
    )
    proxy_year = forms.CharField(label="Year of the figure", required=False, max_length=40)
    price_base = forms.CharField(label="Price base", required=False, max_length=200)
    source_title = forms.CharField(label="Source title", required=False, max_length=300)
    source_url = forms.URLField(
        label="Source web address",
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    source_quote = forms.CharField(
        label="Short quote from the source that shows the figure",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    source_confirmed = forms.BooleanField(
        label="I saw this figure in the primary source", required=False
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_value(self):
        return read_number(
            self.cleaned_data.get("value"), limit=limits.PROXY_VALUE, what="a proxy value"
        )
