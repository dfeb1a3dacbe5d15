"""Meetings: the default agenda, carry-over across meetings, decisions, publish and hold."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from daiban.accounts.permissions import NotPermitted
from daiban.audit.services import ConcurrentEditError
from daiban.coordination.models import CoordinationIssue, IssueSource
from daiban.coordination.services import issue_raise
from daiban.core.errors import DomainError
from daiban.meetings.models import AgendaItem, DecisionKind, ItemStatus, MeetingStatus, Reason
from daiban.meetings.services import (
    DecisionInput,
    agenda_item_add,
    agenda_item_decide,
    meeting_create,
    meeting_hold,
    meeting_publish,
)
from daiban.notifications.models import Notification
from daiban.projects.models import Milestone

pytestmark = pytest.mark.django_db

DAY1, DAY2, DAY3 = dt.date(2026, 6, 1), dt.date(2026, 6, 15), dt.date(2026, 6, 29)


def items(meeting) -> dict[str, AgendaItem]:
    return {
        (
            item.issue.title if item.issue_id else item.project.name if item.project_id else item.reason_text
        ): item
        for item in AgendaItem.objects.filter(meeting=meeting).select_related("project", "issue")
    }


def test_default_agenda_merges_reasons_per_project(portfolio, dispatcher):
    meeting = meeting_create(actor=dispatcher, held_on=DAY2)
    assert meeting.title == "第1次重大项目调度会"
    assert (meeting.period_from, meeting.period_to) == (dt.date(2026, 6, 1), dt.date(2026, 6, 14))
    agenda = items(meeting)
    assert set(agenda) == {"京南生物医药产业化基地", "亦庄机器人整机制造项目"}
    assert agenda["京南生物医药产业化基地"].reason == Reason.RED
    yellow = agenda["亦庄机器人整机制造项目"]
    assert yellow.reasons == [Reason.YELLOW, Reason.MILESTONE_DUE]  # one item, both reasons
    assert "开工计划 06月20日" in yellow.reason_text


def test_escalated_issue_is_its_own_item(portfolio, dispatcher):
    issue = issue_raise(
        actor=dispatcher,
        project=portfolio["green"],
        title="排水接入",
        category="utilities",
        department=portfolio["shuiwu"],
        deadline_days=3,
        today=dt.date(2026, 5, 4),
    )
    CoordinationIssue.objects.filter(pk=issue.pk).update(level=1, level_due_on=dt.date(2026, 6, 1))
    agenda = items(meeting_create(actor=dispatcher, held_on=DAY2))
    assert agenda["排水接入"].reason == Reason.ESCALATED_ISSUE
    assert agenda["排水接入"].project == portfolio["green"]
    assert "绿色产业园项目" not in agenda  # the green project itself is not on the agenda


def test_carry_over_across_three_meetings(portfolio, dispatcher):
    first = meeting_create(actor=dispatcher, held_on=DAY1)
    extra = agenda_item_add(actor=dispatcher, meeting=first, reason_text="园区道路施工协调")
    red = items(first)["京南生物医药产业化基地"]
    agenda_item_decide(
        actor=dispatcher,
        item=red,
        expected_version=red.version,
        decisions=[DecisionInput(kind=DecisionKind.NOTE, text="规自分局本周内完成审查")],
    )
    second = meeting_create(actor=dispatcher, held_on=DAY2)
    first_items = items(first)
    assert first_items["京南生物医药产业化基地"].status == ItemStatus.DECIDED
    assert first_items["亦庄机器人整机制造项目"].status == ItemStatus.CARRIED
    assert first_items["园区道路施工协调"].status == ItemStatus.CARRIED
    agenda = items(second)
    yellow = agenda["亦庄机器人整机制造项目"]
    assert yellow.reason == Reason.CARRIED_OVER
    assert yellow.carried_from == first_items["亦庄机器人整机制造项目"]
    assert Reason.YELLOW in yellow.reasons  # still yellow: one item, carried and yellow
    assert agenda["园区道路施工协调"].carried_from == extra
    assert agenda["京南生物医药产业化基地"].carried_from is None  # decided last time, on again as red
    road = agenda["园区道路施工协调"]
    agenda_item_decide(
        actor=dispatcher, item=road, expected_version=road.version, decisions=[], discussion="已开工，销号"
    )
    third = items(meeting_create(actor=dispatcher, held_on=DAY3))
    assert "园区道路施工协调" not in third
    carried = third["亦庄机器人整机制造项目"]
    assert carried.carried_from == agenda["亦庄机器人整机制造项目"]
    assert carried.carried_from.carried_from == first_items["亦庄机器人整机制造项目"]
    assert items(second)["亦庄机器人整机制造项目"].status == ItemStatus.CARRIED


def test_decisions_raise_an_issue_and_commit_a_milestone(portfolio, dispatcher):
    meeting = meeting_create(actor=dispatcher, held_on=DAY2)
    item = items(meeting)["亦庄机器人整机制造项目"]
    item = agenda_item_decide(
        actor=dispatcher,
        item=item,
        expected_version=item.version,
        discussion="用地手续卡在规划条件",
        decisions=[
            DecisionInput(
                kind=DecisionKind.ISSUE,
                text="规自分局出具规划条件",
                department=portfolio["guizi"],
                deadline_days=5,
                category="planning",
            ),
            DecisionInput(
                kind=DecisionKind.MILESTONE_COMMITMENT,
                text="企业承诺 7 月 10 日开工",
                milestone_code="started",
                committed_on=dt.date(2026, 7, 10),
            ),
        ],
    )
    assert item.status == ItemStatus.DECIDED
    issue = CoordinationIssue.objects.get(title="规自分局出具规划条件")
    assert (issue.source, issue.source_note, issue.raised_on) == (IssueSource.MEETING, meeting.title, DAY2)
    assert issue.project == portfolio["yellow"]
    started = Milestone.objects.get(project=portfolio["yellow"], kind__code="started")
    assert started.planned_on == dt.date(2026, 7, 10)
    with pytest.raises(ConcurrentEditError):
        agenda_item_decide(
            actor=dispatcher, item=item, expected_version=item.version - 1, decisions=[], discussion="x"
        )


def test_issue_decision_needs_department_and_deadline(portfolio, dispatcher):
    item = items(meeting_create(actor=dispatcher, held_on=DAY2))["亦庄机器人整机制造项目"]
    with pytest.raises(DomainError, match="责任单位"):
        agenda_item_decide(
            actor=dispatcher,
            item=item,
            expected_version=item.version,
            decisions=[DecisionInput(kind=DecisionKind.ISSUE, text="x")],
        )
    assert not CoordinationIssue.objects.exists()


def test_publish_notifies_attendees_and_butlers_once(portfolio, dispatcher, leader, butler, other_butler):
    meeting = meeting_create(actor=dispatcher, held_on=DAY2, attendees=[leader])
    meeting = meeting_publish(actor=dispatcher, meeting=meeting, expected_version=meeting.version)
    assert meeting.status == MeetingStatus.PUBLISHED
    notified = set(
        Notification.objects.filter(kind="meeting_published").values_list("recipient__username", flat=True)
    )
    assert notified == {"leader", "butler", "butler2"}
    with pytest.raises(DomainError):
        meeting_publish(actor=dispatcher, meeting=meeting, expected_version=meeting.version)


def test_hold_stores_the_report_which_then_stays(portfolio, dispatcher):
    meeting = meeting_create(actor=dispatcher, held_on=DAY2)
    meeting = meeting_hold(
        actor=dispatcher, meeting=meeting, expected_version=meeting.version, summary="纪要"
    )
    assert meeting.status == MeetingStatus.HELD
    assert meeting.report_figures["project_count"] == 3
    text = "\n".join(p.text for p in Document(io.BytesIO(bytes(meeting.report_docx))).paragraphs)
    assert "第1次重大项目调度会调度报告" in text
    portfolio["green"].light = "red"
    portfolio["green"].save()
    meeting.refresh_from_db()
    assert meeting.report_figures["by_light"][0]["count"] == 1  # the stored report did not change
    with pytest.raises(DomainError, match="已召开"):
        agenda_item_add(actor=dispatcher, meeting=meeting, reason_text="迟到的议题")


def test_only_dispatchers_and_admins_run_meetings(portfolio, leader, butler):
    for actor in (leader, butler):
        with pytest.raises(NotPermitted):
            meeting_create(actor=actor, held_on=DAY2)
