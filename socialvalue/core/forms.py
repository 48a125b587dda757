"""Forms of the core, rendered with the GOV.UK Design System through crispy-forms-gds."""

from datetime import date, timedelta
from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy

from socialvalue.core import notify
from socialvalue.core.models import (
    ROLES_BY_KIND,
    AuthorityType,
    BidderType,
    Nation,
    Role,
    User,
)
from socialvalue.core.names import clean_organisation_name, clean_person_name
from socialvalue.kernel.limits import MONEY, Limit, LimitError


def read_number(text, *, limit: Limit, what: str) -> Decimal | None:
    """A number typed by a person, checked against its limit (socialvalue.kernel.limits); None when
    blank. The error names ``what`` ("a weight") and the range allowed."""
    try:
        return limit.read(text, what=what)
    except LimitError as error:
        raise ValidationError(error.message) from None


def read_pounds(text, *, what: str) -> Decimal | None:
    """Pounds typed by a person ('£250,000', '250000.50') as a Decimal, None when blank; up to
    the service's money limit, in pounds and pence."""
    return read_number(text, limit=MONEY, what=what)


_DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


def required_message(field: forms.Field) -> str:
    """A message that says what to do, from the field's label, for a field left empty: "Enter
    your full name", "Choose <the label>" where the answer is picked from a list, or "Answer the
    question '<label>'" where the label is a question."""
    label = str(field.label or "").removesuffix(" (optional)").strip()
    if not label:
        return "Answer this question."
    if label.endswith("?"):
        return f"Answer the question '{label}'"
    label = label.rstrip(":. ")
    verb = "Choose" if isinstance(field, forms.ChoiceField | forms.FileField) else "Enter"
    return f"{verb} {label[0].lower()}{label[1:]}."


class GDSFormMixin:
    """Gives a form the GOV.UK helper; the page template draws the error summary and the button.

    A field still carrying Django's "This field is required." gets a message naming what to
    enter instead, so no error on the service says only that something is missing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        for field in self.fields.values():
            if str(field.error_messages.get("required", "")) == _DJANGO_REQUIRED:
                field.error_messages = {**field.error_messages, "required": required_message(field)}


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DATE_PARTS = ("day", "month", "year")


def _example_date_text() -> str:
    # A month ahead of today, so the example is never a date already past.
    example = timezone.localdate() + timedelta(days=30)
    return f"For example, {example.day} {example.month} {example.year}."


# Lazy: the fields are made when the module is imported; the hint is read on each page.
example_date_hint = lazy(_example_date_text, str)()


def number_box(width: int = 5, *, whole: bool = False) -> forms.TextInput:
    """A text box for a number, as GOV.UK asks (type=text, not number), as wide as the number
    it expects and bringing up the phone's number keypad."""
    return forms.TextInput(
        attrs={
            "class": f"govuk-input--width-{width}",
            "inputmode": "numeric" if whole else "decimal",
            "spellcheck": "false",
            "autocomplete": "off",
        }
    )


class NumericDateWidget(DateInputWidget):
    """The GOV.UK date input's three boxes, asking phones for the number keypad."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for widget in self.widgets:
            widget.attrs.update(inputmode="numeric", spellcheck="false")


class GOVUKDateField(DateInputField):
    """A date typed into the GOV.UK date input (day, month and year boxes).

    Messages follow the Design System's date input guidance, naming the date by ``subject``
    (for example "The date it takes effect"): nothing typed, "Enter <subject, lower case>"
    (or ``required_message``); a part missing, "<subject> must include a month"; a part that
    cannot be right (letters, 13 as a month, 31 June), "<subject> must be a real date"; a year
    of fewer than four figures, "Year must include 4 numbers". Each message marks only the
    boxes at fault. Months may be typed as numbers or as names ("april", "apr").
    """

    widget = NumericDateWidget

    def __init__(self, *, subject: str, required_message: str = "", **kwargs):
        kwargs.setdefault("require_all_fields", False)
        kwargs.setdefault("help_text", example_date_hint)
        super().__init__(**kwargs)
        self.subject = subject
        self.error_messages["required"] = (
            required_message or f"Enter {subject[0].lower()}{subject[1:]}."
        )

    def _fail(self, message: str, parts: tuple[str, ...] = ()) -> forms.ValidationError:
        for name in parts:
            self.fields[_DATE_PARTS.index(name)].widget.errors.append(message)
        return forms.ValidationError(message)

    def clean(self, value):
        for field in self.fields:
            field.widget.errors = []
        typed = [
            str(v).strip() if v is not None else "" for v in (list(value or []) + ["", "", ""])[:3]
        ]
        if not any(typed):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        missing = tuple(name for name, text in zip(_DATE_PARTS, typed, strict=True) if not text)
        if missing:
            # One missing part is marked on its box; two or more, on the whole date.
            message = f"{self.subject} must include a {' and '.join(missing)}."
            raise self._fail(message, missing if len(missing) == 1 else ())
        day_text, month_text, year_text = typed
        month_text = str(_MONTHS.get(month_text.lower(), month_text))
        wrong = tuple(
            name
            for name, text in zip(_DATE_PARTS, (day_text, month_text, year_text), strict=True)
            if not (text.isascii() and text.isdigit())
        )
        if wrong:
            raise self._fail(
                f"{self.subject} must be a real date.", wrong if len(wrong) == 1 else ()
            )
        if len(year_text) != 4:
            raise self._fail("Year must include 4 numbers.", ("year",))
        try:
            cleaned = date(int(year_text), int(month_text), int(day_text))
        except ValueError:
            # Mark the box that cannot be right when that is clear (13 as a month, 32 as a day);
            # a day the month does not have (31 June) marks the whole date.
            at_fault = (
                ("month",)
                if not 1 <= int(month_text) <= 12
                else ("day",)
                if not 1 <= int(day_text) <= 31
                else ()
            )
            raise self._fail(f"{self.subject} must be a real date.", at_fault) from None
        self.validate(cleaned)
        self.run_validators(cleaned)
        return cleaned


class PasswordPairMixin(forms.Form):
    """A new password typed twice and checked against the password validators."""

    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={"required": "Enter a password."},
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again, to check it."},
    )

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(
                "The two passwords do not match. Type the same password in both boxes."
            )
        return second

    def validate_password_for(self, user) -> None:
        # The first box, so a password too short is named even when the second box differs.
        password = self.cleaned_data.get("password1")
        if password:
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)


class SignInForm(GDSFormMixin, AuthenticationForm):
    """Sign in with an email address and password."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": "Enter the email address you sign in with.",
            "invalid": "Enter an email address in the right form, like name@example.org.",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )
    error_messages = {
        "invalid_login": (
            "Enter a correct email address and password. The password is case-sensitive; "
            "if you have forgotten it, reset it with the link below."
        ),
        "inactive": "This account has been switched off. Ask your organisation's admin.",
        "unconfirmed": (
            "Confirm your email address first: follow the link in the email we sent you when "
            "you registered. If you cannot find it, ask for a new one below."
        ),
    }
    # Set when the password was right but the address is not yet confirmed.
    unconfirmed_user = None

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            self.unconfirmed_user = user
            raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")


class BidderRegistrationForm(GDSFormMixin, PasswordPairMixin):
    """A bidder organisation registers itself and its first person."""

    organisation_name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={"required": "Enter your organisation's name."},
    )
    bidder_type = forms.ChoiceField(
        label="What sort of organisation is it?",
        choices=BidderType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what sort of organisation it is."},
    )
    charity_number = forms.RegexField(
        label="Registered charity number (optional)",
        required=False,
        regex=r"^\d{6,8}(-\d{1,2})?$",
        help_text="Only for a voluntary organisation or charity: 6 to 8 digits, as on the charity register.",
        error_messages={"invalid": "Enter a charity number of 6 to 8 digits, like 1234567."},
    )
    company_number = forms.RegexField(
        label="Companies House number (optional)",
        required=False,
        regex=r"^[A-Za-z0-9]{2}\d{6}$",
        help_text="8 characters, as on the Companies House register, like 01234567 or SC123456. "
        "Needed only if another organisation here has the same name as yours.",
        error_messages={
            "invalid": "Enter a Companies House number of 8 characters, like 01234567 or SC123456."
        },
    )
    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={"required": "Enter your full name."},
    )
    email = forms.EmailField(
        label="Your email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the right form, like name@example.org.",
        },
    )
    field_order = [
        "organisation_name",
        "bidder_type",
        "charity_number",
        "company_number",
        "full_name",
        "email",
        "password1",
        "password2",
    ]

    def clean_organisation_name(self):
        return clean_organisation_name(self.cleaned_data["organisation_name"])

    def clean_company_number(self):
        return self.cleaned_data["company_number"].upper()

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data["full_name"])

    def clean(self):
        data = super().clean()
        if data.get("charity_number") and data.get("bidder_type") != BidderType.VOLUNTARY:
            self.add_error(
                "charity_number", "Only a voluntary organisation or charity has a charity number."
            )
        self.validate_password_for(
            User(email=data.get("email", ""), full_name=data.get("full_name", ""))
        )
        return data


class AuthorityForm(GDSFormMixin, forms.Form):
    """Service staff add a contracting authority and invite its first admin."""

    name = forms.CharField(
        label="Authority name",
        max_length=200,
        error_messages={"required": "Enter the authority's name."},
    )
    authority_type = forms.ChoiceField(
        label="Type of authority",
        choices=AuthorityType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of authority."},
    )
    nation = forms.ChoiceField(
        label="Nation",
        choices=Nation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose England or Wales."},
    )
    area_description = forms.CharField(
        label="Area served (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The relevant area for the Social Value Act, for example the district or county.",
    )
    admin_email = forms.EmailField(
        label="Email address of the authority's first admin",
        error_messages={
            "required": "Enter the email address of the authority's first admin.",
            "invalid": "Enter an email address in the right form, like name@example.org.",
        },
    )

    def clean_name(self):
        return clean_organisation_name(self.cleaned_data["name"], what="Authority name")


ROLE_HINTS = {
    Role.ORG_ADMIN: "Invites people to the organisation and removes them.",
    Role.COMMISSIONER: "Checks whether the Social Value Act applies and drafts the local "
    "definition of social value.",
    Role.PROCUREMENT_OFFICER: "Builds and publishes tenders, answers bidders' questions and "
    "opens bids after the deadline.",
    Role.EVALUATOR: "Reads and scores bids once they are opened.",
    Role.BIDDER: "Finds opportunities and prepares and submits bids.",
    Role.COMPACT_MEMBER: "Takes part in the local Compact group for the organisation.",
}


class InviteForm(GDSFormMixin, forms.Form):
    """An organisation admin invites a person to a role."""

    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the email address of the person to invite.",
            "invalid": "Enter an email address in the right form, like name@example.org.",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the role they will have."},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ROLES_BY_KIND[organisation.kind]
        self.fields["role"].choices = [
            Choice(role.value, role.label, hint=ROLE_HINTS[role])
            for role in Role
            if role in allowed
        ]


class MemberRolesForm(GDSFormMixin, forms.Form):
    """An organisation admin chooses the roles a member holds."""

    roles = forms.MultipleChoiceField(
        label="Roles",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "required": "Choose at least one role, or remove them from the organisation."
        },
    )

    def __init__(self, *args, organisation, person, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ROLES_BY_KIND[organisation.kind]
        self.fields["roles"].label = f"Roles of {person.full_name or person.email}"
        self.fields["roles"].choices = [
            Choice(role.value, role.label, hint=ROLE_HINTS[role])
            for role in Role
            if role in allowed
        ]


class AcceptInvitationForm(GDSFormMixin, PasswordPairMixin):
    """A new person accepts an invitation by naming themselves and choosing a password."""

    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={"required": "Enter your full name."},
    )
    field_order = ["full_name", "password1", "password2"]

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_full_name(self):
        return clean_person_name(self.cleaned_data["full_name"])

    def clean(self):
        data = super().clean()
        self.validate_password_for(User(email=self.email, full_name=data.get("full_name", "")))
        return data


class ServicePasswordResetForm(GDSFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter the email address you sign in with.",
            "invalid": "Enter an email address in the right form, like name@example.org.",
        },
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the reset email through the service's one email path (socialvalue.core.notify).
        Its job makes the link as it sends, so no reset token is stored, and the page answers
        as fast for an unknown address as for a known one."""
        notify.send(
            kind="core.password_reset",
            params={
                "user_id": context["user"].pk,
                "domain": context["domain"],
                "site_name": context["site_name"],
                "protocol": context["protocol"],
                "subject_template": subject_template_name,
                "body_template": email_template_name,
            },
        )


class NewPasswordMessages:
    """Messages for the new password boxes of Django's password forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password."
        self.fields["new_password2"].error_messages["required"] = (
            "Type the new password again, to check it."
        )


class ServiceSetPasswordForm(GDSFormMixin, NewPasswordMessages, SetPasswordForm):
    pass


class ServicePasswordChangeForm(GDSFormMixin, NewPasswordMessages, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right. Type it again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password."


class ApiTokenForm(GDSFormMixin, forms.Form):
    """A person makes an API token for one of their organisations."""

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you can tell your tokens apart.",
        error_messages={
            "required": "Enter a name for the token.",
            "max_length": "Name must be 100 characters or fewer.",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="The token reads this organisation's data only.",
        error_messages={
            "required": "Choose the organisation the token is for.",
            "invalid_choice": "Choose one of your organisations.",
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
