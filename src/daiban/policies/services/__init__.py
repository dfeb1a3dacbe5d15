"""The only writes of policies: saving a policy (its rule checked, a bad rule kept with its error and never
run), matching (the daily tick, and re-evaluation when an enterprise's facts change), and the payout (兑现)
of each match, each transition with a version check and an audit entry.

``actor=None`` means the system (the daily tick, the demo, the CLI): permitted, audited as 系统.
"""

from daiban.policies.services.common import current_day, policy_condition, rule_check, rule_spec
from daiban.policies.services.matching import (
    PolicyTickResult,
    policies_in_force,
    policy_reevaluate,
    policy_tick,
    status_from_dates,
)
from daiban.policies.services.payout import match_apply, match_approve, match_pay
from daiban.policies.services.policies import policy_load_examples, policy_save

__all__ = [
    "PolicyTickResult",
    "current_day",
    "match_apply",
    "match_approve",
    "match_pay",
    "policies_in_force",
    "policy_condition",
    "policy_load_examples",
    "policy_reevaluate",
    "policy_save",
    "policy_tick",
    "rule_check",
    "rule_spec",
    "status_from_dates",
]
