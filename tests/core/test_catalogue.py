import copy
import re

import pytest

from daiban.core.catalogue import (
    DISTRICT_DEFAULT,
    PROJECT_FACTS,
    STAGES,
    Catalogue,
    CatalogueError,
    load_catalogue,
)
from daiban.core.errors import DomainError
from daiban.core.rules import ALWAYS


def item(code, prerequisites=(), **extra):
    data = {
        "code": code,
        "name": f"事项{code}",
        "path": "both",
        "stage": "works_permit",
        "department": "planning",
        "level": "district",
        "statutory": {
            "days": 20,
            "unit": "working_days",
            "source": "行政许可法 第42条",
            "extension_days": 10,
        },
        "promised": {"days": 5, "unit": "working_days", "source": "district default"},
        "prerequisites": list(prerequisites),
    }
    data.update(extra)
    return data


def data(*items):
    return {"departments": {"planning": "市规划和自然资源委员会区分局"}, "items": list(items)}


def raises(catalogue_data, *fragments):
    with pytest.raises(CatalogueError) as info:
        Catalogue.from_data(catalogue_data)
    assert isinstance(info.value, DomainError)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_valid_data_builds_items_in_order_with_defaults():
    catalogue = Catalogue.from_data(data(item("a"), item("b", ["a"], commitment=True)))
    a, b = catalogue.items
    assert (a.order, b.order) == (0, 1)
    assert b.prerequisites == ("a",) and b.commitment and b.commitment_when is ALWAYS
    assert a.department == "市规划和自然资源委员会区分局" and a.department_code == "planning"
    assert a.applies_when is ALWAYS and a.waived_when is None and a.extension_days == 10
    assert catalogue.item("b") is b and "a" in catalogue and len(catalogue) == 2
    with pytest.raises(CatalogueError, match="'zzz'"):
        catalogue.item("zzz")


def test_unknown_prerequisite_is_named():
    raises(data(item("a"), item("b", ["ghost"])), "'b'", "'ghost'")


def test_prerequisite_cycle_is_named_in_order():
    raises(data(item("a", ["c"]), item("b", ["a"]), item("c", ["b"])), "循环", "a → c → b → a")


def test_self_prerequisite_is_refused():
    raises(data(item("a", ["a"])), "'a'")


def test_bad_condition_names_item_and_field():
    bad = item("b", applies_when={"field": "colour", "op": "eq", "value": "red"})
    raises(data(item("a"), bad), "事项 'b'", "applies_when", "未知字段 'colour'")
    bad = item("b", waived_when={"field": "low_risk", "op": "like", "value": True})
    raises(data(bad), "事项 'b'", "waived_when", "未知比较符 'like'")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"stage": "moon"}, "'moon'"),
        ({"path": "private"}, "'private'"),
        ({"level": "province"}, "'province'"),
        ({"department": "police"}, "'police'"),
        ({"statutory": {"days": 20, "unit": "weeks", "source": "x"}}, "'weeks'"),
        ({"statutory": {"days": -1, "source": "x"}}, "statutory.days"),
        ({"statutory": {"days": 20, "source": ""}}, "statutory.source"),
        ({"promised": {"days": 30, "source": "district default"}}, "承诺时限 30 天长于法定时限 20 天"),
        ({"commitment": "yes"}, "commitment"),
        ({"materials": "申请表"}, "materials"),
        ({"code": "项目代码"}, "代码"),
    ],
)
def test_field_errors_name_the_item_and_the_defect(change, fragment):
    entry = item("a")
    entry.update(change)
    raises(data(entry), fragment)


def test_duplicate_codes_are_refused():
    raises(data(item("a"), item("a")), "'a' 重复")


def test_missing_key_is_named():
    broken = item("a")
    del broken["stage"]
    raises(data(broken), "'a'", "stage")


def test_not_a_catalogue():
    raises({"things": []}, "items")


# ---------------------------------------------------------------------------------------------- shipped


@pytest.fixture(scope="module")
def shipped():
    return load_catalogue()


def test_shipped_catalogue_loads_once_and_is_big_enough(shipped):
    assert load_catalogue() is shipped
    assert len(shipped) >= 25
    assert {item.stage for item in shipped} == set(STAGES)
    assert {item.path for item in shipped} == {"social", "government", "both"}


REQUIRED = [
    "project_code_assign",
    "enterprise_filing",
    "enterprise_approval",
    "land_preexam_siting",
    "land_use_planning_permit",
    "land_transfer_contract",
    "design_scheme_review",
    "construction_planning_permit",
    "eia_report",
    "eia_table",
    "eia_registration",
    "energy_review",
    "construction_drawing_review",
    "fire_design_review",
    "civil_air_defense_design",
    "civil_air_defense_offsite",
    "construction_permit",
    "quality_safety_supervision",
    "planning_verification",
    "fire_acceptance",
    "fire_acceptance_filing",
    "civil_air_defense_acceptance",
    "archives_acceptance",
    "completion_filing",
    "property_first_registration",
    "water_impact_assessment",
    "seismic_safety",
    "mineral_overlay",
    "cultural_relic_survey",
    "drainage_permit",
    "utility_connection",
    "gov_proposal",
    "gov_feasibility",
    "gov_preliminary_design",
]


@pytest.mark.parametrize("code", REQUIRED)
def test_shipped_catalogue_has_the_items_a_district_handles(shipped, code):
    assert code in shipped


ARTICLE = re.compile(r"第\s*[0-9一二三四五六七八九十百]+\s*条")


def test_every_statutory_figure_has_a_source_and_legal_ones_name_an_article(shipped):
    for item in shipped:
        assert item.statutory_source, item.code
        assert item.promised_source, item.code
        if not item.statutory_source.startswith(DISTRICT_DEFAULT):
            assert ARTICLE.search(item.statutory_source), (item.code, item.statutory_source)


def test_known_statutory_figures(shipped):
    assert (shipped.item("eia_report").statutory_days, shipped.item("eia_report").statutory_unit) == (
        60,
        "natural_days",
    )
    assert shipped.item("eia_table").statutory_days == 30
    assert shipped.item("fire_design_review").statutory_days == 15
    planning = shipped.item("construction_planning_permit")
    assert (planning.statutory_days, planning.extension_days) == (20, 10)
    assert "第42条" in planning.statutory_source


def test_each_eia_item_depends_on_the_eia_category(shipped):
    for code in ("eia_report", "eia_table", "eia_registration"):
        assert shipped.item(code).applies_when.fields() == {"eia_category"}


def test_regional_assessment_items_are_waived_by_it(shipped):
    for code in ("water_impact_assessment", "seismic_safety", "mineral_overlay", "cultural_relic_survey"):
        entry = shipped.item(code)
        assert entry.regional_assessment
        assert entry.waived_when is not None and entry.waived_when.fields() == {"regional_assessment_done"}


def test_every_condition_uses_project_facts_only(shipped):
    for entry in shipped:
        conditions = [entry.applies_when, entry.commitment_when, entry.waived_when]
        for condition in filter(None, conditions):
            assert condition.fields() <= set(PROJECT_FACTS), entry.code


def test_shipped_catalogue_round_trips_through_from_data(shipped):
    import yaml

    from daiban.core.catalogue import DEFAULT_PATH

    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    again = Catalogue.from_data(copy.deepcopy(raw))
    assert [i.code for i in again] == [i.code for i in shipped]
    raw["items"][0]["prerequisites"] = ["construction_permit"]
    with pytest.raises(CatalogueError, match="循环"):
        Catalogue.from_data(raw)
