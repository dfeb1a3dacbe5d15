"""API of the dispatch meetings: list, get, create (default agenda), agenda, decisions, publish, hold, and
the report's figures for any period. Readers: admin, leader, dispatcher; writers: admin, dispatcher."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from daiban.accounts.models import Department
from daiban.accounts.permissions import require
from daiban.api.problems import errors
from daiban.api.schemas import Id, text
from daiban.core.errors import DomainError
from daiban.meetings.models import AgendaItem, DecisionKind, DispatchMeeting
from daiban.meetings.permissions import can_view_meetings
from daiban.meetings.report.figures import default_period, dispatch_report
from daiban.meetings.report.serialize import report_as_dict
from daiban.meetings.selectors import agenda_items, attendee_choices, meeting_get, meeting_list
from daiban.meetings.services import (
    DecisionInput,
    agenda_item_add,
    agenda_item_decide,
    check_date,
    meeting_create,
    meeting_hold,
    meeting_publish,
)

router = Router(tags=["调度会"])
WRITE_ERRORS = errors(400, 403, 404, 409)


class MeetingOut(Schema):
    id: int
    number: int
    title: str
    held_on: dt.date
    period_from: dt.date
    period_to: dt.date
    location: str
    host: str
    attendees_note: str
    status: str
    status_label: str
    summary: str
    published_at: dt.datetime | None
    report_stored: bool
    version: int

    @staticmethod
    def resolve_status_label(meeting: DispatchMeeting) -> str:
        return meeting.get_status_display()

    @staticmethod
    def resolve_report_stored(meeting: DispatchMeeting) -> bool:
        return bool(meeting.report_docx)


class DecisionOut(Schema):
    id: int
    kind: str
    text: str
    issue_id: int | None
    milestone_code: str
    committed_on: dt.date | None
    department: str | None
    due_on: dt.date | None

    @staticmethod
    def resolve_department(decision) -> str | None:
        return decision.department.name if decision.department_id else None


class AgendaItemOut(Schema):
    id: int
    order: int
    reason: str
    reasons: list[str]
    reason_text: str
    status: str
    project_id: int | None
    project_name: str | None
    project_light: str | None
    issue_id: int | None
    issue_title: str | None
    issue_level: int | None
    carried_from_id: int | None
    carried_from_meeting: str | None
    discussion: str
    decisions: list[DecisionOut]
    version: int

    @staticmethod
    def resolve_project_name(item: AgendaItem) -> str | None:
        return item.project.name if item.project_id else None

    @staticmethod
    def resolve_project_light(item: AgendaItem) -> str | None:
        return item.project.light if item.project_id else None

    @staticmethod
    def resolve_issue_title(item: AgendaItem) -> str | None:
        return item.issue.title if item.issue_id else None

    @staticmethod
    def resolve_issue_level(item: AgendaItem) -> int | None:
        return item.issue.level if item.issue_id else None

    @staticmethod
    def resolve_carried_from_meeting(item: AgendaItem) -> str | None:
        return item.carried_from.meeting.title if item.carried_from_id else None

    @staticmethod
    def resolve_decisions(item: AgendaItem) -> list:
        return list(item.decisions.all())


class MeetingIn(Schema):
    held_on: dt.date
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    title: text(200) | None = None
    location: text(200) = ""
    host: text(100) = ""
    attendees_note: text(1000) = ""
    attendees: list[Id] = Field(default_factory=list, description="参会人员的用户编号（发布议程时通知）")


class AgendaItemIn(Schema):
    reason_text: text(500)


class DecisionIn(Schema):
    kind: str = Field(..., description="issue | milestone_commitment | note")
    text: text(1000)
    department_id: int | None = None
    deadline_days: int | None = Field(None, ge=1, le=365)
    category: str = "other"
    milestone_code: str = ""
    committed_on: dt.date | None = None
    due_on: dt.date | None = None


class DecideIn(Schema):
    version: int = Field(..., ge=1, description="读取议题时的版本号；已被他人修改则返回 409")
    discussion: text(2000) = ""
    decisions: list[DecisionIn] = []


class PeriodParams(Schema):
    date_from: dt.date | None = Field(None, alias="from", description="起始日期（默认截止日期前两周）")
    date_to: dt.date | None = Field(None, alias="to", description="截止日期（默认今天）")


class VersionIn(Schema):
    version: int = Field(..., ge=1)


class HoldIn(VersionIn):
    summary: text(10000) | None = None


def _meeting(request: HttpRequest, meeting_id: int) -> DispatchMeeting:
    return meeting_get(user=request.auth, pk=meeting_id)


@router.get("", response={200: list[MeetingOut], **errors(403)}, summary="调度会列表（新近在前）")
def meeting_index(request: HttpRequest):
    require(can_view_meetings(actor=request.auth), "您的角色无权查看调度会")
    return list(meeting_list(user=request.auth))


@router.post("", response={201: MeetingOut, **WRITE_ERRORS}, summary="安排调度会（生成默认议程）")
def meeting_new(request: HttpRequest, payload: MeetingIn):
    data = payload.dict()
    wanted = set(data.pop("attendees"))
    attendees = list(attendee_choices().filter(pk__in=wanted))
    if len(attendees) != len(wanted):
        missing = sorted(wanted - {user.pk for user in attendees})
        raise DomainError(f"参会人员不存在或不可邀请：用户编号 {'、'.join(map(str, missing))}")
    meeting = meeting_create(actor=request.auth, attendees=attendees, **data)
    return 201, meeting


@router.get(
    "/report",
    response={200: dict, **errors(400, 403)},
    summary="调度报告数据（任意时段，默认最近两周）",
)
def report_figures(request: HttpRequest, period: Query[PeriodParams]):
    require(can_view_meetings(actor=request.auth), "您的角色无权查看调度报告")
    default_from, default_to = default_period()
    date_from, date_to = period.date_from or default_from, period.date_to or default_to
    check_date(date_from, "起始日期")
    check_date(date_to, "截止日期")
    if date_from > date_to:
        raise DomainError(f"起始日期（{date_from}）不能晚于截止日期（{date_to}）")
    return report_as_dict(dispatch_report(user=request.auth, date_from=date_from, date_to=date_to))


@router.get("/{meeting_id}", response={200: MeetingOut, **errors(404)}, summary="调度会")
def meeting_detail(request: HttpRequest, meeting_id: Id):
    return _meeting(request, meeting_id)


@router.get("/{meeting_id}/agenda", response={200: list[AgendaItemOut], **errors(404)}, summary="议程")
def meeting_agenda(request: HttpRequest, meeting_id: Id):
    return list(agenda_items(user=request.auth, meeting=_meeting(request, meeting_id)))


@router.post("/{meeting_id}/agenda", response={201: AgendaItemOut, **WRITE_ERRORS}, summary="增加议题")
def meeting_agenda_add(request: HttpRequest, meeting_id: Id, payload: AgendaItemIn):
    item = agenda_item_add(
        actor=request.auth, meeting=_meeting(request, meeting_id), reason_text=payload.reason_text
    )
    return 201, agenda_items(user=request.auth, meeting=item.meeting).get(pk=item.pk)


@router.post(
    "/{meeting_id}/agenda/{item_id}/decisions",
    response={200: AgendaItemOut, **WRITE_ERRORS},
    summary="记录会议决定（可形成协调事项或节点承诺）",
)
def meeting_decide(request: HttpRequest, meeting_id: Id, item_id: Id, payload: DecideIn):
    meeting = _meeting(request, meeting_id)
    item = agenda_items(user=request.auth, meeting=meeting).get(pk=item_id)
    if any(d.kind not in DecisionKind.values for d in payload.decisions):
        raise DomainError(f"决定类型应为：{'、'.join(DecisionKind.values)}")
    decisions = [
        DecisionInput(
            kind=d.kind,
            text=d.text,
            department=Department.objects.get(pk=d.department_id) if d.department_id else None,
            deadline_days=d.deadline_days,
            category=d.category,
            milestone_code=d.milestone_code,
            committed_on=d.committed_on,
            due_on=d.due_on,
        )
        for d in payload.decisions
    ]
    agenda_item_decide(
        actor=request.auth,
        item=item,
        expected_version=payload.version,
        decisions=decisions,
        discussion=payload.discussion,
    )
    return agenda_items(user=request.auth, meeting=meeting).get(pk=item_id)


@router.post("/{meeting_id}/publish", response={200: MeetingOut, **WRITE_ERRORS}, summary="发布议程")
def meeting_publish_endpoint(request: HttpRequest, meeting_id: Id, payload: VersionIn):
    return meeting_publish(
        actor=request.auth, meeting=_meeting(request, meeting_id), expected_version=payload.version
    )


@router.post("/{meeting_id}/hold", response={200: MeetingOut, **WRITE_ERRORS}, summary="登记召开（存档报告）")
def meeting_hold_endpoint(request: HttpRequest, meeting_id: Id, payload: HoldIn):
    return meeting_hold(
        actor=request.auth,
        meeting=_meeting(request, meeting_id),
        expected_version=payload.version,
        summary=payload.summary,
    )
