"""The models of tenders, by part: the tender side (tenders.models.tenders), the bid side
(tenders.models.bids), the award (tenders.models.award) and the contract (.contracts). Every model is importable from here, as Django and the migrations expect.
"""

from tenders.models.award import (
    AbnormallyLowFile,
    AbnormallyLowQuery,
    AwardDecision,
    AwardNotice,
    AwardOutcome,
    BidderNotice,
    Challenge,
    QueryStatus,
    TieResolution,
)
from tenders.models.bids import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidOutcome,
    BidReceipt,
    BidStatus,
    Commitment,
    ReceiptKind,
    _attachment_path,
)
from tenders.models.contracts import Contract, ContractCommitment
from tenders.models.files import StoredFile
from tenders.models.tenders import (
    Clarification,
    ContractType,
    Criterion,
    CriterionKind,
    LocalMinimumWeighting,
    Lot,
    Regime,
    Tender,
    TenderAmendment,
    TenderDocument,
    TenderStatus,
    TieBreak,
)

__all__ = [
    "AbnormallyLowFile",
    "AbnormallyLowQuery",
    "AwardDecision",
    "AwardNotice",
    "AwardOutcome",
    "Bid",
    "BidAnswer",
    "BidAttachment",
    "BidOutcome",
    "BidReceipt",
    "BidderNotice",
    "Challenge",
    "BidStatus",
    "Clarification",
    "Commitment",
    "Contract",
    "ContractCommitment",
    "ContractType",
    "Criterion",
    "CriterionKind",
    "LocalMinimumWeighting",
    "Lot",
    "QueryStatus",
    "ReceiptKind",
    "Regime",
    "StoredFile",
    "Tender",
    "TenderAmendment",
    "TenderDocument",
    "TenderStatus",
    "TieBreak",
    "TieResolution",
    "_attachment_path",
]
