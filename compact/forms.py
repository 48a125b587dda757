"""Forms of the Compact's pages. They read what was typed; the services decide what the
Compact asks (the 12-week check, the three months' notice) and their errors show by the field."""

from crispy_forms_gds.choices import Choice
from django import forms

from compact.models import (
    ConsultationSubject,
    DecommissioningChange,
    GroupPosition,
    GroupRole,
    Sector,
)
from socialvalue.core.forms import GDSFormMixin, GOVUKDateField
from socialvalue.core.models import Organisation, OrganisationKind

TEXTAREA = {"rows": 4}


def _text(label: str, *, required=True, help_text="", rows=4, max_length=None):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SignatoryForm(GDSFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation on this service (optional)",
        queryset=Organisation.objects.exclude(kind=OrganisationKind.COMPACT_GROUP).order_by("name"),
        required=False,
        empty_label="Not on this service",
    )
    name = forms.CharField(
        label="Name, if not on this service",
        required=False,
        max_length=200,
        help_text="For example, a health board or police and crime commissioner.",
    )
    sector = forms.ChoiceField(label="Sector", choices=Sector.choices, widget=forms.RadioSelect)
    signed_on = GOVUKDateField(
        subject="The date signed",
        label="Date signed",
        required=False,
        help_text="Leave empty for a body invited that has not signed. For example, 1 4 2026.",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        help_text="For example, 'no duty to sign; invited in 2026'.",
    )


class SignedForm(GDSFormMixin, forms.Form):
    signed_on = GOVUKDateField(subject="The date signed", label="Date signed")


class CommentForm(GDSFormMixin, forms.Form):
    body = _text("Your comment", max_length=5000)
    # Ids as the database can hold them: a number past its range is refused, not a server error.
    priority = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )


class ResolveForm(GDSFormMixin, forms.Form):
    resolution = _text("How was it resolved?", max_length=3000, rows=3)


class GroupViewForm(GDSFormMixin, forms.Form):
    position = forms.ChoiceField(
        label="The group's view",
        choices=[Choice(value, label) for value, label in GroupPosition.choices],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose support, support with changes or object."},
    )
    reasons = _text("Reasons", max_length=5000, help_text="Shown with the adoption.")


class AuthorityAdoptionForm(GDSFormMixin, forms.Form):
    authority = forms.ModelChoiceField(
        label="Which authority is adopting it?",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    decided_on = GOVUKDateField(subject="The date of the decision", label="Date of the decision")
    reference = forms.CharField(
        label="Decision reference (optional)",
        required=False,
        max_length=200,
        help_text="For example, the minute of the cabinet or board meeting.",
    )

    def __init__(self, *args, authorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Organisation.objects.filter(
            pk__in=[a.pk for a in authorities]
        ).order_by("name")


class ReviewSettingsForm(GDSFormMixin, forms.Form):
    review_on = GOVUKDateField(
        subject="The review date", label="When is it next reviewed?", required=False
    )
    voluntary_sector_role = _text(
        "The role of voluntary organisations in achieving it",
        required=False,
        max_length=5000,
    )


class StrategyReviewForm(GDSFormMixin, forms.Form):
    reviewed_on = GOVUKDateField(subject="The date of the review", label="Date of the review")
    findings = _text("What the review found", max_length=5000)
    changes = _text(
        "Changes to the strategy or local priorities (optional)", required=False, max_length=5000
    )
    next_review_on = GOVUKDateField(
        subject="The next review",
        label="Next review (optional)",
        required=False,
        help_text="Leave empty for the strategy's usual schedule.",
    )


class ConsultationForm(GDSFormMixin, forms.Form):
    authority = forms.ModelChoiceField(
        label="Authority consulting",
        queryset=Organisation.objects.none(),
        empty_label=None,
    )
    title = forms.CharField(label="Title", max_length=250)
    subject = forms.ChoiceField(
        label="What is it about?",
        choices=ConsultationSubject.choices,
        widget=forms.RadioSelect,
    )
    planned_contract = forms.ModelChoiceField(
        label="Planned contract (for a procurement)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None",
        help_text="The consultation then fulfils the Act check's answer on consulting.",
    )
    description = _text("What is proposed", max_length=10000)
    audience = _text("Who is asked", max_length=3000, rows=3)
    starts_on = GOVUKDateField(subject="The opening date", label="Opens")
    ends_on = GOVUKDateField(subject="The closing date", label="Closes")
    shorter_reason = _text(
        "If shorter than 12 weeks: why",
        required=False,
        max_length=3000,
        help_text="The Compact asks for 12-week consultations, with clear reasons for shorter "
        "ones. The reason is published with the consultation.",
    )

    def __init__(self, *args, authorities=(), planned_contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Organisation.objects.filter(
            pk__in=[a.pk for a in authorities]
        ).order_by("name")
        if planned_contracts is not None:
            self.fields["planned_contract"].queryset = planned_contracts


class DocumentForm(GDSFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    file = forms.FileField(label="File")


class ResponseForm(GDSFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Responding for", queryset=Organisation.objects.none(), empty_label=None
    )
    body = _text("Your response", max_length=20000, rows=8)
    file = forms.FileField(label="Attachment (optional)", required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=list(organisations)
        ).order_by("name")


class PublishForm(GDSFormMixin, forms.Form):
    summary = _text("Summary of responses", max_length=20000, rows=6)
    you_said_we_did = _text(
        "You said, we did",
        max_length=20000,
        rows=6,
        help_text="What changed as a result of the responses.",
    )


class DecommissioningForm(GDSFormMixin, forms.Form):
    authority = forms.ModelChoiceField(
        label="Authority", queryset=Organisation.objects.none(), empty_label=None
    )
    service = forms.CharField(label="Service or funding", max_length=250)
    change = forms.ChoiceField(
        label="Change", choices=DecommissioningChange.choices, widget=forms.RadioSelect
    )
    provider = forms.ModelChoiceField(
        label="Affected provider (optional)",
        queryset=Organisation.objects.filter(kind=OrganisationKind.BIDDER).order_by("name"),
        required=False,
        empty_label="None on this service",
        help_text="The provider can read this assessment.",
    )
    tender = forms.ModelChoiceField(
        label="Contract it ends or reduces (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not a contract on this service",
        help_text="For a contract in delivery, choose its tender.",
    )
    advice_sought = _text("Advice sought from relevant voluntary groups", required=False)
    beneficiaries_impact = _text("Impact on beneficiaries", required=False)
    beneficiaries_mitigation = _text("Mitigation for beneficiaries", required=False)
    service_users_impact = _text("Impact on service users", required=False)
    service_users_mitigation = _text("Mitigation for service users", required=False)
    volunteers_impact = _text("Impact on volunteers", required=False)
    volunteers_mitigation = _text("Mitigation for volunteers", required=False)
    social_impact = _text("Social impact", required=False)
    economic_impact = _text("Economic impact", required=False)
    environmental_impact = _text("Environmental impact", required=False)
    notice_given_on = GOVUKDateField(subject="The date notice is given", label="Notice given on")
    ends_on = GOVUKDateField(subject="The date the change takes effect", label="Takes effect on")
    short_notice_reason = _text(
        "If notice is under three months: why",
        required=False,
        help_text="The Compact asks for three months' notice at least.",
    )

    ASSESSMENT_FIELDS = (
        "advice_sought",
        "beneficiaries_impact",
        "beneficiaries_mitigation",
        "service_users_impact",
        "service_users_mitigation",
        "volunteers_impact",
        "volunteers_mitigation",
        "social_impact",
        "economic_impact",
        "environmental_impact",
        "short_notice_reason",
    )

    def __init__(self, *args, authorities=(), tenders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Organisation.objects.filter(
            pk__in=[a.pk for a in authorities]
        ).order_by("name")
        if tenders is not None:
            self.fields["tender"].queryset = tenders


class CommitmentForm(GDSFormMixin, forms.Form):
    text = _text("Local commitment", max_length=3000, rows=3)
    national_key = forms.ChoiceField(
        label="National commitment it builds on (optional)", required=False, choices=()
    )

    def __init__(self, *args, national=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_key"].choices = [("", "None")] + [
            (c.key, c.words[:90] + ("..." if len(c.words) > 90 else "")) for c in national
        ]


class MemberForm(GDSFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.exclude(kind=OrganisationKind.COMPACT_GROUP).order_by("name"),
        empty_label=None,
    )
    role = forms.ChoiceField(
        label="Role on the group", choices=GroupRole.choices, widget=forms.RadioSelect
    )


class StrategyForm(GDSFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=250)
    definition = forms.ModelChoiceField(
        label="Local definition it carries (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None yet",
    )
    policy = _text("How it is embedded in policy", max_length=10000)
    charter = _text("Charter or pledge (optional)", required=False, max_length=10000)
    lead_officer = forms.CharField(
        label="Lead officer",
        max_length=200,
        help_text="A post, for example 'Head of Commissioning'.",
    )
    review_every_months = forms.IntegerField(
        label="Reviewed every (months)", min_value=1, max_value=60
    )
    next_review_on = GOVUKDateField(subject="The next review", label="Next review")

    def __init__(self, *args, definitions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if definitions is not None:
            self.fields["definition"].queryset = definitions


class LocalCompactForm(GDSFormMixin, forms.Form):
    """A Compact group records its area's Compact: the agreement, its area and review date,
    and the commissioning bodies in the area."""

    group = forms.ModelChoiceField(
        label="Compact group keeping it",
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text="A group keeps one local Compact.",
    )
    title = forms.CharField(
        label="Title", max_length=250, help_text="For example, 'Northfield Compact'."
    )
    area = forms.CharField(label="Area", max_length=250)
    summary = _text("What the Compact is for (optional)", required=False, max_length=5000)
    agreed_on = GOVUKDateField(
        subject="The date it was agreed", label="Agreed on", help_text="For example, 1 6 2011."
    )
    review_on = GOVUKDateField(subject="The next review", label="Next review")
    authorities = forms.ModelMultipleChoiceField(
        label="Authorities in its area",
        queryset=Organisation.objects.filter(kind=OrganisationKind.AUTHORITY).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="The commissioning bodies whose consultations, definitions and decommissioning "
        "the group follows. Select all that apply.",
        error_messages={"required": "Choose the commissioning bodies in the Compact's area."},
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Organisation.objects.filter(pk__in=list(groups)).order_by(
            "name"
        )
