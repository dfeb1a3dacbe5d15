"""Tailor the catalogue to one project: its handbook (一项目一册).

``tailor`` keeps the items whose path and ``applies_when`` fit the project's facts and which are not waived
(for example by a zone-wide regional assessment), decides where 告知承诺 is used, and turns prerequisites
into dependencies between the kept cases. An omitted item that sat between two kept ones is bridged
(A → B → C with B omitted gives A → C), so the order the catalogue demands is never lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from daiban.core.catalogue import PATHS, PROJECT_FACTS, STAGES, ApprovalItem, Catalogue, CatalogueError
from daiban.core.rules import Condition, check_facts

DEPENDENCY_KINDS = ("FS", "SS", "FF", "SF")


@dataclass(frozen=True)
class HandbookCase:
    code: str
    name: str
    stage: str
    department: str
    level: str
    delegated: bool
    statutory_days: int
    statutory_unit: str
    statutory_source: str
    extension_days: int
    promised_days: int
    promised_unit: str
    promised_source: str
    commitment: bool  # 告知承诺 is used for this project
    tolerated_gap: bool
    prerequisites: tuple[str, ...]  # codes of cases in this handbook (bridged)
    materials: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Dependency:
    predecessor: str
    successor: str
    kind: str = "FS"
    lag: int = 0  # working days


@dataclass(frozen=True)
class Handbook:
    facts: Mapping[str, Any]
    cases: tuple[HandbookCase, ...]
    dependencies: tuple[Dependency, ...]
    omitted: tuple[tuple[str, str], ...]

    def case(self, code: str) -> HandbookCase:
        for case in self.cases:
            if case.code == code:
                return case
        raise CatalogueError(f"本项目办事手册中没有事项 '{code}'")

    def codes(self) -> tuple[str, ...]:
        return tuple(case.code for case in self.cases)

    def by_stage(self) -> list[tuple[str, list[HandbookCase]]]:
        """Non-empty stages in statutory order, each with its cases in catalogue order."""
        groups = [(stage, [case for case in self.cases if case.stage == stage]) for stage in STAGES]
        return [(stage, cases) for stage, cases in groups if cases]


def tailor(catalogue: Catalogue, facts: Mapping[str, Any]) -> Handbook:
    """The handbook of a project with ``facts`` (validated against PROJECT_FACTS)."""
    checked = check_facts(facts, PROJECT_FACTS)
    kept: list[ApprovalItem] = []
    omitted: list[tuple[str, str]] = []
    for item in catalogue.items:
        reason = _omission(item, checked)
        if reason is None:
            kept.append(item)
        else:
            omitted.append((item.code, reason))
    kept_codes = {item.code for item in kept}
    other_path = {item.code for item in catalogue.items if not _on_path(item, checked)}
    bridged = {item.code: _bridge(catalogue, item, kept_codes, other_path) for item in kept}
    reduced = _reduce(bridged, [item.code for item in kept])
    cases = tuple(_case(item, checked, reduced[item.code]) for item in kept)
    dependencies = tuple(Dependency(before, case.code) for case in cases for before in case.prerequisites)
    return Handbook(MappingProxyType(checked), cases, dependencies, tuple(omitted))


def _on_path(item: ApprovalItem, facts: Mapping[str, Any]) -> bool:
    return item.path in ("both", facts["investment_type"])


def _omission(item: ApprovalItem, facts: Mapping[str, Any]) -> str | None:
    """Why ``item`` is left out of the handbook (Chinese), or None when it applies."""
    if not _on_path(item, facts):
        return f"仅适用于{PATHS[item.path]}项目"
    if not item.applies_when.evaluate(facts):
        return f"不适用：{_reason(item.applies_when, facts)}"
    if item.waived_when is not None and item.waived_when.evaluate(facts):
        if item.regional_assessment:
            return f"已由区域评估成果替代，免于单独办理（{_reason(item.waived_when, facts)}）"
        return f"免于办理（{_reason(item.waived_when, facts)}）"
    return None


def _reason(condition: Condition, facts: Mapping[str, Any]) -> str:
    """The deciding parts of the condition, or the whole condition when too many parts decide."""
    lines = condition.explain(facts)
    return (
        "；".join(lines)
        if len(lines) <= 3
        else f"条件“{condition.describe()}”的结果为{'是' if condition.evaluate(facts) else '否'}"
    )


def _bridge(
    catalogue: Catalogue, item: ApprovalItem, kept: set[str], other_path: set[str]
) -> tuple[str, ...]:
    """Prerequisites of ``item`` among kept cases, walking through omitted ones (order kept, no duplicates).

    Note: an item of the other investment path is not "between" two cases of this project, so it is
    dropped rather than bridged; otherwise its path-specific prerequisites (e.g. energy review before a
    government feasibility study) would leak into a social project's handbook.
    """
    result: list[str] = []
    seen: set[str] = set()
    stack = list(reversed(item.prerequisites))
    while stack:
        code = stack.pop()
        if code in seen or code in other_path:
            continue
        seen.add(code)
        if code in kept:
            result.append(code)
        else:
            stack.extend(reversed(catalogue.item(code).prerequisites))
    return tuple(result)


def _reduce(prerequisites: dict[str, tuple[str, ...]], order: list[str]) -> dict[str, tuple[str, ...]]:
    """Drop prerequisites already implied through another one (transitive reduction of FS links)."""
    ancestors: dict[str, set[str]] = {}

    def ancestors_of(code: str) -> set[str]:
        if code not in ancestors:
            found: set[str] = set()
            for before in prerequisites[code]:
                found |= {before} | ancestors_of(before)
            ancestors[code] = found
        return ancestors[code]

    reduced: dict[str, tuple[str, ...]] = {}
    for code in order:
        direct = prerequisites[code]
        implied = set().union(*(ancestors_of(before) for before in direct)) if direct else set()
        reduced[code] = tuple(before for before in direct if before not in implied)
    return reduced


def _case(item: ApprovalItem, facts: Mapping[str, Any], prerequisites: tuple[str, ...]) -> HandbookCase:
    commitment = item.commitment and item.commitment_when.evaluate(facts)
    return HandbookCase(
        code=item.code,
        name=item.name,
        stage=item.stage,
        department=item.department,
        level=item.level,
        delegated=item.delegated,
        statutory_days=item.statutory_days,
        statutory_unit=item.statutory_unit,
        statutory_source=item.statutory_source,
        extension_days=item.extension_days,
        promised_days=item.promised_days,
        promised_unit=item.promised_unit,
        promised_source=item.promised_source,
        commitment=commitment,
        tolerated_gap=item.tolerated_gap,
        prerequisites=prerequisites,
        materials=item.materials,
        notes=_notes(item, facts, commitment),
    )


def _notes(item: ApprovalItem, facts: Mapping[str, Any], commitment: bool) -> tuple[str, ...]:
    notes: list[str] = []
    if item.applies_when.fields():
        notes.append(f"适用原因：{item.applies_when.describe()}")
    if commitment:
        reason = item.commitment_when.describe() if item.commitment_when.fields() else "本事项"
        notes.append(f"实行告知承诺制（{reason}），承诺后即时办结，事后核查")
    elif item.commitment:
        notes.append(f"可实行告知承诺制的条件未满足：{item.commitment_when.describe()}")
    if item.tolerated_gap:
        notes.append("可容缺受理，缺件在规定期限内补齐")
    if item.regional_assessment and facts.get("regional_assessment_done"):
        notes.append("所在区域已完成区域评估，可直接引用评估成果、简化申报材料")
    if item.delegated:
        notes.append("已赋权区级办理")
    return tuple(notes)


def describe_dependency(dependency: Dependency, handbook: Handbook) -> str:
    """A Chinese one-liner such as '建设工程规划许可证 完成后开始 施工图审查（联合审图）'."""
    before = handbook.case(dependency.predecessor).name
    after = handbook.case(dependency.successor).name
    verbs = {"FS": "完成后开始", "SS": "开始后开始", "FF": "完成后完成", "SF": "开始后完成"}
    lag = f"（间隔 {dependency.lag} 个工作日）" if dependency.lag else ""
    return f"{before} {verbs[dependency.kind]} {after}{lag}"
