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
(scoring bids and ranking them) and `io` (JSON in and out); everything public is importable from
here.
"""

from tenders.scoring.io import (
    FieldError,
    JsonInputError,
    ScoringInput,
    from_json,
    input_to_json,
    result_from_json,
    score_json,
    to_json,
)
from tenders.scoring.price import (
    PRICE_METHODS,
    PriceMethod,
    PriceParameter,
    deduction_per_percent_above_lowest,
    lowest_price_ratio,
    relative_to_mean,
    validate_price_method,
)
from tenders.scoring.results import (
    DATA_DIR,
    PRESENTED_PLACES,
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
)
from tenders.scoring.tree import (
    HUNDRED,
    KINDS,
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
    "AbnormallyLowCheck",
    "AbnormallyLowPolicy",
    "Bid",
    "BidProblem",
    "BidResult",
    "CriteriaTree",
    "Criterion",
    "CriterionScore",
    "DATA_DIR",
    "Exclusion",
    "FieldError",
    "HUNDRED",
    "JsonInputError",
    "KINDS",
    "ONE",
    "PRECISION",
    "PRESENTED_PLACES",
    "PRICE",
    "PRICE_METHODS",
    "PriceMethod",
    "PriceParameter",
    "QUALITY",
    "RankEntry",
    "Result",
    "SOCIAL_VALUE",
    "Scale",
    "ScoringError",
    "ScoringInput",
    "TIE_PLACES",
    "TIE_POLICY",
    "TreeError",
    "ZERO",
    "abnormally_low_checks",
    "deduction_per_percent_above_lowest",
    "effective_weights",
    "from_json",
    "input_to_json",
    "load_abnormally_low_policy",
    "lowest_price_ratio",
    "presented",
    "relative_to_mean",
    "result_from_json",
    "score_json",
    "score_tender",
    "to_json",
    "validate_bids",
    "validate_price_method",
    "validate_tree",
]
