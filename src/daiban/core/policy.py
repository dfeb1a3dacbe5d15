"""Policy matching (惠企政策精准推送), pure: the facts a policy rule may test, evaluation with a trace that
survives missing facts, and the estimate of a benefit.

A policy applies either per project (``level="project"``: enterprise and project facts, e.g. an equipment
subsidy computed from that project's equipment investment) or per enterprise (``level="enterprise"``:
enterprise facts only, e.g. an award for being a recognised high-tech enterprise, paid once per enterprise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from daiban.core.rules import Condition, Constant, Field, Group, Leaf, Not, RuleError, parse_condition

MILESTONES = (
    ("signed", "签约"),
    ("registered", "注册"),
    ("land_acquired", "拿地"),
    ("started", "开工"),
    ("completed", "竣工"),
    ("producing", "投产"),
    ("full_capacity", "达产"),
)
CATEGORIES = (
    ("new_start", "新开工"),
    ("continuing", "续建"),
    ("completing", "竣工投产"),
    ("reserve", "储备"),
)


def _f(name: str, label: str, kind: str, choices: tuple[tuple[str, str], ...] = (), **extra: Any) -> Field:
    return Field(name, label, kind, tuple(code for code, _ in choices), choices, **extra)


ENTERPRISE_FACTS: dict[str, Field] = {
    f.name: f
    for f in (
        _f("high_tech", "高新技术企业", "bool"),
        _f("years_registered", "注册年限（年）", "int", required=False),
        _f("enterprise_industry", "企业所属行业", "str", required=False),
    )
}
PROJECT_FACTS: dict[str, Field] = {
    f.name: f
    for f in (
        _f("industry", "产业领域", "str", required=False),
        _f("category", "项目类别", "enum", CATEGORIES),
        _f("total_investment", "总投资（万元）", "decimal"),
        _f("equipment_investment", "设备投资（万元）", "decimal", required=False),
        _f("area", "所在片区", "str", required=False),
        _f("statistics_registered", "已纳统", "bool"),
        _f("in_current_list", "列入当年重大项目清单", "bool"),
        _f("milestones_reached", "已达节点", "list", MILESTONES),
        _f("started_this_year", "当年开工", "bool"),
    )
}
LEVELS = (("project", "按项目"), ("enterprise", "按企业"))
BENEFIT_KINDS = (("interest_subsidy", "贷款贴息"), ("subsidy", "比例补助"), ("fixed", "定额奖励"))


def schema_for(level: str) -> dict[str, Field]:
    """The facts a rule of this level may test: a per-enterprise rule sees only the enterprise's facts."""
    if level == "enterprise":
        return dict(ENTERPRISE_FACTS)
    return ENTERPRISE_FACTS | PROJECT_FACTS


def parse_rule(spec: Any, level: str = "project") -> Condition:
    """The rule (plain data, as loaded from the YAML an admin entered) parsed against the level's facts;
    any defect is a RuleError naming it.

    An empty rule is refused: a policy that matches everyone is almost certainly a mistake.
    """
    if spec is None or spec == "":
        raise RuleError("规则为空：请填写适用条件")
    try:
        return parse_condition(spec, schema_for(level))
    except RuleError as error:
        message = str(error)
        if level == "enterprise" and any(f"'{name}'" in message for name in PROJECT_FACTS):
            message += "（按企业适用的政策只能使用企业信息：" + "、".join(ENTERPRISE_FACTS) + "）"
        raise RuleError(message) from None


@dataclass(frozen=True)
class Line:
    text: str
    held: bool
    depth: int

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "held": self.held, "depth": self.depth}


@dataclass(frozen=True)
class Match:
    eligible: bool
    trace: tuple[Line, ...]

    def trace_json(self) -> list[dict[str, Any]]:
        return [line.as_dict() for line in self.trace]


def evaluate(condition: Condition, facts: Mapping[str, Any]) -> Match:
    """Whether the facts meet the condition, with every node's outcome (no short-circuit).

    Note: a fact that is not filled in (e.g. no equipment investment recorded) makes its condition not hold
    and says so, instead of failing the whole evaluation as ``Condition.trace`` would.
    """
    lines: list[Line] = []
    held = _walk(condition, facts, 0, lines)
    return Match(held, tuple(lines))


def holds(condition: Condition, facts: Mapping[str, Any]) -> bool:
    """``evaluate(condition, facts).eligible`` without the trace (a fact not filled in does not hold).

    Note: most (policy, project) pairs do not match and have no match row to update: they need no trace,
    and skipping it is most of the matching's time at 10,000 projects.
    """
    if isinstance(node := condition, Leaf):
        if node.op != "is_set" and facts.get(node.field.name) is None:
            return False
        return node.evaluate(facts)
    if isinstance(node, Group):
        results = (holds(child, facts) for child in node.children)
        return all(results) if node.kind == "all" else any(results)
    if isinstance(node, Not):
        return not holds(node.child, facts)
    return evaluate(node, facts).eligible


def _walk(node: Condition, facts: Mapping[str, Any], depth: int, lines: list[Line]) -> bool:
    if isinstance(node, Leaf):
        return _leaf(node, facts, depth, lines)
    index = len(lines)
    if isinstance(node, Group):
        results = [_walk(child, facts, depth + 1, lines) for child in node.children]
        held = all(results) if node.kind == "all" else any(results)
        head = "以下全部满足" if node.kind == "all" else "以下任一满足"
    elif isinstance(node, Not):
        held = not _walk(node.child, facts, depth + 1, lines)
        head = "以下不成立"
    elif isinstance(node, Constant):
        held, head = node.value, node.describe()
    else:  # pragma: no cover - the parser builds only these node types
        raise RuleError(f"未知的条件节点 {type(node).__name__}")
    lines.insert(index, Line(f"{head}：{'是' if held else '否'}", held, depth))
    return held


def _leaf(node: Leaf, facts: Mapping[str, Any], depth: int, lines: list[Line]) -> bool:
    if node.op != "is_set" and facts.get(node.field.name) is None:
        lines.append(Line(f"{node.describe()}：否（实际：未填写）", False, depth))
        return False
    line = node.trace(facts)[0]
    lines.append(Line(line.text, line.held, depth))
    return line.held


# ---------------------------------------------------------------------------------------------- benefit

CENT = Decimal("0.01")


def estimate_benefit(
    *,
    kind: str,
    rate: Decimal | None = None,
    cap: Decimal | None = None,
    fixed_amount: Decimal | None = None,
    base: Decimal | None = None,
) -> Decimal | None:
    """The estimated benefit in 万元: never negative, never above ``cap``; None when it cannot be estimated.

    贷款贴息 is simplified to ``rate × base`` (e.g. 50% of the interest ≈ a share of the equipment
    investment); 比例补助 is ``rate × base``; 定额奖励 is ``fixed_amount``.
    """
    if kind == "fixed":
        amount = fixed_amount
    elif kind in ("interest_subsidy", "subsidy"):
        if rate is None or base is None:
            return None
        amount = max(base, Decimal(0)) * max(rate, Decimal(0))
    else:
        raise RuleError(f"未知的兑现方式 '{kind}'")
    if amount is None:
        return None
    amount = max(amount, Decimal(0))
    if cap is not None:
        amount = min(amount, max(cap, Decimal(0)))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------- facts


def years_between(start: dt.date | None, today: dt.date) -> int | None:
    """Whole years from ``start`` to ``today`` (an anniversary completes a year)."""
    if start is None:
        return None
    years = today.year - start.year - ((today.month, today.day) < (start.month, start.day))
    return max(years, 0)
