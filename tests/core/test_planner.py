"""CPM planner: hand-checked networks, actuals, constraints, the calendar, and properties on random DAGs."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daiban.core.calendar import WorkCalendar
from daiban.core.errors import DomainError
from daiban.core.planner import KINDS, Activity, CycleError, Relation, Schedule, plan

CAL = WorkCalendar.default()
MONDAY = date(2025, 3, 3)  # no holiday for weeks either side


def point(schedule_date: date) -> int:
    """Working days after MONDAY: the ordinal-space point of a date."""
    return CAL.workdays_between(MONDAY, schedule_date)


def points(schedule: Schedule, activity_id: str) -> tuple[int, int, int, int]:
    a = schedule.activities[activity_id]
    return point(a.early_start), point(a.early_finish), point(a.late_start), point(a.late_finish)


# A textbook AON network with lags of every kind. By hand, in working days after the start (point 0):
#   A 4, B 6, C 3, D 5, E 2;  A→B FS0, A→C SS2, B→D FS1, C→D FF3, C→E FS0, D→E SS2, A→E SF10
# Forward:  A 0–4;  B ≥ EF_A = 4 → 4–10;  C ≥ ES_A+2 = 2 → 2–5;
#           D ≥ EF_B+1 = 11, EF_D ≥ EF_C+3 = 8 → 11–16;
#           E ≥ EF_C = 5, ≥ ES_D+2 = 13, EF_E ≥ ES_A+10 → 13–15.  Project finish 16.
# Backward: E LF 16, LS 14;  D LS ≤ LS_E−2 = 12 and LF 16 → 11–16;  C LF ≤ LF_D−3 = 13, ≤ LS_E = 14 → 10–13;
#           B LF ≤ LS_D−1 = 10 → 4–10;  A LF ≤ LS_B = 4, LS ≤ LS_C−2 = 8, LS ≤ LF_E−10 = 6 → 0–4.
# Total float: A 0, B 0, C 8, D 0, E 1.  Free float: A 0, B 0, C min(16−5−3, 13−5) = 8, D 13−11−2 = 0,
#           E 16−15 = 1.  Critical path: A → B → D.
TEXTBOOK_ACTIVITIES = [
    Activity("A", 4),
    Activity("B", 6),
    Activity("C", 3),
    Activity("D", 5),
    Activity("E", 2),
]
TEXTBOOK_RELATIONS = [
    Relation("A", "B"),
    Relation("A", "C", "SS", 2),
    Relation("B", "D", "FS", 1),
    Relation("C", "D", "FF", 3),
    Relation("C", "E"),
    Relation("D", "E", "SS", 2),
    Relation("A", "E", "SF", 10),
]
TEXTBOOK = {
    "A": ((0, 4, 0, 4), 0, 0),
    "B": ((4, 10, 4, 10), 0, 0),
    "C": ((2, 5, 10, 13), 8, 8),
    "D": ((11, 16, 11, 16), 0, 0),
    "E": ((13, 15, 14, 16), 1, 1),
}


def test_textbook_network_matches_the_hand_computation() -> None:
    schedule = plan(TEXTBOOK_ACTIVITIES, TEXTBOOK_RELATIONS, calendar=CAL, start=MONDAY)
    for activity_id, (expected_points, total, free) in TEXTBOOK.items():
        a = schedule.activities[activity_id]
        assert (points(schedule, activity_id), a.total_float, a.free_float) == (expected_points, total, free)
        assert a.status == "open"
    assert schedule.duration == 16
    assert schedule.finish == CAL.add_workdays(MONDAY, 16)
    assert schedule.critical_ids() == {"A", "B", "D"}
    assert schedule.critical_paths == [["A", "B", "D"]]
    assert list(schedule.activities) == ["A", "B", "C", "D", "E"]  # a topological order


def test_a_case_lasting_n_working_days_finishes_on_the_nth_working_day_after_acceptance() -> None:
    friday = date(2025, 3, 7)
    schedule = plan([Activity("permit", 20)], [], calendar=CAL, start=friday)
    assert schedule.activities["permit"].early_finish == CAL.add_workdays(friday, 20)
    assert schedule.duration == 20 == CAL.workdays_between(schedule.start, schedule.finish)


def test_fs_with_zero_lag_lets_the_successor_be_submitted_the_day_the_permit_is_issued() -> None:
    schedule = plan([Activity("a", 3), Activity("b", 2)], [Relation("a", "b")], calendar=CAL, start=MONDAY)
    assert schedule.activities["b"].early_start == schedule.activities["a"].early_finish


def test_a_start_on_a_rest_day_moves_to_the_next_workday() -> None:
    saturday = date(2025, 3, 8)
    schedule = plan([Activity("a", 1)], [], calendar=CAL, start=saturday)
    assert schedule.start == date(2025, 3, 10)
    assert schedule.activities["a"].early_finish == date(2025, 3, 11)


def test_working_days_skip_the_spring_festival_and_count_its_adjusted_workdays() -> None:
    # 2025: Jan 26 (Sunday) is a 调休 workday, Jan 28 – Feb 4 are rest days.
    schedule = plan([Activity("a", 5)], [], calendar=CAL, start=date(2025, 1, 24))
    assert schedule.activities["a"].early_finish == date(2025, 2, 7)  # 26, 27, Feb 5, 6, 7


def test_a_natural_day_activity_across_the_spring_festival_ends_on_the_next_workday() -> None:
    activities = [
        Activity("notice", 10, unit="natural_days", name="公示"),
        Activity("permit", 3),
    ]
    schedule = plan(activities, [Relation("notice", "permit")], calendar=CAL, start=date(2025, 1, 24))
    notice = schedule.activities["notice"]
    # Jan 24 + 10 days = Feb 3, a Spring Festival rest day → the next workday, Feb 5 (民法典 art. 203).
    assert (notice.early_start, notice.early_finish) == (date(2025, 1, 24), date(2025, 2, 5))
    assert schedule.activities["permit"].early_start == date(2025, 2, 5)
    assert schedule.activities["permit"].early_finish == date(2025, 2, 8)  # the 调休 Saturday works
    # Critical and without float: starting the notice one workday later (Jan 26) would end on Feb 5 too,
    # yet its late start is the latest whose 10 days end by Feb 5: Jan 26 → Feb 5.
    assert notice.late_finish == date(2025, 2, 5)
    assert notice.late_start == date(2025, 1, 26)
    assert notice.total_float == 1


def test_a_natural_day_activity_bounded_by_a_finish_to_finish_relation() -> None:
    activities = [Activity("a", 12), Activity("b", 7, unit="natural_days")]
    # b must end no earlier than 2 working days after a ends: a ends on point 12.
    schedule = plan(activities, [Relation("a", "b", "FF", 2)], calendar=CAL, start=MONDAY)
    b = schedule.activities["b"]
    assert point(b.early_finish) >= 14
    assert CAL.natural_deadline(b.early_start, 7) == b.early_finish
    # One workday earlier would end too soon: the start is the earliest that satisfies the relation.
    assert point(CAL.natural_deadline(CAL.add_workdays(b.early_start, -1), 7)) < 14


def test_replan_from_actuals_keeps_done_work_and_moves_open_work_after_the_status_date() -> None:
    activities = [
        Activity("done", 10, actual_start=date(2025, 3, 3), actual_finish=date(2025, 3, 20)),
        Activity("running", 5, actual_start=date(2025, 3, 20)),
        Activity("open", 1),
        Activity("late_open", 2),
    ]
    relations = [Relation("done", "running"), Relation("done", "open"), Relation("running", "late_open")]
    status = date(2025, 4, 1)  # the running case is past its 5 working days
    schedule = plan(activities, relations, calendar=CAL, start=MONDAY, status_date=status)
    done, running, open_, late_open = (
        schedule.activities[k] for k in ("done", "running", "open", "late_open")
    )
    assert (done.status, running.status, open_.status) == ("done", "running", "open")
    assert (done.early_start, done.early_finish) == (date(2025, 3, 3), date(2025, 3, 20))
    assert (done.late_start, done.late_finish, done.total_float, done.critical) == (
        date(2025, 3, 3),
        date(2025, 3, 20),
        0,
        False,
    )
    assert running.early_start == date(2025, 3, 20)
    assert running.early_finish == CAL.next_workday(status)  # not "already finished" in the past
    assert open_.early_start == status  # re-planned from the status date, not from the done work
    assert late_open.early_start == running.early_finish
    assert schedule.critical_paths == [["running", "late_open"]]


def test_a_running_activity_still_within_its_duration_keeps_its_planned_finish() -> None:
    activities = [Activity("running", 10, actual_start=date(2025, 3, 3))]
    schedule = plan(activities, [], calendar=CAL, start=MONDAY, status_date=date(2025, 3, 5))
    assert schedule.activities["running"].early_finish == CAL.add_workdays(date(2025, 3, 3), 10)


def test_status_date_on_a_rest_day_lets_open_work_start_the_next_workday() -> None:
    schedule = plan([Activity("a", 1)], [], calendar=CAL, start=MONDAY, status_date=date(2025, 3, 15))
    assert schedule.activities["a"].early_start == date(2025, 3, 17)


def test_an_unmeetable_project_deadline_gives_negative_float_on_the_driving_chain() -> None:
    activities = [Activity("a", 10), Activity("b", 10), Activity("side", 3)]
    deadline = CAL.add_workdays(MONDAY, 15)
    schedule = plan(
        activities, [Relation("a", "b")], calendar=CAL, start=MONDAY, finish_no_later_than=deadline
    )
    assert schedule.activities["a"].total_float == schedule.activities["b"].total_float == -5
    assert schedule.activities["side"].total_float == 12
    assert schedule.critical_ids() == {"a", "b"}
    assert schedule.activities["b"].late_finish == deadline


def test_an_unmeetable_activity_deadline_gives_negative_float_to_it_and_its_predecessors() -> None:
    activities = [
        Activity("a", 10),
        Activity("b", 10, finish_no_later_than=CAL.add_workdays(MONDAY, 12)),
        Activity("c", 30),
    ]
    schedule = plan(activities, [Relation("a", "b")], calendar=CAL, start=MONDAY)
    assert schedule.activities["a"].total_float == schedule.activities["b"].total_float == -8
    assert schedule.activities["c"].total_float == 0
    assert schedule.critical_ids() == {"a", "b"}  # the most negative chain is the critical one


def test_a_later_project_deadline_gives_every_activity_float() -> None:
    schedule = plan(
        [Activity("a", 10)], [], calendar=CAL, start=MONDAY, finish_no_later_than=CAL.add_workdays(MONDAY, 14)
    )
    assert schedule.activities["a"].total_float == 4
    assert schedule.critical_ids() == {"a"}


def test_start_no_earlier_than_delays_an_activity() -> None:
    activities = [Activity("a", 2, start_no_earlier_than=date(2025, 3, 15)), Activity("b", 10)]
    schedule = plan(activities, [], calendar=CAL, start=MONDAY)
    assert schedule.activities["a"].early_start == date(2025, 3, 17)


def test_parallel_critical_branches_give_one_path_each() -> None:
    activities = [Activity("s", 1), Activity("x", 5), Activity("y", 5), Activity("e", 1)]
    relations = [Relation("s", "x"), Relation("s", "y"), Relation("x", "e"), Relation("y", "e")]
    schedule = plan(activities, relations, calendar=CAL, start=MONDAY)
    assert schedule.critical_paths == [["s", "x", "e"], ["s", "y", "e"]]


def test_a_long_chain_beyond_the_generated_passes_plans_and_lists_its_path() -> None:
    activities = [Activity(f"a{i}", 1) for i in range(1500)]
    relations = [Relation(f"a{i}", f"a{i + 1}") for i in range(1499)]
    schedule = plan(activities, relations, calendar=CAL, start=MONDAY)
    assert schedule.duration == 1500
    assert schedule.critical_paths == [[a.id for a in activities]]


def test_a_cycle_is_rejected_naming_it() -> None:
    activities = [Activity(k, 1) for k in ("Z", "A", "B", "C")]
    relations = [Relation("Z", "A"), Relation("A", "B"), Relation("B", "C", "SS", 1), Relation("C", "A")]
    with pytest.raises(CycleError) as error:
        plan(activities, relations, calendar=CAL, start=MONDAY)
    assert str(error.value) == "依赖关系成环：A → B → C → A"
    with pytest.raises(CycleError) as error:
        plan([Activity("A", 1)], [Relation("A", "A")], calendar=CAL, start=MONDAY)
    assert str(error.value) == "依赖关系成环：A → A"


@pytest.mark.parametrize(
    ("activities", "relations", "message"),
    [
        ([Activity("A", 1)], [Relation("A", "X")], "不存在的活动 'X'"),
        ([Activity("A", 1), Activity("A", 2)], [], "活动编号重复：'A'"),
        ([], [], "没有任何活动"),
    ],
)
def test_bad_networks_are_domain_errors(activities: list, relations: list, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        plan(activities, relations, calendar=CAL, start=MONDAY)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Relation("A", "B", "XX"), "类型 'XX' 未知"),
        (lambda: Relation("A", "B", "FS", 1.5), "应为整数工作日"),
        (lambda: Activity("A", -1), "工期 -1 无效"),
        (lambda: Activity("A", 1, unit="hours"), "时限单位 'hours' 未知"),
        (lambda: Activity("A", 1, actual_start=date(2025, 3, 5), actual_finish=date(2025, 3, 4)), "早于"),
    ],
)
def test_bad_activities_and_relations_are_domain_errors(build, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        build()


# --- properties on random DAGs -------------------------------------------------------------------------


@st.composite
def networks(draw: st.DrawFn, natural: bool = False) -> tuple[list[Activity], list[Relation]]:
    n = draw(st.integers(1, 12))
    units = st.sampled_from(["working_days", "natural_days"]) if natural else st.just("working_days")
    activities = [Activity(f"a{i}", draw(st.integers(0, 15)), draw(units)) for i in range(n)]
    pairs = [(i, j) for j in range(n) for i in range(j)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=20)) if pairs else []
    relations = [
        Relation(f"a{i}", f"a{j}", draw(st.sampled_from(KINDS)), draw(st.integers(-3, 5))) for i, j in chosen
    ]
    order = draw(st.permutations(range(n)))  # ids listed in any order, not just topologically
    return [activities[i] for i in order], relations


def respects(schedule: Schedule, relation: Relation, early: bool = True) -> bool:
    p, s = schedule.activities[relation.predecessor], schedule.activities[relation.successor]
    if early:
        points_of = {"p": (p.early_start, p.early_finish), "s": (s.early_start, s.early_finish)}
    else:
        points_of = {"p": (p.late_start, p.late_finish), "s": (s.late_start, s.late_finish)}
    source = CAL.ordinal(points_of["p"][relation.kind[0] == "F"])
    target = CAL.ordinal(points_of["s"][relation.kind[1] == "F"])
    return target >= source + relation.lag


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(networks())
def test_early_and_late_schedules_respect_every_relation(network) -> None:
    activities, relations = network
    schedule = plan(activities, relations, calendar=CAL, start=MONDAY)
    for relation in relations:
        assert respects(schedule, relation, early=True), relation
        assert respects(schedule, relation, early=False), relation
    for a in schedule.activities.values():
        assert a.early_start >= MONDAY
        assert a.late_finish <= schedule.finish


@PROPERTY_SETTINGS
@given(networks())
def test_without_constraints_floats_are_ordered_and_critical_work_has_none(network) -> None:
    activities, relations = network
    schedule = plan(activities, relations, calendar=CAL, start=MONDAY)
    for a in schedule.activities.values():
        assert a.total_float >= a.free_float >= 0
        assert a.critical == (a.total_float == 0)
    assert schedule.critical_ids()
    assert {k for path in schedule.critical_paths for k in path} <= schedule.critical_ids()


@PROPERTY_SETTINGS
@given(networks(natural=True))
def test_natural_day_activities_respect_relations_and_their_own_length(network) -> None:
    activities, relations = network
    schedule = plan(activities, relations, calendar=CAL, start=date(2025, 1, 20))
    for relation in relations:
        assert respects(schedule, relation), relation
    for a in activities:
        scheduled = schedule.activities[a.id]
        assert scheduled.total_float >= 0
        if a.unit == "natural_days":
            assert scheduled.early_finish == CAL.natural_deadline(scheduled.early_start, a.duration)
        else:
            assert scheduled.early_finish == CAL.add_workdays(scheduled.early_start, a.duration)


@PROPERTY_SETTINGS
@given(networks())
def test_the_general_passes_agree_with_the_generated_fast_passes(network) -> None:
    activities, relations = network
    fast = plan(activities, relations, calendar=CAL, start=MONDAY)
    # A constraint that cannot bind sends the same network through the general loops.
    first = activities[0]
    slow_activities = [
        Activity(first.id, first.duration, start_no_earlier_than=MONDAY),
        *activities[1:],
    ]
    slow = plan(slow_activities, relations, calendar=CAL, start=MONDAY)
    assert slow == fast


@PROPERTY_SETTINGS
@given(st.lists(st.integers(0, 40), min_size=1, max_size=15))
def test_without_relations_the_project_lasts_as_long_as_its_longest_activity(durations) -> None:
    activities = [Activity(f"a{i}", d) for i, d in enumerate(durations)]
    schedule = plan(activities, [], calendar=CAL, start=MONDAY)
    assert schedule.duration == max(durations)
    assert all(a.early_start == MONDAY for a in schedule.activities.values())
