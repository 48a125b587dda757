"""State changes of tenders, criteria, clarifications and bids: one function each, in modules
by concern (tenders, criteria, lifecycle, policy, clarifications, bids; uploads and base are
shared helpers, notify holds the email jobs).

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
from tenders.services.alerts import (
    MAX_SAVED_SEARCHES,
    describe_query,
    opportunity_alerts_enqueue,
    saved_search_create,
    saved_search_remove,
    saved_search_set_alerts,
    search_for_token,
    unsubscribe_token,
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
from tenders.services.copying import (
    lot_copy_criteria,
    tender_copy,
)
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
from tenders.services.interest import (
    interest_register,
    interest_withdraw,
)
from tenders.services.lifecycle import (
    close_due_tenders,
    open_bids,
    tender_amend,
    tender_award,
    tender_close_if_due,
    tender_end,
    tender_publish,
    tender_start_delivery,
    tender_start_evaluation,
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
    "MAX_SAVED_SEARCHES",
    "STARTING_GROUPS",
    "TENDER_FIELDS",
    "TRANSITIONS",
    "attachment_add",
    "attachment_max_bytes",
    "attachment_remove",
    "attachment_types",
    "bid_contents",
    "bid_save",
    "bid_start",
    "bid_submit",
    "bid_withdraw",
    "clarification_answer",
    "clarification_ask",
    "close_due_tenders",
    "commitment_add",
    "commitment_remove",
    "commitment_total",
    "contents_digest",
    "criterion_add",
    "criterion_remove",
    "criterion_update",
    "describe_query",
    "document_add",
    "interest_register",
    "interest_withdraw",
    "local_minimum_record",
    "lot_add",
    "lot_copy_criteria",
    "lot_remove",
    "lot_update",
    "moment_text",
    "next_transition",
    "open_bids",
    "opportunity_alerts_enqueue",
    "saved_search_create",
    "saved_search_remove",
    "saved_search_set_alerts",
    "search_for_token",
    "selectors_priorities",
    "tender_amend",
    "tender_award",
    "tender_close_if_due",
    "tender_copy",
    "tender_create",
    "tender_end",
    "tender_publish",
    "tender_record_reasons",
    "tender_start_delivery",
    "tender_start_evaluation",
    "tender_update",
    "unsubscribe_token",
    "weights_update",
]
