"""Conventional vs agency scenarios of one handbook, their compression, and the `daiban plan` command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from daiban import cli
from daiban.core.calendar import WorkCalendar
from daiban.core.catalogue import load_catalogue
from daiban.core.errors import DomainError
from daiban.core.handbook import Dependency, Handbook, HandbookCase, tailor
from daiban.core.planner import Relation
from daiban.core.scenarios import agency_network, compare, conventional_network

CAL = WorkCalendar.default()
MONDAY = date(2025, 3, 3)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def case(code, stage, statutory, promised, *, unit="working_days", commitment=False, prerequisites=()):
    return HandbookCase(
        code=code,
        name=f"事项{code}",
        stage=stage,
        department="区住房和城乡建设委员会",
        level="district",
        delegated=False,
        statutory_days=statutory,
        statutory_unit=unit,
        statutory_source="",
        extension_days=0,
        promised_days=promised,
        promised_unit="working_days",
        promised_source="",
        commitment=commitment,
        tolerated_gap=False,
        prerequisites=tuple(prerequisites),
        materials=(),
        notes=(),
    )


def handbook_of(*cases: HandbookCase, dependencies: tuple[Dependency, ...] | None = None) -> Handbook:
    if dependencies is None:
        dependencies = tuple(Dependency(p, c.code) for c in cases for p in c.prerequisites)
    return Handbook({}, cases, dependencies, ())


SMALL = handbook_of(
    case("a", "land_planning", 10, 5),
    case("b", "land_planning", 8, 4),
    case("c", "works_permit", 20, 10, prerequisites=["a"]),
    case("p", "parallel", 30, 10, unit="natural_days", commitment=True, prerequisites=["a"]),
    case("d", "construction_permit", 7, 3, unit="natural_days", prerequisites=["c", "p"]),
    case("q", "construction_permit", 5, 0, commitment=True, prerequisites=["c"]),
    case("e", "acceptance", 15, 5, commitment=True, prerequisites=["d"]),
)


def test_conventional_runs_stages_in_sequence_at_statutory_limits_without_commitment() -> None:
    activities, relations = conventional_network(SMALL)
    assert {a.id: (a.duration, a.unit) for a in activities} == {
        "a": (10, "working_days"),
        "b": (8, "working_days"),
        "c": (20, "working_days"),
        "p": (30, "natural_days"),
        "d": (7, "natural_days"),
        "q": (5, "working_days"),
        "e": (15, "working_days"),
    }
    links = sorted((r.predecessor, r.successor) for r in relations)
    # Prerequisites once each, plus every case of a stage before every case of the next; "parallel" is in no
    # stage of the sequence, so p only follows its prerequisite and precedes its successor.
    assert links == sorted(
        [("a", "c"), ("a", "p"), ("c", "d"), ("p", "d"), ("c", "q"), ("d", "e"), ("b", "c"), ("q", "e")]
    )


def test_agency_keeps_only_prerequisites_at_promised_limits_with_commitment_at_once() -> None:
    activities, relations = agency_network(SMALL)
    assert {a.id: (a.duration, a.unit) for a in activities} == {
        "a": (5, "working_days"),
        "b": (4, "working_days"),
        "c": (10, "working_days"),
        "p": (1, "working_days"),  # 告知承诺: one working day instead of 10
        "d": (3, "working_days"),
        "q": (0, "working_days"),  # promised instantly already
        "e": (1, "working_days"),
    }
    assert sorted((r.predecessor, r.successor) for r in relations) == sorted(
        [("a", "c"), ("a", "p"), ("c", "d"), ("p", "d"), ("c", "q"), ("d", "e")]
    )


def test_agency_keeps_the_kind_and_lag_of_the_handbook_dependencies() -> None:
    handbook = handbook_of(
        case("x", "works_permit", 20, 10),
        case("y", "construction_permit", 15, 12),
        dependencies=(Dependency("x", "y", "SS", 3),),
    )
    assert agency_network(handbook)[1] == [Relation("x", "y", "SS", 3)]


def test_compare_measures_both_scenarios_up_to_the_construction_permits() -> None:
    comparison = compare(SMALL, calendar=CAL, start=MONDAY)
    # Conventional, in working days after Monday 2025-03-03: a 0–10, b 0–8; c 10–30; p starts on 03-17
    # (point 10) and its 30 natural days end on 04-16, point 31 (04-04 is 清明); d waits for it:
    # 04-16 + 7 days = 04-23, point 36; q 30–35. Agency: a 0–5; c 5–15; p 5–6; d 15–18; q 15–15.
    assert (comparison.conventional_days, comparison.agency_days) == (36, 18)
    assert comparison.compression == pytest.approx(0.5)
    assert comparison.scope == "construction_permit"
    # The schedules cover every case, acceptance included.
    assert set(comparison.agency.activities) == {"a", "b", "c", "p", "d", "q", "e"}


def test_compare_with_scope_all_measures_to_the_last_case() -> None:
    comparison = compare(SMALL, calendar=CAL, start=MONDAY, scope="all")
    assert comparison.conventional_days == comparison.conventional.duration == 36 + 15
    assert comparison.agency_days == comparison.agency.duration == 18 + 1


@pytest.mark.parametrize(
    ("handbook", "scope", "message"),
    [
        (SMALL, "permits", "统计范围 'permits' 未知"),
        (handbook_of(), "construction_permit", "没有任何事项"),
        (handbook_of(case("e", "acceptance", 15, 5)), "works_permit", "没有工程建设许可阶段及之前的事项"),
    ],
)
def test_compare_rejects_a_bad_scope_or_an_empty_handbook(handbook, scope: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        compare(handbook, calendar=CAL, start=MONDAY, scope=scope)


# --- the shipped catalogue against the seed's reference -------------------------------------------------

# A social-investment, low-risk industrial factory on land sold with an approved scheme, in a zone whose
# regional assessment is done: the seed's kind of project (all construction permits in 47 working days,
# about 70 % faster than usual).
SEED_FACTORY = {
    "investment_type": "social",
    "approval_mode": "filing",
    "land_supply_mode": "land_with_scheme",
    "low_risk": True,
    "regional_assessment_done": True,
    "project_type": "industrial",
    "eia_category": "table",
    "needs_energy_review": True,
    "needs_civil_air_defense": False,
    "building_area_m2": 30000,
    "total_investment": 50000,
}


def seed_comparison():
    return compare(tailor(load_catalogue(), SEED_FACTORY), calendar=CAL, start=MONDAY)


def test_the_shipped_catalogue_plans_the_seed_factory() -> None:
    comparison = seed_comparison()
    # Agency: 赋码 0 → 出让合同 10 → 用地规划许可 5 → 工程规划许可 10 → 联合审图 12 → 质量安全监督（承诺）0
    #         → 施工许可 3 = 40 working days; the environment and energy reviews under 告知承诺 take 1
    #         in parallel.
    # Conventional: 1 + 20 + 20 + 20 + 15 + 5 + 7 natural days (5 working days) = 86.
    assert (comparison.conventional_days, comparison.agency_days) == (86, 40)
    assert comparison.compression == pytest.approx(1 - 40 / 86)
    assert 35 <= comparison.agency_days <= 60  # the seed's order: 47 working days


# The same factory the usual way, before the district's reforms: land sold by 招拍挂 without a scheme, no
# regional assessment, not on the low-risk path, every stage in sequence at statutory limits.
USUAL_FACTORY = {
    **SEED_FACTORY,
    "land_supply_mode": "listing",
    "low_risk": False,
    "regional_assessment_done": False,
}


def test_the_seed_factory_is_about_70_percent_faster_than_the_usual_path() -> None:
    # Note: compression on the factory's own handbook is 53.5 % (above); the seed's "about 70 % faster than
    # usual" compares with the usual path, which the shipped catalogue gives as 136 working days.
    usual = compare(tailor(load_catalogue(), USUAL_FACTORY), calendar=CAL, start=MONDAY)
    assert usual.conventional_days == 136
    faster = 1 - seed_comparison().agency_days / usual.conventional_days
    assert faster == pytest.approx(1 - 40 / 136)  # 70.6 %
    assert 0.60 <= faster <= 0.80


# --- the `daiban plan` command --------------------------------------------------------------------------


@pytest.fixture
def run(monkeypatch, capsys):
    # Only this command is registered, so the test does not depend on the other commands' modules.
    monkeypatch.setattr(cli, "COMMANDS", ["plan"])

    def run_plan(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["plan", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run_plan


def test_plan_prints_both_scenarios_and_the_compression_for_project_facts(run) -> None:
    code, out, err = run(str(EXAMPLES / "project_facts.yaml"))
    assert (code, err) == (0, "")
    assert "常规审批" in out and "全程代办" in out
    assert "压缩率（至施工许可阶段事项办结）：常规 86 个工作日，全程代办 40 个工作日，压缩 53.5%" in out
    header = next(line for line in out.splitlines() if line.startswith("编号"))
    assert header.split() == [
        "编号",
        "名称",
        "工期",
        "最早开始",
        "最早完成",
        "最迟开始",
        "最迟完成",
        "总时差",
        "自由时差",
        "关键",
    ]


def test_plan_json_for_an_explicit_network(run) -> None:
    code, out, _ = run(str(EXAMPLES / "handbook.yaml"), "--json", "--start", "2025-03-10")
    assert code == 0
    schedule = json.loads(out)["plan"]
    assert schedule["start"] == "2025-03-10"
    rows = {row["id"]: row for row in schedule["activities"]}
    assert rows["construction_permit"]["critical"] is True
    assert rows["eia"]["total_float"] > 0
    assert rows["publicity"]["unit"] == "natural_days"
    assert schedule["duration"] == CAL.workdays_between(
        date(2025, 3, 10), date.fromisoformat(schedule["finish"])
    )


def test_plan_json_with_one_scenario(run) -> None:
    code, out, _ = run(str(EXAMPLES / "project_facts.yaml"), "--json", "--scenario", "agency")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"agency", "comparison"}
    assert result["comparison"]["agency_days"] == 40


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "找不到文件"),
        ("activities: [\n  {id: a, duration: 1}\n", "不是有效的 YAML：第 3 行"),
        (
            "activities: [{id: a, duration: 1}, {id: b, duration: 1}]\n"
            "relations: [{predecessor: a, successor: b, kind: XY}]",
            "类型 'XY' 未知",
        ),
        (
            "activities: [{id: a, duration: 1}, {id: b, duration: 1}]\n"
            "relations: [{predecessor: a, successor: b}, {predecessor: b, successor: a}]",
            "依赖关系成环：a → b → a",
        ),
        ("activities: [{id: a, duraton: 1}]", "未知字段：duraton"),
        ("facts: {investment_type: social}", "缺少字段"),
        ("facts: {}\nactivities: []", "二者之一"),
        ("activities: [{id: a, duration: 1}]\nrelation: []", "未知字段：relation"),
    ],
)
def test_plan_errors_are_one_chinese_line(run, tmp_path, content, message) -> None:
    path = tmp_path / "network.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(str(path))
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith("daiban plan: 错误: ")
    assert message in err
