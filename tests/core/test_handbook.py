from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daiban.core.catalogue import (
    APPROVAL_MODES,
    EIA_CATEGORIES,
    LAND_SUPPLY_MODES,
    PROJECT_TYPES,
    STAGES,
    Catalogue,
    load_catalogue,
)
from daiban.core.handbook import Dependency, describe_dependency, tailor
from daiban.core.rules import RuleError

CATALOGUE = load_catalogue()

# The seed: a low-risk social industrial project on 标准厂房 in a zone with regional assessment done.
LOW_RISK_FACTORY = {
    "investment_type": "social",
    "approval_mode": "filing",
    "land_supply_mode": "standard_factory",
    "low_risk": True,
    "regional_assessment_done": True,
    "project_type": "industrial",
    "eia_category": "table",
    "needs_energy_review": False,
    "needs_civil_air_defense": False,
    "building_area_m2": Decimal("30000"),
    "total_investment": Decimal("50000"),
}
# A 核准 project on 招拍挂 land with no regional assessment.
APPROVED_ON_LISTED_LAND = {
    **LOW_RISK_FACTORY,
    "approval_mode": "approval",
    "land_supply_mode": "listing",
    "low_risk": False,
    "regional_assessment_done": False,
    "eia_category": "report",
    "needs_energy_review": True,
    "needs_civil_air_defense": True,
    "special_fire_project": True,
}
GOVERNMENT_SCHOOL = {
    **LOW_RISK_FACTORY,
    "investment_type": "government",
    "approval_mode": "examination",
    "land_supply_mode": "allocation",
    "low_risk": False,
    "regional_assessment_done": False,
    "project_type": "public_service",
    "needs_energy_review": True,
    "needs_civil_air_defense": True,
}


def codes(handbook):
    return set(handbook.codes())


def test_low_risk_factory_gets_a_short_handbook_with_commitments():
    handbook = tailor(CATALOGUE, LOW_RISK_FACTORY)
    present = codes(handbook)
    assert {
        "project_code_assign",
        "enterprise_filing",
        "construction_planning_permit",
        "construction_permit",
    } <= present
    # no land procedures on a standard factory, no per-project assessments in an assessed zone
    assert not present & {"land_transfer_contract", "land_use_planning_permit", "land_preexam_siting"}
    assert not present & {"water_impact_assessment", "cultural_relic_survey", "design_scheme_review"}
    assert handbook.case("eia_table").commitment
    assert handbook.case("archives_acceptance").commitment
    reasons = dict(handbook.omitted)
    assert "区域评估" in reasons["water_impact_assessment"]
    assert reasons["gov_feasibility"] == "仅适用于政府投资项目"
    assert "环评类别" in reasons["eia_report"]


def test_approved_project_on_listed_land_gets_a_visibly_different_handbook():
    small = tailor(CATALOGUE, LOW_RISK_FACTORY)
    large = tailor(CATALOGUE, APPROVED_ON_LISTED_LAND)
    assert len(large.cases) > len(small.cases) + 8
    present = codes(large)
    assert {
        "enterprise_approval",
        "land_preexam_siting",
        "land_transfer_contract",
        "land_use_planning_permit",
        "design_scheme_review",
        "water_impact_assessment",
        "cultural_relic_survey",
        "eia_report",
        "energy_review",
        "fire_design_review",
        "civil_air_defense_design",
        "fire_acceptance",
    } <= present
    assert "enterprise_filing" not in present and "eia_table" not in present
    commitments = {case.code for case in large.cases if case.commitment}
    assert commitments < {case.code for case in small.cases if case.commitment} | {
        "quality_safety_supervision"
    }
    assert not large.case("energy_review").commitment  # only in an assessed zone
    assert any("条件未满足" in note for note in large.case("energy_review").notes)


def test_government_project_follows_the_government_path():
    handbook = tailor(CATALOGUE, GOVERNMENT_SCHOOL)
    present = codes(handbook)
    assert {"gov_proposal", "gov_feasibility", "gov_preliminary_design", "construction_tendering"} <= present
    assert {"land_preexam_siting", "land_allocation_decision", "seismic_safety"} <= present
    assert not present & {"enterprise_filing", "enterprise_approval", "land_transfer_contract"}
    # the feasibility study needs the energy review first; land is allocated after it
    assert "energy_review" in handbook.case("gov_feasibility").prerequisites
    assert "gov_feasibility" in handbook.case("land_allocation_decision").prerequisites


def test_social_project_does_not_inherit_government_only_orderings():
    handbook = tailor(CATALOGUE, APPROVED_ON_LISTED_LAND)
    # energy review precedes a government feasibility study, never a social project's drawing review
    assert handbook.case("construction_drawing_review").prerequisites == ("construction_planning_permit",)
    assert "energy_review" in handbook.case("construction_permit").prerequisites


def test_dependencies_match_case_prerequisites_and_stay_inside_the_handbook():
    for facts in (LOW_RISK_FACTORY, APPROVED_ON_LISTED_LAND, GOVERNMENT_SCHOOL):
        handbook = tailor(CATALOGUE, facts)
        present = codes(handbook)
        expected = {(before, case.code) for case in handbook.cases for before in case.prerequisites}
        assert {(d.predecessor, d.successor) for d in handbook.dependencies} == expected
        assert all(d.kind == "FS" and d.lag == 0 for d in handbook.dependencies)
        assert all(d.predecessor in present for d in handbook.dependencies)
        assert [c.code for c in handbook.cases] == [i.code for i in CATALOGUE if i.code in present]
        assert present | {code for code, _ in handbook.omitted} == {i.code for i in CATALOGUE}


def test_by_stage_groups_in_statutory_order():
    handbook = tailor(CATALOGUE, APPROVED_ON_LISTED_LAND)
    stages = [stage for stage, _ in handbook.by_stage()]
    assert stages == [stage for stage in STAGES if stage in stages]
    assert sum(len(cases) for _, cases in handbook.by_stage()) == len(handbook.cases)
    assert all(case.stage == stage for stage, cases in handbook.by_stage() for case in cases)


@pytest.mark.parametrize(
    ("facts", "fragment"),
    [
        ({**LOW_RISK_FACTORY, "colour": "red"}, "未知字段 'colour'"),
        ({k: v for k, v in LOW_RISK_FACTORY.items() if k != "low_risk"}, "缺少字段 'low_risk'"),
        ({**LOW_RISK_FACTORY, "land_supply_mode": "moon"}, "'moon'"),
        ({**LOW_RISK_FACTORY, "building_area_m2": "big"}, "'building_area_m2'"),
    ],
)
def test_bad_facts_are_refused_naming_the_field(facts, fragment):
    with pytest.raises(RuleError, match=None) as info:
        tailor(CATALOGUE, facts)
    assert fragment in str(info.value)


def test_case_lookup_and_dependency_description():
    handbook = tailor(CATALOGUE, LOW_RISK_FACTORY)
    with pytest.raises(RuleError, match="'eia_report'"):
        handbook.case("eia_report")
    text = describe_dependency(Dependency("construction_drawing_review", "construction_permit"), handbook)
    assert text == "施工图审查（联合审图） 完成后开始 建筑工程施工许可证"
    assert handbook.facts["special_fire_project"] is False  # optional fact took its default


# ---------------------------------------------------------------------------------------------- bridging


def small_catalogue(*items):
    base = {
        "path": "both",
        "stage": "works_permit",
        "department": "x",
        "level": "district",
        "statutory": {"days": 20, "source": "district default"},
        "promised": {"days": 5, "source": "district default"},
    }
    return Catalogue.from_data(
        {"items": [{**base, "name": code, "code": code, **extra} for code, extra in items]}
    )


NOT_LOW_RISK = {"field": "low_risk", "op": "eq", "value": False}


def test_omitted_item_in_the_middle_is_bridged():
    catalogue = small_catalogue(
        ("a", {}),
        ("b", {"prerequisites": ["a"], "applies_when": NOT_LOW_RISK}),
        ("c", {"prerequisites": ["b"], "applies_when": NOT_LOW_RISK}),
        ("d", {"prerequisites": ["c"]}),
    )
    handbook = tailor(catalogue, LOW_RISK_FACTORY)
    assert handbook.codes() == ("a", "d")
    assert handbook.case("d").prerequisites == ("a",)
    assert handbook.dependencies == (Dependency("a", "d"),)
    assert [code for code, _ in handbook.omitted] == ["b", "c"]
    full = tailor(catalogue, {**LOW_RISK_FACTORY, "low_risk": False})
    assert full.case("d").prerequisites == ("c",)


def test_waived_item_is_bridged_and_redundant_links_are_dropped():
    catalogue = small_catalogue(
        ("a", {}),
        (
            "b",
            {
                "prerequisites": ["a"],
                "regional_assessment": True,
                "waived_when": {"field": "regional_assessment_done", "op": "eq", "value": True},
            },
        ),
        ("c", {"prerequisites": ["a"]}),
        ("d", {"prerequisites": ["a", "b", "c"]}),
    )
    handbook = tailor(catalogue, LOW_RISK_FACTORY)
    assert handbook.case("d").prerequisites == ("c",)  # a is implied through c
    assert "区域评估" in dict(handbook.omitted)["b"]


def test_item_of_the_other_path_is_dropped_not_bridged():
    catalogue = small_catalogue(
        ("a", {}),
        ("gov", {"prerequisites": ["a"], "path": "government"}),
        ("c", {"prerequisites": ["gov"]}),
    )
    assert tailor(catalogue, LOW_RISK_FACTORY).case("c").prerequisites == ()
    assert tailor(catalogue, GOVERNMENT_SCHOOL).case("c").prerequisites == ("gov",)


# ---------------------------------------------------------------------------------------------- properties

facts_strategy = st.fixed_dictionaries(
    {
        "investment_type": st.sampled_from(["social", "government"]),
        "approval_mode": st.sampled_from(list(APPROVAL_MODES)),
        "land_supply_mode": st.sampled_from(list(LAND_SUPPLY_MODES)),
        "low_risk": st.booleans(),
        "regional_assessment_done": st.booleans(),
        "project_type": st.sampled_from(list(PROJECT_TYPES)),
        "eia_category": st.sampled_from(list(EIA_CATEGORIES)),
        "needs_energy_review": st.booleans(),
        "needs_civil_air_defense": st.booleans(),
        "building_area_m2": st.decimals(0, 500000, places=2),
        "total_investment": st.decimals(0, 10000000, places=2),
        "special_fire_project": st.booleans(),
    }
)


@settings(max_examples=150, deadline=None)
@given(facts_strategy)
def test_every_handbook_is_a_consistent_ordered_plan(facts):
    handbook = tailor(CATALOGUE, facts)
    present = codes(handbook)
    assert {"project_code_assign", "construction_planning_permit", "construction_permit"} <= present
    assert "completion_filing" in present
    position = {code: index for index, code in enumerate(_topological(handbook))}
    assert len(position) == len(present)  # acyclic
    # every kept case still waits for everything the catalogue put before it (directly or bridged)
    for case in handbook.cases:
        for before in CATALOGUE.item(case.code).prerequisites:
            if before in present:
                assert position[before] < position[case.code]
        assert not case.commitment or CATALOGUE.item(case.code).commitment
    path = "social" if facts["investment_type"] == "social" else "government"
    assert all(CATALOGUE.item(code).path in ("both", path) for code in present)
    eia = {"report": "eia_report", "table": "eia_table", "registration": "eia_registration"}
    assert present & set(eia.values()) == (
        {eia[facts["eia_category"]]} if facts["eia_category"] in eia else set()
    )


def _topological(handbook):
    done, remaining = [], list(handbook.codes())
    while remaining:
        ready = [c for c in remaining if all(p in done for p in handbook.case(c).prerequisites)]
        assert ready, "cycle"
        done.extend(ready)
        remaining = [c for c in remaining if c not in ready]
    return done


# ---------------------------------------------------------------------------------------------- realism


def longest_path(handbook, days, until="construction_permit"):
    finish = {}
    for code in _topological(handbook):
        case = handbook.case(code)
        finish[code] = max((finish[p] for p in case.prerequisites), default=0) + days(case)
    return finish[until]


def promised(case):
    if case.commitment:
        return min(case.promised_days, 1)
    return case.promised_days * (5 / 7 if case.promised_unit == "natural_days" else 1)


def statutory(case):
    return case.statutory_days * (5 / 7 if case.statutory_unit == "natural_days" else 1)


def test_seed_factory_reaches_its_construction_permit_in_the_order_of_47_working_days():
    seed = {**LOW_RISK_FACTORY, "land_supply_mode": "land_with_scheme"}
    agency = longest_path(tailor(CATALOGUE, seed), promised)
    usual = longest_path(tailor(CATALOGUE, APPROVED_ON_LISTED_LAND), statutory)
    assert 30 <= agency <= 60
    assert usual >= 120
    assert 1 - agency / usual >= 0.6
