"""notify() and the daily notifications tick: who is told what, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from daiban.daily import run_daily
from daiban.notifications.models import Kind, Notification
from daiban.notifications.selectors import project_team
from daiban.notifications.services import notifications_tick, notify
from daiban.projects.models import Milestone

from .conftest import TODAY, make_case

pytestmark = pytest.mark.django_db


def keys_of(user) -> set[str]:
    return set(Notification.objects.filter(recipient=user).values_list("key", flat=True))


def test_notify_is_idempotent_per_recipient_and_key(butler, specialist, user_factory):
    retired = user_factory(username="retired", role="butler", is_active=False)
    first = notify(
        recipients=[butler, specialist, retired, None],
        kind=Kind.ISSUE_ASSIGNED,
        key="issue:1:new",
        title="协调事项交办",
    )
    again = notify(
        recipients=[butler, specialist], kind=Kind.ISSUE_ASSIGNED, key="issue:1:new", title="协调事项交办"
    )
    later = notify(recipients=[butler], kind=Kind.ISSUE_ESCALATED, key="issue:1:escalated:1", title="督办")
    assert (first, again, later) == (2, 0, 1)
    assert Notification.objects.filter(recipient=retired).count() == 0
    assert keys_of(butler) == {"issue:1:new", "issue:1:escalated:1"}


def test_project_team_is_butler_then_active_specialists(project, butler, specialist, user_factory):
    gone = user_factory(username="gone", role="specialist", is_active=False)
    project.specialists.add(gone)
    assert project_team(project) == [butler, specialist]


def test_case_warning_then_overdue_tells_butler_and_department_specialist_once_each(
    project, other_project, butler, other_butler, specialist, department
):
    case = make_case(project, "A1", department, "warning", name="建设工程规划许可证")
    make_case(other_project, "B1", department, "overdue")  # 李四's: not for 张三

    first = notifications_tick(today=TODAY)
    assert first.cases == 3  # 张三 + 孙专员 for A1, 李四 for B1
    mine = Notification.objects.get(recipient=butler)
    assert mine.kind == Kind.CASE_WARNING
    assert mine.title == "办件预警：建设工程规划许可证（京南生物医药产业化基地）"
    assert mine.url == f"/projects/{project.pk}/" and mine.project == project
    assert keys_of(specialist) == {f"case:{case.pk}:warning"}
    assert keys_of(other_butler) == {f"case:{other_project.cases.get().pk}:overdue"}

    case.sla_state, case.overdue_days = "overdue", 3
    case.save()
    second = notifications_tick(today=TODAY + dt.timedelta(days=1))
    assert second.cases == 2
    overdue = Notification.objects.get(recipient=butler, kind=Kind.CASE_OVERDUE)
    assert overdue.title == "办件逾期：建设工程规划许可证（京南生物医药产业化基地）"
    assert "逾期 3 个工作日" in overdue.body and "区规划和自然资源分局" in overdue.body
    assert keys_of(specialist) == {f"case:{case.pk}:warning", f"case:{case.pk}:overdue"}
    assert keys_of(other_butler) == {f"case:{other_project.cases.get().pk}:overdue"}

    # An extension brings it back to a warning: already told, not told again.
    case.sla_state = "warning"
    case.save()
    assert notifications_tick(today=TODAY + dt.timedelta(days=2)).cases == 0


def test_case_of_a_department_without_its_specialist_goes_to_every_specialist(
    project, butler, specialist, department_factory, user_factory
):
    water = department_factory(name="区水务局", short_name="水务")
    make_case(project, "W1", water, "overdue")
    notifications_tick(today=TODAY)
    assert Notification.objects.filter(kind=Kind.CASE_OVERDUE).count() == 2  # 张三 + 孙专员 (fallback)

    # Once the project has a 水务 specialist, that department's next case goes to him, not to 孙专员.
    water_specialist = user_factory(username="water", role="specialist", department=water)
    project.specialists.add(water_specialist)
    make_case(project, "W2", water, "warning")
    notifications_tick(today=TODAY)
    told = set(
        Notification.objects.filter(kind=Kind.CASE_WARNING).values_list("recipient__username", flat=True)
    )
    assert told == {"butler", "water"}


def test_decided_suspended_and_deleted_cases_tell_nobody(project, other_project, department):
    make_case(project, "D1", department, "overdue", decided_on=TODAY, accepted_on=dt.date(2026, 9, 1))
    make_case(project, "S1", department, "suspended")
    make_case(project, "N1", department, "normal")
    gone = make_case(project, "X1", department, "overdue")
    gone.deleted_at = timezone.now()
    gone.save()
    other_project.deleted_at = timezone.now()
    other_project.save()
    make_case(other_project, "Y1", department, "overdue")
    result = notifications_tick(today=TODAY)
    assert result.created == 0
    assert not Notification.objects.exists()


def test_milestone_due_within_five_working_days_across_the_holiday(
    project, butler, specialist, milestone_kinds
):
    kinds = {kind.code: kind for kind in milestone_kinds}

    def milestone(code: str, planned: dt.date, actual: dt.date | None = None) -> Milestone:
        return Milestone.objects.create(
            project=project, kind=kinds[code], planned_on=planned, actual_on=actual
        )

    # From Wed 30 Sep: 1–7 Oct are the National Day holiday, Sat 10 Oct a make-up working day;
    # the 5th working day after is Tue 13 Oct.
    started = milestone("started", dt.date(2026, 10, 13))
    milestone("completed", dt.date(2026, 10, 14))  # the 6th working day: not yet
    milestone("signed", dt.date(2026, 9, 29))  # already past: not "due"
    milestone("registered", dt.date(2026, 10, 5), actual=dt.date(2026, 9, 20))  # reached
    result = notifications_tick(today=TODAY)
    assert result.milestones == 1
    note = Notification.objects.get()
    assert note.recipient == butler and note.kind == Kind.MILESTONE_DUE
    assert note.key == f"milestone:{started.pk}:2026-10-13"
    assert note.title == "节点即将到期：开工（京南生物医药产业化基地）"
    assert notifications_tick(today=TODAY).milestones == 0

    # Re-planned: the new date is announced again.
    started.planned_on = dt.date(2026, 10, 12)
    started.save()
    assert notifications_tick(today=TODAY).milestones == 1


def test_milestone_horizon_follows_the_setting(settings, project, milestone_kinds):
    kind = next(k for k in milestone_kinds if k.code == "started")
    Milestone.objects.create(project=project, kind=kind, planned_on=dt.date(2026, 10, 8))
    settings.NOTIFY_MILESTONE_DAYS = 0
    assert notifications_tick(today=TODAY).milestones == 0
    settings.NOTIFY_MILESTONE_DAYS = 1  # the 1st working day after 30 Sep is 8 Oct
    assert notifications_tick(today=TODAY).milestones == 1


def test_tick_twice_creates_and_sends_nothing_the_second_time(project, department, milestone_kinds):
    make_case(project, "A1", department, "overdue")
    Milestone.objects.create(project=project, kind=milestone_kinds[0], planned_on=dt.date(2026, 10, 9))
    first = notifications_tick(today=TODAY)
    second = notifications_tick(today=TODAY)
    assert (first.cases, first.milestones) == (2, 1)
    assert (second.created, second.mail.sent) == (0, 0)
    assert str(second) == "消息：新增 0 条（办件 0，节点 0），邮件未启用"
    assert Notification.objects.count() == 3


def test_daily_run_reports_the_notifications_line(project, department):
    make_case(project, "A1", department, "warning", accepted_on=dt.date(2026, 9, 1))
    lines = run_daily(today=TODAY).lines()
    assert any(line.startswith("消息：新增") for line in lines)


def test_tick_queries_do_not_grow_with_cases(
    project_factory, butler, specialist, department, milestone_kinds
):
    def build(n: int, start: int) -> None:
        for i in range(n):
            p = project_factory(butler=butler, specialists=[specialist])
            for j in range(3):
                make_case(p, f"C{start + i}-{j}", department, "overdue" if j else "warning")
            Milestone.objects.create(project=p, kind=milestone_kinds[0], planned_on=dt.date(2026, 10, 9))

    build(2, 0)
    with CaptureQueriesContext(connection) as small:
        assert notifications_tick(today=TODAY).created == 2 * (3 * 2 + 1)
    build(12, 100)
    with CaptureQueriesContext(connection) as large:
        assert notifications_tick(today=TODAY).created == 12 * (3 * 2 + 1)
    assert len(large) == len(small)
