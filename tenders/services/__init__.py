"""State changes of tenders, criteria, clarifications, bids and the award: one function each, in
modules by concern (tenders, criteria, lifecycle, policy, clarifications, bids, award, notices,
contracts; uploads and base are shared helpers, notify holds the email jobs).

Each runs in a transaction, checks who may act (PermissionDenied) and what state allows it
(ValidationError naming the field), and writes the audit trail. Anything that depends on the
submission deadline locks the tender row (select_for_update) and compares with the server's
clock inside the transaction, so a bid cannot slip in after the deadline however requests race.
The audit trail records digests and counts about bids, never their contents.

Everything public is importable from here, and importing this package registers the job
handlers (tenders.registrations relies on it).
"""

from tenders.lifecycle import TRANSITIONS, next_transition
from tenders.services import notify  # noqa: F401  (its job handlers register on import)
from tenders.services.award import (
    abnormally_low_decide,
    abnormally_low_request,
    abnormally_low_respond,
    award_decide,
    award_replace,
    tie_resolve,
)
from tenders.services.base import (
    moment_text,
)
from tenders.services.bids import (
    attachment_add,
    attachment_remove,
    bid_contents,
    bid_save,
    bid_start,
    bid_submit,
    bid_withdraw,
    commitment_add,
    commitment_remove,
    contents_digest,
)
from tenders.services.clarifications import (
    clarification_answer,
    clarification_ask,
)
from tenders.services.contracts import contract_enter
from tenders.services.criteria import (
    STARTING_GROUPS,
    criterion_add,
    criterion_remove,
    criterion_update,
    lot_add,
    lot_remove,
    lot_update,
    selectors_priorities,
    weights_update,
)
from tenders.services.evaluation import (
    Consensus,
    Declared,
    Typed,
    evaluation_settings_update,
    evaluator_appoint,
    evaluator_remove,
    interests_declare,
    marks_save,
    mitigation_record,
    moderation_save,
)
from tenders.services.lifecycle import (
    close_due_tenders,
    open_bids,
    open_bids_request,
    tender_amend,
    tender_close_if_due,
    tender_end,
    tender_publish,
    tender_start_delivery,
)
from tenders.services.notices import (
    award_issue,
    challenge_record,
    challenge_resolve,
    standstill_end,
)
from tenders.services.policy import (
    local_minimum_record,
)
from tenders.services.tenders import (
    TENDER_FIELDS,
    document_add,
    tender_create,
    tender_record_reasons,
    tender_update,
)
from tenders.services.uploads import (
    DEFAULT_ATTACHMENT_MAX_BYTES,
    DEFAULT_ATTACHMENT_TYPES,
    attachment_max_bytes,
    attachment_types,
)
from tenders.valuation import commitment_total

__all__ = [
    "Consensus",
    "Declared",
    "Typed",
    "evaluation_settings_update",
    "evaluator_appoint",
    "evaluator_remove",
    "interests_declare",
    "marks_save",
    "mitigation_record",
    "moderation_save",
    "DEFAULT_ATTACHMENT_MAX_BYTES",
    "DEFAULT_ATTACHMENT_TYPES",
    "STARTING_GROUPS",
    "TENDER_FIELDS",
    "TRANSITIONS",
    "abnormally_low_decide",
    "abnormally_low_request",
    "abnormally_low_respond",
    "attachment_add",
    "attachment_max_bytes",
    "attachment_remove",
    "attachment_types",
    "award_decide",
    "award_issue",
    "award_replace",
    "bid_contents",
    "bid_save",
    "bid_start",
    "bid_submit",
    "bid_withdraw",
    "challenge_record",
    "challenge_resolve",
    "clarification_answer",
    "clarification_ask",
    "close_due_tenders",
    "commitment_add",
    "commitment_remove",
    "commitment_total",
    "contents_digest",
    "contract_enter",
    "criterion_add",
    "criterion_remove",
    "criterion_update",
    "document_add",
    "local_minimum_record",
    "lot_add",
    "lot_remove",
    "lot_update",
    "moment_text",
    "next_transition",
    "open_bids",
    "open_bids_request",
    "selectors_priorities",
    "standstill_end",
    "tender_amend",
    "tender_close_if_due",
    "tender_create",
    "tender_end",
    "tender_publish",
    "tender_record_reasons",
    "tender_start_delivery",
    "tender_update",
    "tie_resolve",
    "weights_update",
]
