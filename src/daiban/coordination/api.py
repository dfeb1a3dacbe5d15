"""API of coordination issues: thin — parse, call one selector or service, answer with a schema.

Writes pass an unsaved ``CoordinationIssue(pk=…)``: every service re-reads the row under lock in the actor's
scope, so an issue the caller may not see is a 404 from the service itself; a stale version is a 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from daiban.accounts.models import Department, User
from daiban.api.problems import errors
from daiban.api.schemas import Id, PageParams, Ref, page_of, ref, text
from daiban.coordination import selectors, services
from daiban.coordination.models import CoordinationIssue, IssueCategory, IssueStatus
from daiban.coordination.services.lifecycle import MAX_DEADLINE_DAYS
from daiban.projects.models import Project

router = Router(tags=["协调事项"])

CategoryCode = Literal[tuple(IssueCategory.values)]
StatusCode = Literal[tuple(IssueStatus.values)]


# ---------------------------------------------------------------------------------------------- schemas


class IssueListQuery(Schema):
    status: StatusCode | Literal["active"] | None = Field(None, description="状态；active 为待办+办理中")
    light: Literal["red", "yellow", "green", "none"] | None = Field(None, description="红绿灯；none 为已办结")
    escalated: bool | None = Field(None, description="true 只看已升级督办的，false 只看未升级的")
    project: Id | None = None
    department: Id | None = Field(None, description="责任单位 id")
    category: CategoryCode | None = None
    q: text(100) | None = Field(None, description="按事项标题、描述或项目名称搜索")


class IssueListItemOut(Schema):
    id: int
    title: str
    project: Ref
    category: str
    category_label: str
    department: Ref
    assignee: Ref | None
    status: str
    status_label: str
    raised_on: dt.date
    due_on: dt.date
    deadline_days: int
    level: int
    level_due_on: dt.date | None
    light: str = Field(..., description="green / yellow / red；已办结为空")
    source: str
    version: int

    @staticmethod
    def resolve_project(obj: CoordinationIssue) -> dict | None:
        return ref(obj.project)

    @staticmethod
    def resolve_department(obj: CoordinationIssue) -> dict | None:
        return ref(obj.department)

    @staticmethod
    def resolve_assignee(obj: CoordinationIssue) -> dict | None:
        return ref(obj.assignee)

    @staticmethod
    def resolve_category_label(obj: CoordinationIssue) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_status_label(obj: CoordinationIssue) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_light(obj: CoordinationIssue) -> str:
        return selectors.issue_light(obj)


class IssuePageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[IssueListItemOut]


class HoldingOut(Schema):
    level: int
    level_name: str
    holder_label: str
    started_on: dt.date
    due_on: dt.date
    ended_on: dt.date | None
    reason: str


class IssueOut(IssueListItemOut):
    description: str
    resolution: str
    resolved_on: dt.date | None
    closed_on: dt.date | None
    source_note: str
    overdue_days: int
    holdings: list[HoldingOut]
    created_by: Ref | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_overdue_days(obj: CoordinationIssue) -> int:
        return selectors.issue_reading(obj).overdue_days if obj.is_active else 0

    @staticmethod
    def resolve_holdings(obj: CoordinationIssue) -> list:
        return list(obj.holdings.filter(deleted_at__isnull=True).order_by("level"))

    @staticmethod
    def resolve_created_by(obj: CoordinationIssue) -> dict | None:
        return ref(obj.created_by)


class IssueIn(Schema):
    project_id: Id
    title: text(200, min_length=1)
    category: CategoryCode
    department_id: Id = Field(..., description="责任单位 id")
    deadline_days: int = Field(..., ge=1, le=MAX_DEADLINE_DAYS, description="办理时限（工作日）")
    description: text(5000) = ""
    assignee_id: Id | None = Field(None, description="责任人（用户 id）；不填由责任单位的服务专员办理")


class VersionIn(Schema):
    version: int = Field(..., ge=1, description="读取时的版本号；已被他人修改时返回 409")


class ResolveIn(VersionIn):
    resolution: text(5000, min_length=1)


class ReopenIn(VersionIn):
    reason: text(300, min_length=1)


class CommentIn(Schema):
    body: text(5000, min_length=1)


class CommentOut(Schema):
    id: int
    body: str
    author: Ref | None
    created_at: dt.datetime

    @staticmethod
    def resolve_author(obj) -> dict | None:
        return ref(obj.created_by)


class StatsQuery(Schema):
    date_from: dt.date
    date_to: dt.date


class DepartmentStatsOut(Schema):
    department_id: int
    department_name: str
    raised: int
    resolved: int
    resolved_on_time: int
    on_time_rate: float | None = Field(None, description="按期办结率（0.5 即 50%），无办结时为空")
    open: int
    open_overdue: int
    escalated: int


# ---------------------------------------------------------------------------------------------- endpoints


def _issue(request: HttpRequest, issue_id: int) -> CoordinationIssue:
    return selectors.issue_get(user=request.auth, pk=issue_id)


@router.get("", response={200: IssuePageOut, **errors()}, summary="协调事项列表（分页、筛选）")
def issue_list(request: HttpRequest, query: Query[IssueListQuery], page: Query[PageParams]):
    issues = selectors.issue_list_visible(
        user=request.auth,
        status=query.status,
        light=query.light,
        escalated=query.escalated,
        project=query.project,
        department=query.department,
        category=query.category,
        search=query.q,
    ).order_by("-raised_on", "-pk")
    return page_of(issues, page)


@router.get(
    "/stats/departments",
    response={200: list[DepartmentStatsOut], **errors()},
    summary="各责任单位协调事项办理情况（按期办结率）",
)
def department_stats(request: HttpRequest, query: Query[StatsQuery]):
    rows = selectors.issue_department_stats(
        user=request.auth, date_from=query.date_from, date_to=query.date_to
    )
    return [
        {**row.__dict__, "on_time_rate": float(row.on_time_rate) if row.on_time_rate is not None else None}
        for row in rows
    ]


@router.get("/{issue_id}", response={200: IssueOut, **errors(404)}, summary="协调事项详情（含督办记录）")
def issue_detail(request: HttpRequest, issue_id: Id):
    return _issue(request, issue_id)


@router.post("", response={201: IssueOut, **errors(400, 403, 404)}, summary="提出协调事项")
def issue_create(request: HttpRequest, payload: IssueIn):
    assignee = None
    if payload.assignee_id is not None:
        assignee = User.objects.get(pk=payload.assignee_id, is_active=True)
    issue = services.issue_raise(
        actor=request.auth,
        project=Project(pk=payload.project_id),
        title=payload.title,
        category=payload.category,
        department=Department.objects.get(pk=payload.department_id),
        deadline_days=payload.deadline_days,
        description=payload.description,
        assignee=assignee,
        today=timezone.localdate(),
    )
    return 201, _issue(request, issue.pk)


@router.post("/{issue_id}/start", response={200: IssueOut, **errors(400, 403, 404, 409)}, summary="开始办理")
def issue_start(request: HttpRequest, issue_id: Id, payload: VersionIn):
    services.issue_start(
        actor=request.auth, issue=CoordinationIssue(pk=issue_id), expected_version=payload.version
    )
    return _issue(request, issue_id)


@router.post("/{issue_id}/resolve", response={200: IssueOut, **errors(400, 403, 404, 409)}, summary="办结")
def issue_resolve(request: HttpRequest, issue_id: Id, payload: ResolveIn):
    services.issue_resolve(
        actor=request.auth,
        issue=CoordinationIssue(pk=issue_id),
        expected_version=payload.version,
        resolution=payload.resolution,
    )
    return _issue(request, issue_id)


@router.post("/{issue_id}/close", response={200: IssueOut, **errors(400, 403, 404, 409)}, summary="确认关闭")
def issue_close(request: HttpRequest, issue_id: Id, payload: VersionIn):
    services.issue_close(
        actor=request.auth, issue=CoordinationIssue(pk=issue_id), expected_version=payload.version
    )
    return _issue(request, issue_id)


@router.post("/{issue_id}/reopen", response={200: IssueOut, **errors(400, 403, 404, 409)}, summary="重新打开")
def issue_reopen(request: HttpRequest, issue_id: Id, payload: ReopenIn):
    services.issue_reopen(
        actor=request.auth,
        issue=CoordinationIssue(pk=issue_id),
        expected_version=payload.version,
        reason=payload.reason,
    )
    return _issue(request, issue_id)


@router.get("/{issue_id}/comments", response={200: list[CommentOut], **errors(404)}, summary="评论")
def comment_list(request: HttpRequest, issue_id: Id):
    return list(selectors.issue_comments(user=request.auth, issue=_issue(request, issue_id)))


@router.post("/{issue_id}/comments", response={201: CommentOut, **errors(400, 403, 404)}, summary="发表评论")
def comment_create(request: HttpRequest, issue_id: Id, payload: CommentIn):
    comment = services.issue_comment(
        actor=request.auth, issue=CoordinationIssue(pk=issue_id), body=payload.body
    )
    return 201, comment
