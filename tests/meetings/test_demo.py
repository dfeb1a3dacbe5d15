"""The demo's meetings: two held meetings with stored reports, decisions that raised issues and committed
milestones, carry-over from the first to the second, and the next meeting as a draft."""

from __future__ import annotations

import datetime as dt

import pytest

from daiban.coordination.models import CoordinationIssue
from daiban.demo import meetings as demo_meetings
from daiban.meetings.models import AgendaItem, Decision, DispatchMeeting, ItemStatus, MeetingStatus

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 29)


def test_demo_meetings_load_and_clear(portfolio, users, project_factory, butler):
    for number in range(3):
        project_factory(name=f"黄灯项目{number}", light="yellow", butler=butler)
    demo_meetings.load(as_of=AS_OF)
    first, second, draft = DispatchMeeting.objects.order_by("number")
    assert [m.status for m in (first, second, draft)] == [
        MeetingStatus.HELD,
        MeetingStatus.HELD,
        MeetingStatus.DRAFT,
    ]
    assert (first.held_on, second.held_on) == (dt.date(2026, 6, 1), dt.date(2026, 6, 15))
    assert first.report_docx and second.report_figures["project_count"] == 6
    assert AgendaItem.objects.filter(meeting=first, status=ItemStatus.CARRIED).exists()
    assert AgendaItem.objects.filter(meeting=second, carried_from__meeting=first).exists()
    assert CoordinationIssue.objects.filter(source="meeting", source_note=first.title).exists()
    assert Decision.objects.filter(kind="milestone_commitment").exists()
    assert AgendaItem.objects.filter(meeting=draft).exists()
    demo_meetings.clear()
    assert not DispatchMeeting.objects.exists() and not Decision.objects.exists()
