"""Forms for tenders and bids (GOV.UK Design System via crispy-forms-gds), by audience: the
authority's (authority, criteria), the bidder's (bidder) and what they share (common). Every form
is importable from here.

Forms only read and check what a person typed; the services decide what the state allows.
"""

from tenders.forms.authority import (
    TENDER_ERROR_FIELDS,
    AmendmentForm,
    AnswerForm,
    DocumentForm,
    LocalMinimumForm,
    ReasonsForm,
    TenderForm,
)
from tenders.forms.bidder import (
    DECLARATION,
    AttachmentForm,
    BidderChoiceForm,
    BidForm,
    CommitmentForm,
    CommitmentQuestionForm,
    QuestionForm,
    SavedSearchForm,
    SubmitDeclarationForm,
)
from tenders.forms.common import (
    TIME_HELP,
    ClockTimeField,
    DeadlinesForm,
    plain,
    refresh_layout,
)
from tenders.forms.criteria import (
    CopyCriteriaForm,
    CriterionForm,
    LotForm,
    WeightsForm,
)
from tenders.forms.evaluation import (
    AppointForm,
    DeclarationForm,
    MarkingForm,
    MitigationForm,
    ModerationForm,
    SettingsForm,
)

__all__ = [
    "SettingsForm",
    "ModerationForm",
    "MitigationForm",
    "MarkingForm",
    "DeclarationForm",
    "AppointForm",
    "CopyCriteriaForm",
    "DECLARATION",
    "SubmitDeclarationForm",
    "SavedSearchForm",
    "AmendmentForm",
    "AnswerForm",
    "AttachmentForm",
    "BidForm",
    "BidderChoiceForm",
    "ClockTimeField",
    "CommitmentForm",
    "CommitmentQuestionForm",
    "CriterionForm",
    "DeadlinesForm",
    "DocumentForm",
    "LocalMinimumForm",
    "LotForm",
    "QuestionForm",
    "ReasonsForm",
    "TENDER_ERROR_FIELDS",
    "TIME_HELP",
    "TenderForm",
    "WeightsForm",
    "plain",
    "refresh_layout",
]
