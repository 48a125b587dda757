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
from tenders.forms.award import (
    REJECTION_RULE,
    AbnormallyLowRequestForm,
    AwardDecisionForm,
    ChallengeForm,
    ChallengeResolveForm,
    ContractForm,
    ExplanationForm,
    IssueAwardForm,
    QueryDecisionForm,
    ReplaceWinnerForm,
    TieForm,
)
from tenders.forms.bidder import (
    AttachmentForm,
    BidderChoiceForm,
    BidForm,
    CommitmentForm,
    QuestionForm,
)
from tenders.forms.common import (
    TIME_HELP,
    ClockTimeField,
    DeadlinesForm,
    plain,
    refresh_layout,
)
from tenders.forms.criteria import (
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
    "AbnormallyLowRequestForm",
    "SettingsForm",
    "ModerationForm",
    "MitigationForm",
    "MarkingForm",
    "DeclarationForm",
    "AppointForm",
    "AmendmentForm",
    "AnswerForm",
    "AttachmentForm",
    "AwardDecisionForm",
    "BidForm",
    "BidderChoiceForm",
    "ChallengeForm",
    "ChallengeResolveForm",
    "ClockTimeField",
    "CommitmentForm",
    "ContractForm",
    "CriterionForm",
    "DeadlinesForm",
    "DocumentForm",
    "ExplanationForm",
    "IssueAwardForm",
    "LocalMinimumForm",
    "LotForm",
    "QueryDecisionForm",
    "QuestionForm",
    "REJECTION_RULE",
    "ReasonsForm",
    "ReplaceWinnerForm",
    "TENDER_ERROR_FIELDS",
    "TIME_HELP",
    "TenderForm",
    "TieForm",
    "WeightsForm",
    "plain",
    "refresh_layout",
]
