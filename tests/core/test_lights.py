"""Project traffic lights: each rule around its thresholds, worst-of, reason texts, bad rule-set data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from daiban.core.errors import DomainError
from daiban.core.lights import (
    LIGHT_LABELS,
    OverdueCase,
    ProjectStatus,
    load_rule_sets,
    months_late,
    parse_rule_set,
    worst,
)

D = dt.date
JULY_15 = D(2026, 7, 15)
RULE_SETS = load_rule_sets()


def status(
    completed: str = "100",
    progress: str = "0.5",
    plan: str = "100",
    planned_start: dt.date | None = None,
    actual_start: dt.date | None = None,
    today: dt.date = JULY_15,
    cases: tuple[OverdueCase, ...] = (),
) -> ProjectStatus:
    return ProjectStatus(
        today=today,
        annual_plan=Decimal(plan),
        completed=Decimal(completed),
        schedule_progress=Decimal(progress),
        planned_start=planned_start,
        actual_start=actual_start,
        overdue_cases=cases,
    )


def light_of(rule_set: str, s: ProjectStatus) -> str:
    return RULE_SETS[rule_set].evaluate(s).light


def one_rule(kind: str, **params) -> object:
    return parse_rule_set("test", {"rules": [{"kind": kind, **params}]})


# --- the shipped rule sets ------------------------------------------------------------------------------


def test_shipped_rule_sets_and_their_kinds():
    kinds = {name: [rule.kind for rule in rs.rules] for name, rs in RULE_SETS.items()}
    assert kinds["default"] == ["progress_ratio", "start_delay", "critical_overdue"]
    assert kinds["wuhan"] == ["progress_ratio", "start_delay", "critical_overdue"]
    assert kinds["yinchuan"] == ["points_behind", "start_delay", "critical_overdue"]
    assert all(rs.source and rs.title for rs in RULE_SETS.values())


def test_loading_is_cached_but_the_dict_is_the_callers():
    again = load_rule_sets()
    assert again is not RULE_SETS and again["default"] is RULE_SETS["default"]
    again.pop("default")
    assert "default" in load_rule_sets()


# --- (a) progress ratio: completion / 序时进度, Wuhan 80% / 60% ---------------------------------------------


@pytest.mark.parametrize(
    ("completed", "light"),
    [
        ("40.005", "green"),  # 80.01%
        ("40", "green"),  # exactly 80%: not below
        ("39.995", "yellow"),  # 79.99%
        ("30.005", "yellow"),  # 60.01%
        ("30", "yellow"),  # exactly 60%
        ("29.995", "red"),  # 59.99%
        ("0", "red"),
    ],
)
def test_progress_ratio_thresholds(completed, light):
    assert light_of("wuhan", status(completed=completed, progress="0.5")) == light


def test_progress_ratio_reason_text():
    result = RULE_SETS["wuhan"].evaluate(status(completed="45", progress="0.75"))
    assert result.light == "yellow"
    assert [r.text for r in result.reasons] == ["投资完成 45%，序时进度 75%，完成率 60%（低于 80%）"]
    red = RULE_SETS["wuhan"].evaluate(status(completed="29.995", progress="0.5")).reasons[0]
    # 59.99% is shown rounded down, never as the 60% it is below.
    assert (red.light, red.rule, red.text) == (
        "red",
        "progress_ratio",
        "投资完成 30%，序时进度 50%，完成率 59.9%（低于 60%）",
    )


# --- (b) points behind 序时进度, Yinchuan 10–30 pp yellow (both included), > 30 red -------------------------


@pytest.mark.parametrize(
    ("completed", "light"),
    [
        ("65.01", "green"),  # 9.99 pp
        ("65", "yellow"),  # 10 pp: included
        ("64.99", "yellow"),  # 10.01
        ("45.01", "yellow"),  # 29.99
        ("45", "yellow"),  # 30 pp: included
        ("44.99", "red"),  # 30.01
        ("90", "green"),  # ahead of schedule
    ],
)
def test_points_behind_thresholds(completed, light):
    assert light_of("yinchuan", status(completed=completed, progress="0.75")) == light


def test_points_behind_reason_text():
    yellow = RULE_SETS["yinchuan"].evaluate(status(completed="60", progress="0.75")).reasons[0]
    assert yellow.text == "投资完成 60%，序时进度 75%，落后 15 个百分点（10–30 个百分点）"
    red = RULE_SETS["yinchuan"].evaluate(status(completed="44.99", progress="0.75")).reasons[0]
    assert red.text == "投资完成 45%，序时进度 75%，落后 30.1 个百分点（超过 30 个百分点）"


@pytest.mark.parametrize("rule_set", ["wuhan", "yinchuan"])
@pytest.mark.parametrize(("plan", "progress"), [("0", "0.5"), ("100", "0"), ("0", "0")])
def test_investment_rules_are_silent_without_a_plan_or_schedule(rule_set, plan, progress):
    result = RULE_SETS[rule_set].evaluate(status(completed="0", plan=plan, progress=progress))
    assert (result.light, result.reasons) == ("green", ())


# --- (c) start delay, by calendar month -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "light"),
    [
        (D(2026, 3, 31), "green"),  # still the planned month
        (D(2026, 4, 1), "yellow"),  # the month has passed
        (D(2026, 5, 31), "yellow"),  # 2 months
        (D(2026, 6, 1), "red"),  # 3 months
        (D(2026, 7, 15), "red"),
    ],
)
def test_start_delay_thresholds(today, light):
    s = status(planned_start=D(2026, 3, 20), today=today, completed="100", progress="0.5")
    assert light_of("default", s) == light


def test_start_delay_reason_text_and_started_projects():
    s = status(planned_start=D(2026, 3, 1), today=D(2026, 7, 15))
    assert [r.text for r in RULE_SETS["default"].evaluate(s).reasons] == [
        "计划 2026年3月 开工，已延迟 4 个月未开工"
    ]
    started = status(planned_start=D(2026, 3, 1), actual_start=D(2026, 6, 30), today=D(2026, 7, 15))
    assert light_of("default", started) == "green"
    # A start recorded after the reading day is not known yet.
    later = status(planned_start=D(2026, 3, 1), actual_start=D(2026, 8, 1), today=D(2026, 7, 15))
    assert light_of("default", later) == "red"


def test_months_are_counted_across_the_year_end():
    assert months_late(D(2025, 11, 30), D(2026, 2, 1)) == 3
    assert months_late(D(2026, 1, 31), D(2026, 2, 1)) == 1
    assert months_late(D(2026, 5, 1), D(2026, 4, 30)) == -1


# --- (d) overdue approval cases -------------------------------------------------------------------------


def test_critical_overdue_is_red_and_non_critical_yellow():
    fire = OverdueCase("消防设计审查", 3, critical=True)
    eia = OverdueCase("环境影响评价", 5, critical=False)
    result = RULE_SETS["default"].evaluate(status(cases=(eia, fire)))
    assert result.light == "red"
    assert [(r.light, r.text) for r in result.reasons] == [
        ("red", "消防设计审查 逾期 3 个工作日"),
        ("yellow", "环境影响评价 逾期 5 个工作日（非关键路径）"),
    ]
    assert light_of("default", status(cases=(eia,))) == "yellow"
    assert light_of("default", status(cases=(OverdueCase("施工许可", 0, critical=True),))) == "green"


def test_non_critical_overdue_can_be_switched_off():
    rs = one_rule("critical_overdue", critical="red", non_critical="green")
    assert rs.evaluate(status(cases=(OverdueCase("水保方案", 9, critical=False),))).light == "green"
    natural = rs.evaluate(status(cases=(OverdueCase("用地预审", 4, critical=True, unit="natural_days"),)))
    assert natural.reasons[0].text == "用地预审 逾期 4 天"


# --- worst-of -------------------------------------------------------------------------------------------


def test_worst():
    assert worst() == "green"
    assert worst("green", "yellow") == "yellow"
    assert worst("yellow", "red", "green") == "red"
    with pytest.raises(DomainError, match="blue"):
        worst("green", "blue")
    assert LIGHT_LABELS == {"green": "正常", "yellow": "预警", "red": "逾期/滞后"}


def test_project_light_is_the_worst_rule_with_every_reason_worst_first():
    s = status(
        completed="45",
        progress="0.75",
        planned_start=D(2026, 6, 10),
        today=D(2026, 7, 15),
        cases=(OverdueCase("消防设计审查", 3, critical=True),),
    )
    result = RULE_SETS["default"].evaluate(s)
    assert result.light == "red"
    assert [(r.light, r.rule) for r in result.reasons] == [
        ("red", "critical_overdue"),
        ("yellow", "progress_ratio"),
        ("yellow", "start_delay"),
    ]
    assert RULE_SETS["default"].evaluate(status()).reasons == ()


# --- inputs and bad rule-set data -----------------------------------------------------------------------


def test_status_validation():
    with pytest.raises(DomainError, match="序时进度"):
        status(progress="1.2")
    with pytest.raises(DomainError, match="年度计划投资"):
        status(plan="-1")
    coerced = ProjectStatus(D(2026, 7, 1), 100, 45.5, 0.75, None, None)
    assert coerced.completed == Decimal("45.5") and coerced.schedule_progress == Decimal("0.75")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rules": [{"kind": "moon_phase"}]}, "第 1 条规则的类型“moon_phase”未知"),
        (
            {"rules": [{"kind": "progress_ratio", "yellow_below_pct": 80}]},
            "（progress_ratio）缺少参数 red_below_pct",
        ),
        (
            {"rules": [{"kind": "progress_ratio", "yellow_below_pct": 60, "red_below_pct": 80}]},
            "阈值顺序错误：red_below_pct（80）不能大于 yellow_below_pct（60）",
        ),
        (
            {"rules": [{"kind": "points_behind", "yellow_from_pp": 30, "red_above_pp": 10}]},
            "阈值顺序错误：yellow_from_pp（30）不能大于 red_above_pp（10）",
        ),
        (
            {"rules": [{"kind": "start_delay", "yellow_from_months": 4, "red_from_months": 3}]},
            "阈值顺序错误",
        ),
        ({"rules": [{"kind": "start_delay", "yellow_from_months": 0, "red_from_months": 3}]}, "至少为 1"),
        ({"rules": [{"kind": "start_delay", "yellow_from_months": 1.5, "red_from_months": 3}]}, "必须是整数"),
        ({"rules": [{"kind": "points_behind", "yellow_from_pp": "十", "red_above_pp": 30}]}, "必须是数字"),
        ({"rules": [{"kind": "points_behind", "yellow_from_pp": True, "red_above_pp": 30}]}, "必须是数字"),
        ({"rules": [{"kind": "points_behind", "yellow_from_pp": -1, "red_above_pp": 30}]}, "不能为负数"),
        ({"rules": [{"kind": "critical_overdue", "critical": "purple", "non_critical": "yellow"}]}, "purple"),
        ({"rules": [{"kind": "critical_overdue", "critical": "red"}]}, "缺少参数 non_critical"),
        (
            {"rules": [{"kind": "critical_overdue", "critical": "red", "non_critical": "red", "colour": 1}]},
            "未知参数 colour",
        ),
        ({"rules": ["progress_ratio"]}, "必须是带 kind 的映射"),
        ({"rules": []}, "非空的 rules 列表"),
        ({"rule": []}, "非空的 rules 列表"),
    ],
)
def test_bad_rule_set_data_is_refused_naming_it(data, message):
    with pytest.raises(DomainError, match=message) as info:
        parse_rule_set("wuhan", data)
    assert "红绿灯规则集 wuhan" in str(info.value)


def test_bad_rule_files(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("rule_sets: [unclosed", encoding="utf-8")
    with pytest.raises(DomainError, match="不是有效的 YAML"):
        load_rule_sets(broken)
    empty = tmp_path / "empty.yaml"
    empty.write_text("other: 1\n", encoding="utf-8")
    with pytest.raises(DomainError, match="rule_sets"):
        load_rule_sets(empty)
    with pytest.raises(DomainError, match="无法读取"):
        load_rule_sets(tmp_path / "missing.yaml")
    nested = tmp_path / "nested.yaml"
    nested.write_text("rule_sets:\n  mine:\n    rules:\n      - kind: start_delay\n", encoding="utf-8")
    with pytest.raises(DomainError, match="红绿灯规则集 mine 第 1 条规则（start_delay）缺少参数"):
        load_rule_sets(nested)


def test_custom_rule_file(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(
        "rule_sets:\n  strict:\n    rules:\n"
        "      - {kind: progress_ratio, yellow_below_pct: 95.5, red_below_pct: 90}\n",
        encoding="utf-8",
    )
    strict = load_rule_sets(path)["strict"]
    assert (
        strict.evaluate(status(completed="47.7", progress="0.5")).reasons[0].text.endswith("（低于 95.5%）")
    )
    assert strict.evaluate(status(completed="47.75", progress="0.5")).light == "green"
