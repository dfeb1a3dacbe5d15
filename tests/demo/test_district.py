"""The demo district as data (no database): determinism, headline numbers, believable, consistent facts."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from daiban.core.calendar import WorkCalendar
from daiban.core.errors import DomainError
from daiban.core.ids import validate_project_code, validate_uscc
from daiban.core.sla import CaseClock, read_clock
from daiban.demo.district import DEFAULT_AS_OF, build_district, project_counts
from daiban.demo.portfolio import handbook_of
from daiban.demo.progress import span_to

CAL = WorkCalendar.default()
ALL_STATES = {"not_started", "normal", "warning", "overdue", "suspended", "done_on_time", "done_late"}


@pytest.fixture(scope="module")
def district():
    return build_district()


@pytest.fixture(scope="module")
def small():
    return build_district(scale=30)


def states(district) -> Counter:
    """Each case's clock state as of the district's date, as the approvals app reads it (promised limit)."""
    found = Counter()
    for spec in district.projects:
        for item in handbook_of(spec).cases:
            actual = spec.cases[item.code]
            clock = CaseClock(
                actual.accepted_on,
                item.promised_days,
                item.promised_unit,
                actual.suspensions,
                0,
                actual.decided_on,
            )
            found[read_clock(clock, calendar=CAL, today=district.as_of).state] += 1
    return found


def test_same_seed_same_district_and_another_seed_another():
    assert build_district(scale=12) == build_district(scale=12)
    assert build_district(scale=12, seed=7) != build_district(scale=12)


def test_headline_numbers_of_the_default_district(district):
    categories = Counter(spec.category for spec in district.projects)
    assert (len(district.projects), categories["new_start"], categories["continuing"]) == (217, 78, 139)
    total = sum(spec.total_investment for spec in district.projects)
    assert abs(total - Decimal(50_000_000)) < Decimal(50_000)  # 5000亿 within 0.1%
    assert district.target == Decimal(10_000_000)  # 1000亿
    plans = sum(spec.annual_plan for spec in district.projects)
    assert Decimal("0.8") * district.target < plans < district.target
    assert district.year == 2026 and district.as_of == DEFAULT_AS_OF


def test_most_of_the_list_is_government_investment_across_the_zones_industries(district):
    kinds = Counter(spec.facts["investment_type"] for spec in district.projects)
    assert kinds["government"] > kinds["social"]
    industries = {spec.industry for spec in district.projects}
    assert {
        "新一代信息技术",
        "生物医药",
        "高端汽车",
        "机器人",
        "集成电路",
        "新能源",
        "新材料",
        "现代服务业",
    } <= industries
    assert {"市政道路", "学校", "医院", "保障房", "综合管廊"} <= industries
    assert len({spec.name for spec in district.projects}) == 217


def test_usccs_are_valid_and_unique_and_phones_are_clearly_fake(district):
    usccs = [enterprise.uscc for enterprise in district.enterprises]
    assert [validate_uscc(code) for code in usccs] == usccs
    assert len(set(usccs)) == len(usccs)
    phones = [e.contact_phone for e in district.enterprises] + [u.phone for u in district.users]
    assert all(re.fullmatch(r"1380000\d{4}", phone) for phone in phones)


def test_project_codes_have_the_national_shape(district):
    codes = [spec.project_code for spec in district.projects if spec.project_code]
    assert len(codes) == 217 and len(set(codes)) == 217
    assert all(validate_project_code(code) == code for code in codes)


def test_every_role_has_users_and_a_headline_login(district):
    roles = Counter(user.role for user in district.users)
    assert set(roles) == {"admin", "leader", "dispatcher", "butler", "specialist", "enterprise"}
    usernames = {user.username for user in district.users}
    assert set(district.logins.values()) <= usernames
    assert len(usernames) == len(district.users)


def test_the_showcase_got_its_construction_permit_47_working_days_after_its_first_acceptance(district):
    showcase = next(spec for spec in district.projects if spec.role == "showcase")
    assert span_to(showcase.cases, "construction_permit", CAL) == 47
    first = min(a.accepted_on for a in showcase.cases.values() if a.accepted_on)
    assert CAL.workdays_between(first, showcase.cases["construction_permit"].decided_on) == 47
    assert showcase.facts["low_risk"] and showcase.facts["regional_assessment_done"]
    assert showcase.milestones["started"] > showcase.cases["construction_permit"].decided_on


@pytest.mark.parametrize("fixture", ["district", "small"])
def test_every_clock_state_appears(fixture, request):
    assert set(states(request.getfixturevalue(fixture))) == ALL_STATES


def test_milestones_are_reached_in_order_and_not_after_the_as_of_date(district):
    order = ["signed", "registered", "land_acquired", "started", "completed", "producing"]
    for spec in district.projects:
        reached = [code for code in order if code in spec.milestones]
        assert reached == order[: len(reached)], spec.name
        days = [spec.milestones[code] for code in reached]
        assert days == sorted(days) and days[-1] <= district.as_of, spec.name
        if spec.category == "continuing":
            assert spec.milestones["started"] < date(2026, 1, 1), spec.name


def test_cases_follow_their_prerequisites(district):
    for spec in district.projects:
        handbook = handbook_of(spec)
        for item in handbook.cases:
            actual = spec.cases[item.code]
            if actual.accepted_on is None:
                continue
            assert actual.submitted_on <= actual.accepted_on <= district.as_of
            assert actual.decided_on is None or actual.accepted_on <= actual.decided_on <= district.as_of
            for before in item.prerequisites:
                decided = spec.cases[before].decided_on
                assert decided is not None and decided <= actual.submitted_on, (spec.name, item.code)


def test_investment_is_reported_for_the_months_already_over_and_lights_vary(district):
    months = {month.month for spec in district.projects for month in spec.months}
    assert months == set(range(1, 11))  # January to October as of 23 November
    for spec in district.projects:
        started = spec.milestones.get("started")
        assert bool(spec.months) == (started is not None and started < date(2026, 11, 1)), spec.name


def test_a_too_small_scale_is_refused_in_chinese():
    with pytest.raises(DomainError, match="至少为 10 个项目"):
        project_counts(5)
