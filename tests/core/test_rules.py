import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daiban.core.errors import DomainError
from daiban.core.rules import ALWAYS, NEVER, Field, RuleError, check_facts, parse_condition

SCHEMA = {
    "land_supply_mode": Field(
        "land_supply_mode",
        "供地方式",
        "enum",
        ("listing", "standard_factory", "land_with_scheme"),
        (("listing", "招拍挂"), ("standard_factory", "标准厂房"), ("land_with_scheme", "带方案出让")),
    ),
    "low_risk": Field("low_risk", "低风险", "bool"),
    "floors": Field("floors", "层数", "int"),
    "area": Field("area", "建筑面积", "decimal"),
    "signed_on": Field("signed_on", "签约日", "date"),
    "name": Field("name", "名称", "str"),
    "tags": Field("tags", "标签", "list", ("hazardous", "export")),
    "note": Field("note", "备注", "str", required=False),
}

FACTS = {
    "land_supply_mode": "standard_factory",
    "low_risk": True,
    "floors": 4,
    "area": Decimal("12000.5"),
    "signed_on": dt.date(2024, 3, 1),
    "name": "厂房",
    "tags": ["export"],
    "note": None,
}


def leaf(field, op, value=None):
    spec = {"field": field, "op": op}
    if value is not None:
        spec["value"] = value
    return spec


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (leaf("land_supply_mode", "in", ["standard_factory", "land_with_scheme"]), True),
        (leaf("land_supply_mode", "not_in", ["standard_factory"]), False),
        (leaf("land_supply_mode", "eq", "listing"), False),
        (leaf("low_risk", "eq", True), True),
        (leaf("low_risk", "ne", True), False),
        (leaf("floors", "lt", 5), True),
        (leaf("floors", "le", 4), True),
        (leaf("floors", "gt", 4), False),
        (leaf("floors", "ge", 4), True),
        (leaf("area", "gt", 12000), True),
        (leaf("area", "le", "12000.5"), True),
        (leaf("area", "lt", 12000.4), False),
        (leaf("signed_on", "ge", "2024-01-01"), True),
        (leaf("signed_on", "lt", dt.date(2024, 3, 1)), False),
        (leaf("name", "eq", "厂房"), True),
        (leaf("tags", "contains", "export"), True),
        (leaf("tags", "contains", "hazardous"), False),
        (leaf("note", "is_set"), False),
        (leaf("name", "is_set"), True),
        ({"field": "note", "op": "is_set", "value": False}, True),
        (True, True),
        (None, True),
        (False, False),
    ],
)
def test_each_operator_evaluates(spec, expected):
    assert parse_condition(spec, SCHEMA).evaluate(FACTS) is expected


def test_combinators_and_trace_explain_every_node():
    condition = parse_condition(
        {
            "all": [
                leaf("land_supply_mode", "in", ["standard_factory", "land_with_scheme"]),
                {"any": [leaf("low_risk", "eq", True), leaf("area", "lt", 1000)]},
                {"not": leaf("tags", "contains", "hazardous")},
            ]
        },
        SCHEMA,
    )
    assert condition.evaluate(FACTS)
    lines = condition.trace(FACTS)
    assert [line.depth for line in lines] == [0, 1, 1, 2, 2, 1, 2]
    assert lines[0].held and lines[0].text.startswith("以下全部满足")
    assert lines[1].text.startswith("供地方式 属于 [标准厂房, 带方案出让]：是")
    # the trace does not short-circuit: the unneeded branch is shown, and it failed
    assert lines[4].text.startswith("建筑面积 小于 1000：否") and not lines[4].held
    assert condition.fields() == {"land_supply_mode", "low_risk", "area", "tags"}
    assert "供地方式 属于 [标准厂房, 带方案出让]" in condition.describe()
    assert " 或 " in condition.describe() and "并非" in condition.describe()


def test_decimal_and_int_facts_compare_both_ways():
    condition = parse_condition(leaf("area", "ge", "5000"), SCHEMA)
    assert condition.evaluate({**FACTS, "area": 5000})
    assert condition.evaluate({**FACTS, "area": Decimal("5000.00")})
    assert not condition.evaluate({**FACTS, "area": Decimal("4999.99")})
    assert parse_condition(leaf("area", "eq", 5000), SCHEMA).evaluate({**FACTS, "area": Decimal("5000.0")})


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (leaf("foo", "eq", 1), "未知字段 'foo'"),
        (leaf("low_risk", "like", True), "未知比较符 'like'"),
        (leaf("floors", "gt", "three"), "'floors'"),
        (leaf("floors", "gt", True), "'floors'"),
        (leaf("land_supply_mode", "eq", "moon"), "'moon'"),
        (leaf("land_supply_mode", "in", "listing"), "非空列表"),
        (leaf("land_supply_mode", "lt", "listing"), "'lt' 不适用"),
        (leaf("tags", "eq", "export"), "'eq' 不适用"),
        (leaf("tags", "contains", "secret"), "'secret'"),
        (leaf("signed_on", "gt", "yesterday"), "'signed_on'"),
        ({"field": "floors", "op": "gt"}, "缺少 value"),
        ({"field": "floors", "op": "gt", "value": 1, "extra": 2}, "extra"),
        ({"all": []}, "非空"),
        ({"all": [True], "any": [True]}, "只能有一个键"),
        ({"some": [True]}, "some"),
        ("low_risk == True", "格式错误"),
        ({"any": [True, {"not": leaf("bar", "eq", 1)}]}, "条件.any[1].not：未知字段 'bar'"),
    ],
)
def test_bad_rules_are_rejected_at_parse_time_naming_the_culprit(spec, message):
    with pytest.raises(RuleError, match=None) as info:
        parse_condition(spec, SCHEMA)
    assert message in str(info.value)
    assert isinstance(info.value, DomainError)


def test_missing_fact_is_an_error_naming_the_field_except_for_is_set():
    facts = {k: v for k, v in FACTS.items() if k != "floors"}
    with pytest.raises(RuleError, match="'floors'"):
        parse_condition(leaf("floors", "gt", 1), SCHEMA).evaluate(facts)
    assert parse_condition(leaf("floors", "is_set"), SCHEMA).evaluate(facts) is False
    with pytest.raises(RuleError, match="'floors'"):
        parse_condition(leaf("floors", "gt", 1), SCHEMA).evaluate({**facts, "floors": None})


def test_wrongly_typed_fact_is_an_error_not_a_crash():
    with pytest.raises(RuleError, match="'floors'"):
        parse_condition(leaf("floors", "gt", 1), SCHEMA).evaluate({**FACTS, "floors": "many"})


def test_constants():
    assert ALWAYS.evaluate({}) and not NEVER.evaluate({})
    assert ALWAYS.describe() == "总是"
    assert ALWAYS.trace({})[0].held


def test_check_facts_normalises_and_names_unknown_or_missing_fields():
    checked = check_facts({**FACTS, "area": "12.5", "signed_on": "2024-03-01"}, SCHEMA)
    assert checked["area"] == Decimal("12.5") and checked["signed_on"] == dt.date(2024, 3, 1)
    assert checked["tags"] == ("export",)
    with pytest.raises(RuleError, match="未知字段 'colour'"):
        check_facts({**FACTS, "colour": "red"}, SCHEMA)
    with pytest.raises(RuleError, match="缺少字段 'low_risk'"):
        check_facts({k: v for k, v in FACTS.items() if k != "low_risk"}, SCHEMA)
    assert check_facts({k: v for k, v in FACTS.items() if k != "note"}, SCHEMA)["note"] is None


leaves = st.one_of(
    st.builds(lambda v: leaf("low_risk", "eq", v), st.booleans()),
    st.builds(
        lambda op, v: leaf("floors", op, v),
        st.sampled_from(["lt", "le", "gt", "ge", "eq", "ne"]),
        st.integers(-5, 10),
    ),
    st.builds(
        lambda vs: leaf("land_supply_mode", "in", vs),
        st.lists(st.sampled_from(["listing", "standard_factory", "land_with_scheme"]), min_size=1),
    ),
)
specs = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda cs: {"all": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda cs: {"any": cs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda c: {"not": c}, inner),
    ),
    max_leaves=8,
)
fact_sets = st.fixed_dictionaries(
    {
        "low_risk": st.booleans(),
        "floors": st.integers(-5, 10),
        "land_supply_mode": st.sampled_from(["listing", "standard_factory", "land_with_scheme"]),
    }
)


def reference(spec, facts):
    """A direct reading of the language, to check the parsed evaluator against."""
    if "all" in spec:
        return all(reference(s, facts) for s in spec["all"])
    if "any" in spec:
        return any(reference(s, facts) for s in spec["any"])
    if "not" in spec:
        return not reference(spec["not"], facts)
    fact, value = facts[spec["field"]], spec["value"]
    tests = {
        "eq": lambda: fact == value,
        "ne": lambda: fact != value,
        "lt": lambda: fact < value,
        "le": lambda: fact <= value,
        "gt": lambda: fact > value,
        "ge": lambda: fact >= value,
        "in": lambda: fact in value,
    }
    return tests[spec["op"]]()


@given(specs, fact_sets)
def test_evaluation_matches_the_reference_and_round_trips(spec, facts):
    condition = parse_condition(spec, SCHEMA)
    assert condition.evaluate(facts) is reference(spec, facts)
    assert condition.trace(facts)[0].held is condition.evaluate(facts)
    assert parse_condition(condition.to_spec(), SCHEMA) == condition


def test_explain_gives_the_deciding_parts_only():
    condition = parse_condition(
        {
            "all": [
                leaf("low_risk", "eq", True),
                leaf("floors", "gt", 10),
                {"not": leaf("name", "eq", "厂房")},
            ]
        },
        SCHEMA,
    )
    reasons = condition.explain(FACTS)
    assert len(reasons) == 2
    assert reasons[0].startswith("层数 大于 10：否")
    assert reasons[1].startswith("并非（名称 等于 厂房：是")
    either = parse_condition({"any": [leaf("low_risk", "eq", True), leaf("floors", "gt", 10)]}, SCHEMA)
    assert either.explain(FACTS) == ["低风险 等于 是：是（实际：是）"]


def test_optional_field_takes_its_default():
    schema = {**SCHEMA, "special": Field("special", "特殊", "bool", required=False, default=False)}
    assert check_facts(FACTS, schema)["special"] is False
    assert check_facts({**FACTS, "special": None}, schema)["special"] is False
