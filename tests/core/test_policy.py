import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daiban.core.policy import estimate_benefit, evaluate, holds, parse_rule, years_between
from daiban.core.rules import RuleError

FACTS = {
    "high_tech": True,
    "years_registered": 3,
    "enterprise_industry": "生物医药",
    "industry": "生物医药",
    "category": "new_start",
    "total_investment": Decimal("120000"),
    "equipment_investment": Decimal("3000"),
    "area": "河西",
    "statistics_registered": True,
    "in_current_list": True,
    "milestones_reached": ("signed", "registered", "land_acquired", "started"),
    "started_this_year": True,
}

EQUIPMENT = {
    "all": [
        {"field": "industry", "op": "in", "value": ["生物医药", "集成电路"]},
        {"field": "equipment_investment", "op": "ge", "value": 1000},
        {"field": "milestones_reached", "op": "contains", "value": "started"},
    ]
}


def test_trace_says_which_conditions_held():
    match = evaluate(parse_rule(EQUIPMENT), FACTS | {"equipment_investment": Decimal("800")})
    assert not match.eligible
    texts = [(line.text, line.held, line.depth) for line in match.trace]
    assert texts[0] == ("以下全部满足：否", False, 0)
    assert texts[1][1] is True and "产业领域 属于" in texts[1][0]
    assert texts[2] == ("设备投资（万元） 不小于 1000：否（实际：800）", False, 1)
    assert texts[3][1] is True and "已达节点 包含 开工" in texts[3][0]


def test_eligible_when_every_condition_holds():
    match = evaluate(parse_rule(EQUIPMENT), FACTS)
    assert match.eligible and all(line.held for line in match.trace)
    assert match.trace_json()[0] == {"text": "以下全部满足：是", "held": True, "depth": 0}


def test_missing_fact_does_not_hold_and_says_so():
    match = evaluate(parse_rule(EQUIPMENT), FACTS | {"equipment_investment": None})
    assert not match.eligible
    assert "未填写" in match.trace[2].text and not match.trace[2].held


def test_unknown_field_is_refused_naming_it():
    with pytest.raises(RuleError, match="未知字段 'turnover'"):
        parse_rule({"field": "turnover", "op": "ge", "value": 1})


def test_malformed_rule_is_refused():
    with pytest.raises(RuleError, match="格式错误"):
        parse_rule({"feild": "industry"})
    with pytest.raises(RuleError, match="规则为空"):
        parse_rule(None)


def test_enterprise_rule_may_not_use_project_facts():
    assert parse_rule({"field": "high_tech", "op": "eq", "value": True}, "enterprise")
    with pytest.raises(RuleError, match="按企业适用的政策只能使用企业信息"):
        parse_rule({"field": "equipment_investment", "op": "ge", "value": 1}, "enterprise")


@pytest.mark.parametrize(
    ("kind", "rate", "cap", "fixed", "base", "expected"),
    [
        ("interest_subsidy", "0.03", "2000", None, "3000", "90.00"),
        ("interest_subsidy", "0.03", "2000", None, "100000", "2000.00"),
        ("subsidy", "0.1", "1000", None, "5555.55", "555.56"),
        ("fixed", None, None, "50", None, "50.00"),
        ("fixed", None, "30", "50", None, "30.00"),
    ],
)
def test_estimate_benefit(kind, rate, cap, fixed, base, expected):
    amount = estimate_benefit(
        kind=kind,
        rate=Decimal(rate) if rate else None,
        cap=Decimal(cap) if cap else None,
        fixed_amount=Decimal(fixed) if fixed else None,
        base=Decimal(base) if base else None,
    )
    assert amount == Decimal(expected)


def test_no_base_no_estimate():
    assert estimate_benefit(kind="subsidy", rate=Decimal("0.1"), cap=None, base=None) is None


money = st.decimals(min_value=-(10**6), max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(base=money, rate=st.decimals(min_value=0, max_value=1, places=4), cap=money)
def test_estimate_never_negative_never_above_cap(base, rate, cap):
    amount = estimate_benefit(kind="subsidy", rate=rate, cap=cap, base=base)
    assert amount is not None
    assert Decimal(0) <= amount <= max(cap, Decimal(0))


def test_years_between_counts_whole_years():
    assert years_between(dt.date(2024, 6, 1), dt.date(2026, 5, 31)) == 1
    assert years_between(dt.date(2024, 6, 1), dt.date(2026, 6, 1)) == 2
    assert years_between(None, dt.date(2026, 6, 1)) is None


RULES = [
    EQUIPMENT,
    {
        "any": [
            {"field": "high_tech", "op": "eq", "value": True},
            {"field": "area", "op": "eq", "value": "河西"},
        ]
    },
    {"not": {"field": "statistics_registered", "op": "eq", "value": True}},
    {"all": [{"field": "years_registered", "op": "le", "value": 2}, {"not": EQUIPMENT}]},
]


@given(
    rule=st.sampled_from(RULES),
    equipment=st.one_of(st.none(), st.decimals(min_value=0, max_value=5000, places=2)),
    high_tech=st.booleans(),
    area=st.one_of(st.none(), st.sampled_from(["河西", "河东"])),
    registered=st.booleans(),
    years=st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
    industry=st.sampled_from(["生物医药", "新材料"]),
)
def test_the_fast_check_agrees_with_the_traced_evaluation(
    rule, equipment, high_tech, area, registered, years, industry
):
    """Matching skips the trace for pairs that do not hold: it must decide exactly as the trace does."""
    facts = FACTS | {
        "equipment_investment": equipment,
        "high_tech": high_tech,
        "area": area,
        "statistics_registered": registered,
        "years_registered": years,
        "industry": industry,
    }
    condition = parse_rule(rule)
    assert holds(condition, facts) == evaluate(condition, facts).eligible
