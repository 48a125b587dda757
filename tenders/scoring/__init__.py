"""Pure scoring engine for the most advantageous tender (MEAT in PCR 2015, MAT in the 2023 Act).

A tender's award criteria form a tree: price, quality and social value groups at the top, each
split into weighted sub-criteria. Weights are percentages of their parent (siblings add up to
100), so a leaf's share of the total score is the product of the weights above it. Quality and
social value leaves are marked on a published scale (the panel's moderated consensus mark);
the single priced leaf is scored by a published price method. Scores keep full Decimal
precision; only `presented()` rounds them (2 dp, ROUND_HALF_UP) for people.

No Django, no settings, no I/O except `load_abnormally_low_policy()`, which reads this app's
own data file. Views, the API and the `score_bids` command translate to and from these types.

In parts: `tree` (criteria, scales, checks, weights), `price` (the price methods), `results`
(scoring bids, the published tie-break, ranking them), `sensitivity` (how far the weighting
would have to move for another bid to win), `summary` (a bidder's figures beside the winner's,
for assessment summaries and award letters) and `io` (JSON in and out: the engine's own format
and the `score_bids` format); everything public is importable from here.
"""

from tenders.scoring.bids_json import (
    BidsDocument,
    bids_result_json,
    read_bids_document,
    score_bids_json,
)
from tenders.scoring.io import (
    FieldError,
    JsonInputError,
    ScoringInput,
    from_json,
    input_to_json,
    result_from_json,
    score_json,
    sensitivity_from_json,
    sensitivity_to_json,
    to_json,
)
from tenders.scoring.price import (
    PRICE_METHOD_ALIASES,
    PRICE_METHODS,
    PriceMethod,
    PriceParameter,
    deduction_per_percent_above_lowest,
    lowest_price_ratio,
    price_per_quality_point,
    relative_to_mean,
    resolve_price_method,
    validate_price_method,
)
from tenders.scoring.results import (
    DATA_DIR,
    DEFAULT_TIE_BREAK,
    OFFICER,
    PRESENTED_PLACES,
    TIE_BREAK_KINDS,
    TIE_PLACES,
    TIE_POLICY,
    AbnormallyLowCheck,
    AbnormallyLowPolicy,
    Bid,
    BidProblem,
    BidResult,
    CriterionScore,
    Exclusion,
    RankEntry,
    Result,
    abnormally_low_checks,
    load_abnormally_low_policy,
    presented,
    score_tender,
    validate_bids,
    validate_tie_break,
)
from tenders.scoring.sensitivity import (
    SENSITIVITY_RIVALS,
    RivalShift,
    Sensitivity,
    WeightMove,
    sensitivity,
)
from tenders.scoring.summary import BidSummary, SummaryRow, bid_summary
from tenders.scoring.tree import (
    HUNDRED,
    KINDS,
    LEAF_METHODS,
    MONETISED_RATIO,
    ONE,
    PRECISION,
    PRICE,
    QUALITY,
    SOCIAL_VALUE,
    ZERO,
    CriteriaTree,
    Criterion,
    Scale,
    ScoringError,
    TreeError,
    effective_weights,
    validate_tree,
)

__all__ = [
    "abnormally_low_checks",
    "AbnormallyLowCheck",
    "AbnormallyLowPolicy",
    "Bid",
    "bid_summary",
    "BidProblem",
    "BidResult",
    "bids_result_json",
    "BidsDocument",
    "BidSummary",
    "CriteriaTree",
    "Criterion",
    "CriterionScore",
    "DATA_DIR",
    "deduction_per_percent_above_lowest",
    "DEFAULT_TIE_BREAK",
    "effective_weights",
    "Exclusion",
    "FieldError",
    "from_json",
    "HUNDRED",
    "input_to_json",
    "JsonInputError",
    "KINDS",
    "LEAF_METHODS",
    "load_abnormally_low_policy",
    "lowest_price_ratio",
    "MONETISED_RATIO",
    "OFFICER",
    "ONE",
    "PRECISION",
    "presented",
    "PRESENTED_PLACES",
    "PRICE",
    "PRICE_METHOD_ALIASES",
    "PRICE_METHODS",
    "price_per_quality_point",
    "PriceMethod",
    "PriceParameter",
    "QUALITY",
    "RankEntry",
    "read_bids_document",
    "relative_to_mean",
    "resolve_price_method",
    "Result",
    "result_from_json",
    "RivalShift",
    "Scale",
    "score_bids_json",
    "score_json",
    "score_tender",
    "ScoringError",
    "ScoringInput",
    "sensitivity",
    "Sensitivity",
    "sensitivity_from_json",
    "SENSITIVITY_RIVALS",
    "sensitivity_to_json",
    "SOCIAL_VALUE",
    "SummaryRow",
    "TIE_BREAK_KINDS",
    "TIE_PLACES",
    "TIE_POLICY",
    "to_json",
    "TreeError",
    "validate_bids",
    "validate_price_method",
    "validate_tie_break",
    "validate_tree",
    "WeightMove",
    "ZERO",
]
