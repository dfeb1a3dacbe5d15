"""What every policies service shares: today, and a rule from its text to a condition."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from django.utils import timezone

from daiban.core.policy import parse_rule
from daiban.core.rules import Condition, RuleError
from daiban.policies.models import Policy


def current_day() -> dt.date:
    """Today in the zone's time zone (one place, so tests can pin it)."""
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------- rules


def rule_spec(text: str) -> Any:
    """The YAML (or JSON) text of a rule as plain data; a syntax error is a RuleError naming the line."""
    try:
        return yaml.safe_load(text) if text and text.strip() else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行）" if mark is not None else ""
        raise RuleError(f"规则不是有效的 YAML{where}：{getattr(error, 'problem', None) or error}") from None


def rule_check(*, rule: str, level: str) -> str:
    """The Chinese error of a rule, or "" when it parses against the level's facts."""
    try:
        parse_rule(rule_spec(rule), level)
    except RuleError as error:
        return str(error)
    return ""


def policy_condition(policy: Policy) -> Condition | None:
    """The parsed rule of a policy that may run; None for a policy whose rule was refused."""
    if policy.rule_error:
        return None
    try:
        return parse_rule(rule_spec(policy.rule), policy.level)
    except RuleError:
        return None
