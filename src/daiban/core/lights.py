"""Project traffic lights (红绿灯) from configurable rule sets.

A rule set is data (``reference/light_rules.yaml``, documented there): a list of parameterised rules of four
kinds — progress_ratio, points_behind, start_delay, critical_overdue. A project's light is the worst light its
rules give, with one Chinese reason per finding, worst first. Rule-set data is checked when loaded; a mistake
raises DomainError naming the rule set, the rule and the parameter.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from daiban.core.errors import DomainError

LIGHTS = ("green", "yellow", "red")
LIGHT_LABELS = {"green": "正常", "yellow": "预警", "red": "逾期/滞后"}
_RANK = {light: rank for rank, light in enumerate(LIGHTS)}
_UNIT_LABELS = {"working_days": "个工作日", "natural_days": "天"}
_HUNDRED = Decimal(100)


def worst(*lights: str) -> str:
    """The worst of the given lights; green when none."""
    for light in lights:
        if light not in _RANK:
            raise DomainError(f"未知的红绿灯颜色“{light}”（可选：green、yellow、red）")
    return max(lights, key=_RANK.__getitem__, default="green")


# --- inputs and outputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LightReason:
    light: str
    rule: str  # the rule kind that gave it
    text: str  # Chinese, shown to the user


@dataclass(frozen=True)
class ProjectLight:
    light: str
    reasons: tuple[LightReason, ...]  # worst first

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self.light]


@dataclass(frozen=True)
class OverdueCase:
    name: str
    overdue_days: int
    critical: bool
    unit: str = "working_days"


@dataclass(frozen=True)
class ProjectStatus:
    """What the rules look at, as of ``today``. Money in 万元; ``completed`` is this year's cumulative."""

    today: dt.date
    annual_plan: Decimal
    completed: Decimal
    schedule_progress: Decimal  # share 0..1 of the annual plan expected by today (序时进度)
    planned_start: dt.date | None
    actual_start: dt.date | None
    overdue_cases: tuple[OverdueCase, ...] = ()

    def __post_init__(self) -> None:
        for name in ("annual_plan", "completed", "schedule_progress"):
            value = getattr(self, name)
            if not isinstance(value, Decimal):  # ints and floats from callers: exact decimal of their text
                object.__setattr__(self, name, Decimal(str(value)))
        if self.annual_plan < 0:
            raise DomainError(f"年度计划投资不能为负数：{self.annual_plan}")
        if not 0 <= self.schedule_progress <= 1:
            raise DomainError(f"序时进度必须在 0 到 1 之间：{self.schedule_progress}")


# --- formatting ---------------------------------------------------------------------------------------


def _pct(share: Decimal, rounding: str = ROUND_HALF_UP) -> str:
    """A share as a percentage with at most one decimal ('45', '45.5')."""
    return _num((share * _HUNDRED).quantize(Decimal("0.1"), rounding=rounding))


def _num(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _investment(status: ProjectStatus) -> tuple[Decimal, Decimal] | None:
    """(completed share of the plan, 序时进度), or None when the investment rules cannot apply."""
    if status.annual_plan <= 0 or status.schedule_progress <= 0:
        return None
    return status.completed / status.annual_plan, status.schedule_progress


def _investment_text(done: Decimal, progress: Decimal) -> str:
    return f"投资完成 {_pct(done)}%，序时进度 {_pct(progress)}%"


# --- rules --------------------------------------------------------------------------------------------


class Rule(Protocol):
    kind: str

    def evaluate(self, status: ProjectStatus) -> tuple[LightReason, ...]: ...


@dataclass(frozen=True)
class ProgressRatioRule:
    """Completion rate (completed / expected by 序时进度) below a percentage."""

    yellow_below_pct: Decimal
    red_below_pct: Decimal
    kind = "progress_ratio"

    def evaluate(self, status: ProjectStatus) -> tuple[LightReason, ...]:
        shares = _investment(status)
        if shares is None:
            return ()
        done, progress = shares
        rate = done / progress
        if rate * _HUNDRED < self.red_below_pct:
            light, bound = "red", self.red_below_pct
        elif rate * _HUNDRED < self.yellow_below_pct:
            light, bound = "yellow", self.yellow_below_pct
        else:
            return ()
        # Note: the rate is rounded down so that the shown figure is never at or above the bound it is below.
        text = f"{_investment_text(done, progress)}，完成率 {_pct(rate, ROUND_DOWN)}%（低于 {_num(bound)}%）"
        return (LightReason(light, self.kind, text),)


@dataclass(frozen=True)
class PointsBehindRule:
    """Percentage points behind 序时进度: yellow from ``yellow_from_pp``, red above ``red_above_pp``."""

    yellow_from_pp: Decimal
    red_above_pp: Decimal
    kind = "points_behind"

    def evaluate(self, status: ProjectStatus) -> tuple[LightReason, ...]:
        shares = _investment(status)
        if shares is None:
            return ()
        done, progress = shares
        behind = (progress - done) * _HUNDRED
        if behind > self.red_above_pp:
            light, band = "red", f"超过 {_num(self.red_above_pp)} 个百分点"
        elif behind >= self.yellow_from_pp:
            light, band = "yellow", f"{_num(self.yellow_from_pp)}–{_num(self.red_above_pp)} 个百分点"
        else:
            return ()
        # Note: rounded up so that a red finding never reads as exactly the bound it exceeds.
        points = _num(behind.quantize(Decimal("0.1"), rounding=ROUND_UP))
        text = f"{_investment_text(done, progress)}，落后 {points} 个百分点（{band}）"
        return (LightReason(light, self.kind, text),)


def months_late(planned: dt.date, today: dt.date) -> int:
    """Calendar months from the planned month to today's month (March → July = 4; same month = 0)."""
    return (today.year - planned.year) * 12 + today.month - planned.month


@dataclass(frozen=True)
class StartDelayRule:
    """Not started although the planned start month is over."""

    yellow_from_months: int
    red_from_months: int
    kind = "start_delay"

    def evaluate(self, status: ProjectStatus) -> tuple[LightReason, ...]:
        planned, started = status.planned_start, status.actual_start
        if planned is None or (started is not None and started <= status.today):
            return ()
        months = months_late(planned, status.today)
        if months >= self.red_from_months:
            light = "red"
        elif months >= self.yellow_from_months:
            light = "yellow"
        else:
            return ()
        text = f"计划 {planned.year}年{planned.month}月 开工，已延迟 {months} 个月未开工"
        return (LightReason(light, self.kind, text),)


@dataclass(frozen=True)
class CriticalOverdueRule:
    """Overdue approval cases: one light for those on the critical path, another for the rest."""

    critical: str
    non_critical: str
    kind = "critical_overdue"

    def evaluate(self, status: ProjectStatus) -> tuple[LightReason, ...]:
        reasons = []
        for case in sorted(status.overdue_cases, key=lambda c: (not c.critical, -c.overdue_days)):
            light = self.critical if case.critical else self.non_critical
            if case.overdue_days <= 0 or light == "green":
                continue
            unit = _UNIT_LABELS.get(case.unit, "天")
            where = "" if case.critical else "（非关键路径）"
            reasons.append(
                LightReason(light, self.kind, f"{case.name} 逾期 {case.overdue_days} {unit}{where}")
            )
        return tuple(reasons)


@dataclass(frozen=True)
class RuleSet:
    name: str
    rules: tuple[Rule, ...]
    title: str = ""  # Chinese name shown in the UI
    source: str = ""  # where the thresholds come from

    def evaluate(self, status: ProjectStatus) -> ProjectLight:
        found = [reason for rule in self.rules for reason in rule.evaluate(status)]
        found.sort(key=lambda r: -_RANK[r.light])  # stable: rule order within one colour
        return ProjectLight(worst(*(r.light for r in found)), tuple(found))


# --- parsing rule-set data ----------------------------------------------------------------------------


def _number(params: Mapping[str, Any], key: str, where: str) -> Decimal:
    if key not in params:
        raise DomainError(f"{where}缺少参数 {key}")
    value = params[key]
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise DomainError(f"{where}的参数 {key} 必须是数字，而不是“{value}”")
    number = Decimal(str(value))
    if number < 0:
        raise DomainError(f"{where}的参数 {key} 不能为负数：{value}")
    return number


def _whole(params: Mapping[str, Any], key: str, where: str) -> int:
    number = _number(params, key, where)
    if number != number.to_integral_value():
        raise DomainError(f"{where}的参数 {key} 必须是整数：{params[key]}")
    return int(number)


def _light(params: Mapping[str, Any], key: str, where: str) -> str:
    if key not in params:
        raise DomainError(f"{where}缺少参数 {key}")
    if params[key] not in _RANK:
        raise DomainError(f"{where}的参数 {key} 必须是 green、yellow 或 red，而不是“{params[key]}”")
    return params[key]


def _ordered(low: tuple[str, Decimal | int], high: tuple[str, Decimal | int], where: str) -> None:
    if low[1] > high[1]:
        raise DomainError(f"{where}的阈值顺序错误：{low[0]}（{low[1]}）不能大于 {high[0]}（{high[1]}）")


def _progress_ratio(p: Mapping[str, Any], where: str) -> Rule:
    red, yellow = _number(p, "red_below_pct", where), _number(p, "yellow_below_pct", where)
    _ordered(("red_below_pct", red), ("yellow_below_pct", yellow), where)
    return ProgressRatioRule(yellow_below_pct=yellow, red_below_pct=red)


def _points_behind(p: Mapping[str, Any], where: str) -> Rule:
    yellow, red = _number(p, "yellow_from_pp", where), _number(p, "red_above_pp", where)
    _ordered(("yellow_from_pp", yellow), ("red_above_pp", red), where)
    return PointsBehindRule(yellow_from_pp=yellow, red_above_pp=red)


def _start_delay(p: Mapping[str, Any], where: str) -> Rule:
    yellow, red = _whole(p, "yellow_from_months", where), _whole(p, "red_from_months", where)
    if yellow < 1:
        raise DomainError(f"{where}的参数 yellow_from_months 至少为 1（计划开工当月不算延迟）")
    _ordered(("yellow_from_months", yellow), ("red_from_months", red), where)
    return StartDelayRule(yellow_from_months=yellow, red_from_months=red)


def _critical_overdue(p: Mapping[str, Any], where: str) -> Rule:
    return CriticalOverdueRule(
        critical=_light(p, "critical", where), non_critical=_light(p, "non_critical", where)
    )


_PARSERS: dict[str, tuple[type, Callable[[Mapping[str, Any], str], Rule]]] = {
    "progress_ratio": (ProgressRatioRule, _progress_ratio),
    "points_behind": (PointsBehindRule, _points_behind),
    "start_delay": (StartDelayRule, _start_delay),
    "critical_overdue": (CriticalOverdueRule, _critical_overdue),
}


def _parse_rule(data: Any, where: str) -> Rule:
    if not isinstance(data, Mapping) or "kind" not in data:
        raise DomainError(f"{where}必须是带 kind 的映射")
    kind = data["kind"]
    if kind not in _PARSERS:
        raise DomainError(f"{where}的类型“{kind}”未知（可选：{'、'.join(_PARSERS)}）")
    cls, parse = _PARSERS[kind]
    where = f"{where}（{kind}）"
    allowed = {f.name for f in fields(cls)} | {"kind"}
    unknown = sorted(set(data) - allowed, key=str)
    if unknown:
        raise DomainError(f"{where}有未知参数 {'、'.join(map(str, unknown))}")
    return parse(data, where)


def parse_rule_set(name: str, data: Any) -> RuleSet:
    """One rule set from its data (a mapping with ``rules`` and optional ``title`` and ``source``)."""
    where = f"红绿灯规则集 {name} "
    if not isinstance(data, Mapping) or not isinstance(data.get("rules"), list) or not data["rules"]:
        raise DomainError(f"{where}必须有非空的 rules 列表")
    unknown = sorted(set(data) - {"rules", "title", "source"}, key=str)
    if unknown:
        raise DomainError(f"{where}有未知字段 {'、'.join(map(str, unknown))}")
    rules = tuple(_parse_rule(rule, f"{where}第 {i} 条规则") for i, rule in enumerate(data["rules"], 1))
    return RuleSet(
        name=name, rules=rules, title=str(data.get("title", "")), source=str(data.get("source", ""))
    )


def parse_rule_sets(data: Any, origin: str = "红绿灯规则") -> dict[str, RuleSet]:
    """All rule sets of a document ``{rule_sets: {name: {...}}}``."""
    sets = data.get("rule_sets") if isinstance(data, Mapping) else None
    if not isinstance(sets, Mapping) or not sets:
        raise DomainError(f"{origin}必须有非空的 rule_sets 映射")
    return {str(name): parse_rule_set(str(name), body) for name, body in sets.items()}


@functools.lru_cache(maxsize=8)
def _load(path: Path | None) -> dict[str, RuleSet]:
    import yaml  # only this loader needs it; the rest of the module is pure

    source = path or resources.files("daiban.reference").joinpath("light_rules.yaml")
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise DomainError(f"无法读取红绿灯规则文件 {source}：{exc.strerror}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DomainError(f"红绿灯规则文件 {source} 不是有效的 YAML：{exc}") from exc
    return parse_rule_sets(data, f"红绿灯规则文件 {source} ")


def load_rule_sets(path: Path | None = None) -> dict[str, RuleSet]:
    """The rule sets by name, from ``path`` or the shipped ``reference/light_rules.yaml`` (cached)."""
    return dict(_load(Path(path) if path is not None else None))
