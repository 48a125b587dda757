"""The evaluation's forms: appointing a panel member, the evaluation settings, declaring
interests, recording a mitigation, marking a bid and moderating it.

The marking and moderation forms have fields per criterion (`mark_<id>`, `justification_<id>`,
`rationale_<id>`, `note_<id>`, `reason_<id>`): the services check the marks against the published
scale and name these fields in their errors, so a refusal shows beside the field with what was
typed kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError

from socialvalue.core.forms import GDSFormMixin, read_number
from socialvalue.kernel import limits
from socialvalue.models import Organisation, User
from tenders.forms.common import plain, refresh_layout
from tenders.models import ConflictDeclaration, Criterion, Mark, ModeratedMark

TEXT_ROWS = 4


def _criterion_label(criterion: Criterion) -> str:
    kind = "Price" if criterion.kind == "price" else criterion.get_kind_display()
    return f"{kind}: {criterion.name}"


class AppointForm(GDSFormMixin, forms.Form):
    """Who sits on the lot's panel, and which criteria they evaluate."""

    user = forms.TypedChoiceField(
        label="Person", coerce=int, error_messages={"required": "Choose a person."}
    )
    criteria = forms.TypedMultipleChoiceField(
        label="Criteria they evaluate",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "They read only these parts of each bid. Leave price unticked to keep the bids' "
            "prices from them."
        ),
        error_messages={"required": "Choose at least one criterion for them to evaluate."},
    )

    def __init__(
        self,
        *args,
        people: Sequence[User],
        criteria: Sequence[Criterion],
        fixed_user: User | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Choose a person")] + [
            (person.pk, f"{person.full_name} ({person.email})") for person in people
        ]
        self.fields["criteria"].choices = [(c.pk, _criterion_label(c)) for c in criteria]
        if fixed_user is not None:
            del self.fields["user"]
            refresh_layout(self)


class SettingsForm(GDSFormMixin, forms.Form):
    spread_flag_percent = forms.CharField(
        label="Flag a spread of individual marks above this share of the scale (%)",
        help_text=(
            "The spread is the highest individual mark minus the lowest. A flagged spread needs a "
            "moderation note."
        ),
        error_messages={"required": "Enter a percentage from 0 to 100."},
    )

    def clean_spread_flag_percent(self):
        return read_number(
            self.cleaned_data["spread_flag_percent"], limit=limits.PERCENT, what="a percentage"
        )


CONFLICT_CHOICES = [("no", "No conflict of interest"), ("yes", "I have a conflict of interest")]


class DeclarationForm(GDSFormMixin, forms.Form):
    """For each bidder on the lot: a conflict of interest or not, and the interest if so. A
    conflict already declared stays (it cannot be withdrawn)."""

    def __init__(
        self,
        *args,
        bidders: Sequence[Organisation],
        existing: dict[int, ConflictDeclaration],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.bidders = list(bidders)
        for bidder in self.bidders:
            previous = existing.get(bidder.pk)
            self.fields[f"conflict_{bidder.pk}"] = forms.ChoiceField(
                label=f"Do you have a conflict of interest with {bidder.name}?",
                choices=CONFLICT_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=None if previous is None else ("yes" if previous.has_conflict else "no"),
            )
            self.fields[f"details_{bidder.pk}"] = forms.CharField(
                label=f"Your interest in {bidder.name}, if any (personal, professional or "
                "financial, direct or indirect)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=previous.details if previous is not None else "",
            )
        refresh_layout(self)

    def answers(self) -> dict[int, tuple[bool | None, str]]:
        """{bidder id: (conflict or not, None when unanswered; the details)}."""
        found = {}
        for bidder in self.bidders:
            choice = self.cleaned_data.get(f"conflict_{bidder.pk}") or ""
            found[bidder.pk] = (
                {"yes": True, "no": False}.get(choice),
                self.cleaned_data.get(f"details_{bidder.pk}", ""),
            )
        return found


class MitigationForm(GDSFormMixin, forms.Form):
    mitigation = forms.CharField(
        label="How is the conflict mitigated?",
        help_text=(
            "For example: removed from marking this bid, and a second evaluator appointed to its "
            "criteria. The evaluator reads nothing of the bid whatever you record."
        ),
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
        error_messages={"required": "Say how the conflict is mitigated."},
    )


class MarkingForm(GDSFormMixin, forms.Form):
    """One bid's marks on the evaluator's criteria: a mark and a justification for each."""

    def __init__(self, *args, criteria: Sequence[Criterion], marks: dict[int, Mark], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            mark = marks.get(criterion.pk)
            self.fields[f"mark_{criterion.pk}"] = forms.CharField(
                label=f"Your mark for {criterion.name} (0 to {plain(criterion.max_mark)})",
                required=False,
                initial=plain(mark.mark) if mark and mark.mark is not None else "",
                widget=forms.TextInput(
                    attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "decimal"}
                ),
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=f"Why you gave this mark for {criterion.name}",
                required=False,
                initial=mark.justification if mark else "",
                widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": TEXT_ROWS}),
            )
        refresh_layout(self)

    def typed(self) -> dict[int, tuple[str, str]]:
        """{criterion id: (mark as typed, justification)}."""
        return {
            c.pk: (
                self.cleaned_data.get(f"mark_{c.pk}", ""),
                self.cleaned_data.get(f"justification_{c.pk}", ""),
            )
            for c in self.criteria
        }


class ModerationForm(GDSFormMixin, forms.Form):
    """One bid's consensus marks: per criterion the mark, rationale, moderation note and (when
    already moderated) the reason for a change."""

    def __init__(
        self,
        *args,
        criteria: Sequence[Criterion],
        consensus: dict[int, ModeratedMark],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        text = {"class": "govuk-textarea", "rows": 3}
        for criterion in self.criteria:
            row = consensus.get(criterion.pk)
            self.fields[f"mark_{criterion.pk}"] = forms.CharField(
                label=f"Consensus mark for {criterion.name} (0 to {plain(criterion.max_mark)})",
                required=False,
                initial=plain(row.mark) if row else "",
                widget=forms.TextInput(
                    attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "decimal"}
                ),
            )
            self.fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=f"The panel's rationale for {criterion.name}",
                required=False,
                initial=row.rationale if row else "",
                widget=forms.Textarea(attrs=text),
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=f"Moderation note for {criterion.name}",
                required=False,
                initial=row.moderation_note if row else "",
                widget=forms.Textarea(attrs=text),
            )
            if row is not None:
                self.fields[f"reason_{criterion.pk}"] = forms.CharField(
                    label=f"Reason for changing the moderated mark for {criterion.name}",
                    required=False,
                    widget=forms.Textarea(attrs=text),
                )
        refresh_layout(self)

    def typed(self) -> dict[int, dict[str, str]]:
        return {
            c.pk: {
                part: self.cleaned_data.get(f"{part}_{c.pk}", "")
                for part in ("mark", "rationale", "note", "reason")
            }
            for c in self.criteria
        }


def field_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal beside the fields it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.error_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error)
