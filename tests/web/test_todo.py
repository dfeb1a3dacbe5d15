"""我的待办: overdue and soon-due cases and this month's milestones, most urgent first, scoped per user."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from daiban.approvals.models import ApprovalCase
from daiban.approvals.services import (
    case_record_acceptance,
    case_record_submission,
    cases_generate,
    common,
    tick,
)
from daiban.core.calendar import WorkCalendar
from daiban.projects.models import Milestone, MilestoneKind

pytestmark = pytest.mark.django_db

T0 = dt.date(2026, 3, 2)  # a Monday; March 2026 has no public holiday
CAL = WorkCalendar.default()
DAY = CAL.add_workdays(T0, 18)  # Thursday 26 March


def accept(project, code: str, on: dt.date) -> ApprovalCase:
    case = ApprovalCase.objects.get(project=project, item_code=code)
    case = case_record_submission(actor=None, case=case, expected_version=case.version, submitted_on=on)
    return case_record_acceptance(actor=None, case=case, expected_version=case.version, accepted_on=on)


def milestone(project, code: str, planned_on: dt.date, actual_on: dt.date | None = None) -> None:
    kind = MilestoneKind.objects.get(code=code)
    Milestone.objects.create(project=project, kind=kind, planned_on=planned_on, actual_on=actual_on)


@pytest.fixture
def todo_world(monkeypatch, project, other_project, milestone_kinds, department_factory, user_factory):
    """张三's project with three open cases and three milestones; 李四's project with one overdue case."""
    relics = department_factory(name="市文物局", short_name="文物", kind="approval")
    archaeologist = user_factory(username="wenwu", full_name="钱文物", role="specialist", department=relics)
    project.specialists.add(archaeologist)
    state = {"day": T0}
    monkeypatch.setattr(common, "today", lambda: state["day"])
    for each in (project, other_project):
        cases_generate(actor=None, project=each)
    accept(project, "mineral_overlay", T0)  # promised 3 → due T0+3 (5 March)
    accept(project, "geo_hazard_assessment", T0)  # promised 10 → due T0+10 (16 March)
    accept(project, "cultural_relic_survey", T0)  # promised 20 → due T0+20 (30 March)
    accept(other_project, "mineral_overlay", T0)
    milestone(project, "registered", dt.date(2026, 3, 3), actual_on=dt.date(2026, 3, 3))  # reached
    milestone(project, "signed", dt.date(2026, 3, 9))  # overdue
    milestone(project, "started", dt.date(2026, 3, 31))  # due this month
    milestone(project, "completed", dt.date(2026, 4, 15))  # next month: not yet
    state["day"] = DAY
    tick(today=DAY)
    return {"project": project, "archaeologist": archaeologist}


def rows(response) -> list[str]:
    """(status, title) of each to-do row, in order."""
    found = re.findall(
        r'<tr class="todo-item[^"]*".*?<span class="clock [^"]*">([^<]*)</span>.*?<td>([^<]*)</td>\s*<td><a',
        response.text,
        re.S,
    )
    return [f"{status}｜{title}" for status, title in found]


def test_the_butler_sees_the_most_urgent_first(client, todo_world, butler):
    client.force_login(butler)
    response = client.get("/todo/")
    assert response.status_code == 200
    assert rows(response) == [
        "逾期 15 个工作日｜压覆重要矿产资源查询",  # due 5 March: the longest overdue first
        "逾期 17 天｜签约（节点）",  # planned 9 March
        "逾期 8 个工作日｜地质灾害危险性评估",  # due 16 March
        "剩余 2 个工作日｜考古调查勘探",  # due 30 March
        "剩余 5 天｜开工（节点）",  # planned 31 March
    ]
    assert f'href="/projects/{todo_world["project"].pk}/"' in response.text
    assert "亦庄机器人整机制造项目" not in response.text  # 李四's project


def test_a_specialist_sees_his_departments_cases_only(client, todo_world):
    client.force_login(todo_world["archaeologist"])
    assert rows(client.get("/todo/")) == ["剩余 2 个工作日｜考古调查勘探"]


def test_another_butler_sees_only_his_own(client, todo_world, other_butler):
    client.force_login(other_butler)
    response = client.get("/todo/")
    assert [row.split("｜")[1] for row in rows(response)] == ["压覆重要矿产资源查询"]
    assert "京南生物医药产业化基地" not in response.text


def test_nothing_to_do_says_so(client, butler, milestone_kinds):
    client.force_login(butler)
    response = client.get("/todo/")
    assert response.status_code == 200 and "暂无待办" in response.text


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get("/todo/")
    assert response.status_code == 302 and "/login/" in response["Location"]
