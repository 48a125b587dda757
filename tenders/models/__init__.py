"""The models of tenders, in two parts: the tender side (tenders.models.tenders) and the bid side
(tenders.models.bids). Every model is importable from here, as Django and the migrations expect.
"""

from tenders.models.bids import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidReceipt,
    BidStatus,
    Commitment,
    ReceiptKind,
    _attachment_path,
    receipt_number,
)
from tenders.models.evaluation import (
    ConflictDeclaration,
    EvaluationSettings,
    Evaluator,
    Mark,
    ModeratedMark,
    ModerationChange,
)
from tenders.models.files import StoredFile
from tenders.models.tenders import (
    Clarification,
    ContractType,
    Criterion,
    CriterionKind,
    Interest,
    LocalMinimumWeighting,
    Lot,
    SavedSearch,
    Tender,
    TenderAmendment,
    TenderDocument,
    TenderStatus,
)

__all__ = [
    "ModerationChange",
    "ModeratedMark",
    "Mark",
    "Evaluator",
    "EvaluationSettings",
    "ConflictDeclaration",
    "Bid",
    "BidAnswer",
    "BidAttachment",
    "BidReceipt",
    "BidStatus",
    "Clarification",
    "Commitment",
    "ContractType",
    "Criterion",
    "CriterionKind",
    "Interest",
    "LocalMinimumWeighting",
    "Lot",
    "ReceiptKind",
    "SavedSearch",
    "StoredFile",
    "Tender",
    "TenderAmendment",
    "TenderDocument",
    "TenderStatus",
    "_attachment_path",
    "receipt_number",
]
