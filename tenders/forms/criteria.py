"""The criteria builder's forms (authority): a lot, a criterion with its marking scale, and a
lot's weights together."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from socialvalue.core.forms import GDSFormMixin, number_box, read_number, read_pounds
from socialvalue.kernel import limits
from tenders.criteria import descriptors_from_text, descriptors_to_text
from tenders.forms.common import SUITABLE_FOR, plain, refresh_layout


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
    suitable_for = forms.MultipleChoiceField(
        label="Who is this lot suitable for? (optional)",
        help_text="Select all that apply. Published with the tender and in its open data.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=SUITABLE_FOR,
    )

    @classmethod
    def initial_for(cls, lot) -> dict:
        return {
            "title": lot.title,
            "description": lot.description,
            "estimated_value": lot.estimated_value,
            "suitable_for": [
                key for key, _label in SUITABLE_FOR if getattr(lot, f"suitable_for_{key}")
            ],
        }

    def clean_estimated_value(self):
        return read_pounds(self.cleaned_data["estimated_value"], what="a lot value")

    def clean(self):
        data = super().clean()
        chosen = data.pop("suitable_for", [])
        data["suitable_for_sme"] = "sme" in chosen
        data["suitable_for_vcse"] = "vcse" in chosen
        return data


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
    word_limit = forms.CharField(
        label="Word limit (optional)", required=False, widget=number_box(5, whole=True)
    )
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
            kind = criterion.get_kind_display()
            # The kind only where the name does not say it already ("Price", not "Price (price)").
            said = kind.lower() in criterion.name.lower()
            self.fields[f"weight_{criterion.pk}"] = forms.CharField(
                label=format_html(
                    "{}{}{}",
                    "— " * item.depth,
                    criterion.name,
                    "" if said else f" ({kind.lower()})",
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


class CopyCriteriaForm(GDSFormMixin, forms.Form):
    source = forms.ModelChoiceField(
        label="Copy the award criteria of",
        queryset=None,
        empty_label="Choose a lot",
        help_text="This lot's criteria are replaced by a copy. Priorities no longer in the "
        "adopted local definition are left off.",
        error_messages={
            "required": "Choose the lot to copy from.",
            "invalid_choice": "Choose a lot from the list.",
        },
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["source"].label_from_instance = lambda lot: (
            f"{lot.tender.title}: {lot} ({lot.criteria_count} criteria)"
        )
