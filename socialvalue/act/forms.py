"""Forms for the Social Value Act check: the planned contract, the check, and the consideration.

The check form asks only what matters for the answer: the services share only for mixed
contracts, the service kind and framework route only where services are bought, the devolved
functions question only in Wales, and the central government question only for types of body
where the rules cannot tell. Each conditional question has its own field under the radio choice
that reveals it (GOV.UK conditional reveal), and clean() reads only the branch chosen.
"""

from __future__ import annotations

from datetime import date

from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from socialvalue.act.engine import CHOICE_LABELS, ActInputError, ActRules, inputs_from_dict
from socialvalue.core.forms import GDSFormMixin, GOVUKDateField, read_number, read_pounds
from socialvalue.kernel import limits, numbers
from socialvalue.kernel.dates import long_date

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNSURE = [("yes", "Yes"), ("no", "No"), ("unknown", "Not sure")]
ROUTES = [
    ("contract", "A contract not based on a framework"),
    ("framework", "A framework agreement (we are setting one up)"),
    ("call_off", "A call-off under an existing framework"),
    ("dynamic", "A contract under a dynamic purchasing system or dynamic market"),
]
SERVICE_BRANCHES = ("services", "mixed")
_FLAG_TEXT = {True: "yes", False: "no", None: "unknown"}


class QuestionRadios(ConditionalRadios):
    """Conditional radios whose legend is a medium heading, like the page's other questions."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        with context.push(legend_size=Size.for_legend(Size.MEDIUM)):
            return super().render(form, context, template_pack=template_pack, **kwargs)


def _choices(field: str) -> list[tuple[str, str]]:
    return list(CHOICE_LABELS[field].items())


def _amount(text: str, *, what: str) -> str:
    """Pounds typed by a person, as the plain decimal string the engine's inputs take."""
    return numbers.exact(read_pounds(text, what=what))


class PlannedContractForm(GDSFormMixin, forms.Form):
    """A contract the authority plans to procure."""

    authority = forms.ModelChoiceField(
        label="Which authority is procuring it?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the authority that is procuring the contract."},
    )
    title = forms.CharField(
        label="Contract title",
        max_length=250,
        error_messages={"required": "Enter a title for the contract."},
    )
    description = forms.CharField(
        label="What is being bought (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A sentence or two: the service, who it is for, and for how long.",
    )

    def __init__(self, *args, authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities
        several = len(authorities) > 1
        if not several:
            self.fields["authority"].initial = authorities[0].pk
            self.fields["authority"].widget = forms.HiddenInput()
        self.helper.layout = Layout(
            Field.radios("authority") if several else Field("authority"),
            Field.text("title", label_size=Size.MEDIUM),
            Field.textarea("description", rows=4),
        )


class ActCheckForm(GDSFormMixin, forms.Form):
    """The questions of the Social Value Act check; ``cleaned_data["inputs"]`` holds ActInputs."""

    authority_type = forms.ChoiceField(
        label="What type of body is procuring?",
        choices=_choices("authority_type"),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of body that is procuring."},
    )
    nation = forms.ChoiceField(
        label="Is the body in England or Wales?",
        choices=_choices("nation"),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose England or Wales."},
    )
    devolved_functions = forms.ChoiceField(
        label="Are the body's functions wholly or mainly Welsh devolved functions?",
        choices=YES_NO_UNSURE,
        widget=forms.RadioSelect,
        required=False,
        help_text=(
            "Section 1(11) and (12) of the Act exclude such bodies (Welsh councils, NHS Wales "
            "bodies and fire and rescue authorities, for example). Choose Not sure to use the "
            "usual answer for this type of body."
        ),
    )
    contract_type = forms.ChoiceField(
        label="What is being bought?",
        choices=_choices("contract_type"),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is being bought."},
    )
    services_value = forms.CharField(
        label="How much of the value is for services, in pounds?",
        required=False,
        help_text="On the same VAT basis as the whole value below.",
    )
    value = forms.CharField(
        label="Estimated total value, in pounds",
        help_text=(
            "The whole term, including any extensions and options. Do not split a requirement "
            "to keep it below a threshold."
        ),
        error_messages={"required": "Enter the estimated total value of the contract."},
    )
    vat_basis = forms.ChoiceField(
        label="Does that value include VAT?",
        choices=[("inclusive", "Yes, it includes VAT"), ("exclusive", "No, it is net of VAT")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the value includes VAT."},
    )
    vat_rate = forms.CharField(
        label="VAT rate, in percent",
        required=False,
        error_messages={"required": "Enter the VAT rate."},
    )
    start_date = GOVUKDateField(
        label="When will the procurement start?",
        subject="The date the procurement starts",
        required_message="Enter the date the procurement will start.",
        help_text=(
            "The first of: publishing a notice or advertisement, contacting a supplier for an "
            "offer, responding to an unsolicited offer, or entering into the contract. For "
            "example, 1 9 2026. The rules in force on that day decide."
        ),
    )
    mixed_with = forms.ChoiceField(
        label="What are the services mixed with?",
        choices=_choices("mixed_with"),
        widget=forms.RadioSelect,
        required=False,
        initial="goods",
        help_text="With goods, the greater part by value decides; with works, the main purpose.",
    )
    main_purpose = forms.ChoiceField(
        label="What is the main purpose of the contract?",
        choices=_choices("main_purpose"),
        widget=forms.RadioSelect,
        required=False,
        help_text="For services mixed with works the procurement rules look at the main "
        "purpose, not the split of value.",
    )
    contract_kind = forms.ChoiceField(
        label="What kind of contract is it?",
        choices=_choices("contract_kind"),
        widget=forms.RadioSelect,
        required=False,
        initial="public",
        help_text="The Act leaves out exempted contracts, concessions, utilities contracts and "
        "defence and security contracts. Most contracts are ordinary public contracts.",
    )
    urgent = forms.ChoiceField(
        label="Is the case so urgent that considering social value first would be impractical?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        initial="no",
        help_text="Section 1(8) of the Act. You will be asked to record why.",
        error_messages={"required": "Say whether the case is urgent."},
    )

    def __init__(self, *args, rules: ActRules, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        standard = numbers.exact(rules.standard_vat_rate)
        self.fields["vat_rate"].initial = standard
        self.fields["vat_rate"].help_text = (
            f"The rate charged on what is bought: the standard rate is {standard}%. Many care "
            "and health services are exempt from VAT (for example care from a registered home "
            "care agency, a charity or a council, and treatment by registered health "
            "professionals): enter 0 if so."
        )
        self.central_asked = [
            code
            for code in CHOICE_LABELS["authority_type"]
            if rules.central_government_by_authority_type.get(code) is None
        ]
        # The date the Procurement Act 2023 regime began, from the dated rules data.
        procurement_act_from = long_date(
            next(r.effective_from for r in rules.regimes if r.code == "pa2023")
        )
        for code in self.central_asked:
            self.fields[f"central_{code}"] = forms.ChoiceField(
                label="Is it a central government authority?",
                choices=YES_NO_UNSURE,
                widget=forms.RadioSelect,
                required=False,
                help_text=(
                    "Listed in Schedule 2 to the Procurement Regulations 2024 (Schedule 1 to the "
                    "Public Contracts Regulations 2015 for procurements started before "
                    f"{procurement_act_from}). It decides between the central and sub-central "
                    "threshold; choose Not sure and the check says whether it matters."
                ),
            )
        for branch in SERVICE_BRANCHES:
            self.fields[f"service_category_{branch}"] = forms.ChoiceField(
                label=(
                    "What kind of services are they?"
                    if branch == "services"
                    else "What kind are the services in it?"
                ),
                choices=_choices("service_category"),
                widget=forms.RadioSelect,
                required=False,
                help_text=(
                    "Light touch services are the social, health, education and other specific "
                    "services listed in the procurement rules (for example social care)."
                ),
            )
            self.fields[f"route_{branch}"] = forms.ChoiceField(
                label="How will it be bought?",
                choices=ROUTES,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"psr_{branch}"] = forms.ChoiceField(
                label="Is it health care arranged under the NHS Provider Selection Regime?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
                initial="no",
                help_text="For NHS bodies and local authorities in England buying relevant "
                "health care services (from 1 January 2024). Health care is then light touch "
                "services for the Act's test.",
            )
        labels = CHOICE_LABELS["authority_type"]
        contract_labels = CHOICE_LABELS["contract_type"]
        self.helper.layout = Layout(
            QuestionRadios(
                "authority_type",
                *[
                    ConditionalQuestion(
                        labels[code],
                        Field.radios(f"central_{code}", legend_size=Size.SMALL, small=True),
                    )
                    if code in self.central_asked
                    else labels[code]
                    for code in labels
                ],
            ),
            QuestionRadios(
                "nation",
                CHOICE_LABELS["nation"]["england"],
                ConditionalQuestion(
                    CHOICE_LABELS["nation"]["wales"],
                    Field.radios("devolved_functions", legend_size=Size.SMALL, small=True),
                ),
            ),
            QuestionRadios(
                "contract_type",
                ConditionalQuestion(
                    contract_labels["services"],
                    Field.radios("service_category_services", legend_size=Size.SMALL, small=True),
                    Field.radios("route_services", legend_size=Size.SMALL, small=True),
                    Field.radios("psr_services", legend_size=Size.SMALL, small=True, inline=True),
                ),
                contract_labels["goods"],
                contract_labels["works"],
                ConditionalQuestion(
                    contract_labels["mixed"],
                    ConditionalRadios(
                        "mixed_with",
                        ConditionalQuestion(
                            CHOICE_LABELS["mixed_with"]["goods"],
                            Field.text("services_value", label_size=Size.SMALL, field_width=10),
                        ),
                        ConditionalQuestion(
                            CHOICE_LABELS["mixed_with"]["works"],
                            Field.radios("main_purpose", legend_size=Size.SMALL, small=True),
                        ),
                    ),
                    Field.radios("service_category_mixed", legend_size=Size.SMALL, small=True),
                    Field.radios("route_mixed", legend_size=Size.SMALL, small=True),
                    Field.radios("psr_mixed", legend_size=Size.SMALL, small=True, inline=True),
                ),
            ),
            Field.radios("contract_kind", legend_size=Size.MEDIUM, small=True),
            Field.text("value", label_size=Size.MEDIUM, field_width=10),
            Field.radios("vat_basis", legend_size=Size.MEDIUM, inline=True),
            Field.text("vat_rate", label_size=Size.MEDIUM, field_width=3),
            Field("start_date", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            Field.radios("urgent", legend_size=Size.MEDIUM, inline=True),
        )

    def full_clean(self) -> None:
        super().full_clean()
        if self._errors:
            # The error summary lists errors in this order: keep it the order of the page.
            page = [
                "authority_type",
                *(f"central_{code}" for code in self.central_asked),
                "nation",
                "devolved_functions",
                "contract_type",
                "service_category_services",
                "route_services",
                "psr_services",
                "mixed_with",
                "services_value",
                "main_purpose",
                "service_category_mixed",
                "route_mixed",
                "psr_mixed",
                "contract_kind",
                "value",
                "vat_basis",
                "vat_rate",
                "start_date",
                "urgent",
            ]
            ranked = sorted(
                self._errors.items(),
                key=lambda item: page.index(item[0]) if item[0] in page else -1,
            )
            self._errors = ErrorDict(ranked, renderer=self.renderer)

    def clean_value(self) -> str:
        return _amount(self.cleaned_data["value"], what="a value")

    def clean_vat_rate(self) -> str:
        rate = read_number(self.cleaned_data["vat_rate"], limit=limits.PERCENT, what="a VAT rate")
        if rate is None:
            raise ValidationError(
                "Enter the VAT rate in percent: the standard rate, or 0 if the services are exempt."
            )
        return numbers.exact(rate)

    def clean(self):
        data = super().clean()
        engine: dict = {}
        for name in ("authority_type", "nation", "contract_type", "value", "vat_basis"):
            if data.get(name):
                engine[name] = data[name]
        if data.get("vat_rate"):
            engine["vat_rate"] = data["vat_rate"]
        if isinstance(data.get("start_date"), date):
            engine["start_date"] = data["start_date"]
        if data.get("urgent"):
            engine["urgent"] = data["urgent"]

        authority_type = data.get("authority_type")
        if authority_type in self.central_asked:
            answer = self._required(
                f"central_{authority_type}",
                "Say whether the body is a central government authority, or choose Not sure.",
            )
            engine["central_government_authority"] = answer
        if data.get("nation") == "wales":
            engine["devolved_functions"] = self._required(
                "devolved_functions",
                "Say whether the body's functions are wholly or mainly Welsh devolved functions, "
                "or choose Not sure.",
            )
        branch = data.get("contract_type")
        if branch in SERVICE_BRANCHES:
            engine["service_category"] = self._required(
                f"service_category_{branch}", "Choose the kind of services."
            )
            route = self._required(f"route_{branch}", "Choose how it will be bought.")
            engine["is_framework"] = route == "framework"
            engine["is_call_off"] = route == "call_off"
            engine["is_dynamic"] = route == "dynamic"
            engine["psr"] = data.get(f"psr_{branch}") == "yes"
        if data.get("contract_kind"):
            engine["contract_kind"] = data["contract_kind"]
        mixed_with = data.get("mixed_with") or "goods"
        if branch == "mixed" and mixed_with == "works":
            engine["mixed_with"] = "works"
            engine["main_purpose"] = self._required(
                "main_purpose", "Choose the main purpose of the contract: services or works."
            )
        elif branch == "mixed":
            text = (data.get("services_value") or "").strip()
            if not text:
                self.add_error("services_value", "Enter how much of the value is for services.")
            else:
                try:
                    engine["services_value"] = _amount(text, what="a services value")
                except ValidationError as error:
                    self.add_error("services_value", error)
        if self.errors:
            return data
        try:
            data["inputs"] = inputs_from_dict(engine)
        except ActInputError as error:
            self.add_error(self._field_for(error.field), self._sentence(error))
        return data

    def _required(self, name: str, message: str) -> str | None:
        answer = self.cleaned_data.get(name)
        if not answer:
            self.add_error(name, message)
        return answer

    def _field_for(self, engine_field: str) -> str | None:
        branch = self.cleaned_data.get("contract_type")
        names = {
            "service_category": f"service_category_{branch}",
            "is_framework": f"route_{branch}",
            "is_call_off": f"route_{branch}",
            "is_dynamic": f"route_{branch}",
            "psr": f"psr_{branch}",
            "central_government_authority": (
                f"central_{self.cleaned_data.get('authority_type')}"
                if self.cleaned_data.get("authority_type") in self.central_asked
                else "authority_type"
            ),
        }
        name = names.get(engine_field, engine_field)
        return name if name in self.fields else None

    def _sentence(self, error: ActInputError) -> str:
        if error.field == "services_value" and "more than" in error.message:
            return "The services part cannot be more than the whole value."
        name = self._field_for(error.field)
        label = self.fields[name].label if name else error.field
        return f"{label.rstrip('?')}: {error.message}"


def initial_from_inputs(inputs: dict) -> dict:
    """Form initial values from stored engine inputs (to change answers or check again)."""
    initial = {
        name: inputs.get(name)
        for name in ("authority_type", "nation", "contract_type", "value", "vat_basis")
    }
    if inputs.get("vat_rate") is not None:
        initial["vat_rate"] = inputs["vat_rate"]
    if inputs.get("start_date"):
        initial["start_date"] = date.fromisoformat(inputs["start_date"])
    initial["urgent"] = "yes" if inputs.get("urgent") else "no"
    if inputs.get("nation") == "wales":
        initial["devolved_functions"] = _FLAG_TEXT[inputs.get("devolved_functions")]
    initial[f"central_{inputs.get('authority_type')}"] = _FLAG_TEXT[
        inputs.get("central_government_authority")
    ]
    branch = inputs.get("contract_type")
    if branch in SERVICE_BRANCHES:
        initial[f"service_category_{branch}"] = inputs.get("service_category")
        initial[f"route_{branch}"] = route_of(inputs)
        initial[f"psr_{branch}"] = "yes" if inputs.get("psr") else "no"
    initial["contract_kind"] = inputs.get("contract_kind") or "public"
    if branch == "mixed":
        initial["services_value"] = inputs.get("services_value")
        initial["mixed_with"] = inputs.get("mixed_with") or "goods"
        initial["main_purpose"] = inputs.get("main_purpose")
    return initial


def route_of(inputs: dict) -> str:
    """The route answer (a ROUTES code) from stored engine inputs."""
    if inputs.get("is_framework"):
        return "framework"
    if inputs.get("is_call_off"):
        return "call_off"
    if inputs.get("is_dynamic"):
        return "dynamic"
    return "contract"


class ConsiderationForm(GDSFormMixin, forms.Form):
    """The Act consideration (section 1(3), (7) and (8)) recorded with the check.

    Which answers are required depends on the check's answer (see
    act_services.consideration_requirements); the labels say which are optional.
    """

    check_token = forms.CharField(widget=forms.HiddenInput)
    wellbeing_improvement = forms.CharField(
        label="How might what you are buying improve the economic, social and environmental "
        "well-being of the area?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only what is relevant to this contract, and in proportion to it.",
    )
    procurement_approach = forms.CharField(
        label="How will you conduct the procurement to secure that improvement?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "For example: award criteria and their weighting, lots that smaller and voluntary "
            "organisations can bid for, early market engagement."
        ),
    )
    relevant_priorities = forms.TypedMultipleChoiceField(
        label="Which of your local priorities are relevant?",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From your authority's adopted local definition of social value.",
    )
    will_consult = forms.ChoiceField(
        label="Will you consult on these matters before the procurement starts?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    consultation_plan = forms.CharField(
        label="Whom will you consult, and how?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    no_consultation_reason = forms.CharField(
        label="Why will you not consult?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    urgency_reason = forms.CharField(
        label="Why is the case so urgent that considering social value would be impractical?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, required: dict[str, bool], priorities, **kwargs):
        super().__init__(*args, **kwargs)
        for name, needed in required.items():
            if not needed:
                self.fields[name].label = f"{self.fields[name].label} (optional)"
        layout = [
            Field("check_token"),
            Field.textarea("wellbeing_improvement", label_size=Size.MEDIUM, rows=5),
            Field.textarea("procurement_approach", label_size=Size.MEDIUM, rows=5),
        ]
        if priorities:
            self.fields["relevant_priorities"].choices = [(p.pk, str(p)) for p in priorities]
            layout.append(
                Field.checkboxes("relevant_priorities", legend_size=Size.MEDIUM, small=True)
            )
        else:
            del self.fields["relevant_priorities"]
        layout.append(
            QuestionRadios(
                "will_consult",
                ConditionalQuestion("Yes", Field.textarea("consultation_plan", rows=3)),
                ConditionalQuestion("No", Field.textarea("no_consultation_reason", rows=3)),
            )
        )
        if required.get("urgency_reason"):
            layout.append(Field.textarea("urgency_reason", label_size=Size.MEDIUM, rows=3))
        else:
            del self.fields["urgency_reason"]
        self.helper.layout = Layout(*layout)

    def consideration(self) -> dict:
        """The cleaned answers as keyword arguments for act_services.act_assessment_record."""
        data = self.cleaned_data
        will_consult = {"yes": True, "no": False}.get(data.get("will_consult") or "")
        reason = ""
        if will_consult is True:
            reason = data.get("consultation_plan", "")
        elif will_consult is False:
            reason = data.get("no_consultation_reason", "")
        return {
            "wellbeing_improvement": data.get("wellbeing_improvement", ""),
            "procurement_approach": data.get("procurement_approach", ""),
            "priority_ids": data.get("relevant_priorities", []),
            "will_consult": will_consult,
            "consultation_reason": reason,
            "urgency_reason": data.get("urgency_reason", ""),
        }

    def apply_service_errors(self, error: ValidationError) -> None:
        """Show the service's errors next to the question that was asked on this form."""
        will_consult = self.cleaned_data.get("will_consult")
        for field, messages in error.message_dict.items():
            if field == "consultation_reason":
                field = "consultation_plan" if will_consult == "yes" else "no_consultation_reason"
            self.add_error(field if field in self.fields else None, messages)
