"""API of approval cases (办件): a project's cases, one case, and recording progress with the version read.

Every write names the case by id; the services lock the case's project in the actor's scope first, so a case
of a project the caller may not see is a 404, and one the caller sees but may not handle is a 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from daiban.api.problems import errors
from daiban.api.schemas import Id, PageParams, page_of, text
from daiban.approvals.models import ApprovalCase, CaseResult, SuspensionReason
from daiban.approvals.selectors import case_get, cases_for_project, cases_overdue
from daiban.approvals.services import (
    case_extend,
    case_record_acceptance,
    case_record_decision,
    case_record_submission,
    case_resume,
    case_suspend,
)

router = Router(tags=["审批办件"])
WRITE_ERRORS = errors(400, 403, 404, 409)


# ---------------------------------------------------------------------------------------------- schemas


class CaseOut(Schema):
    id: int
    project_id: int
    item_code: str
    name: str
    stage: str
    stage_label: str
    department: str
    level: str
    statutory_days: int | None
    statutory_unit: str
    promised_days: int | None
    promised_unit: str
    extension_days: int
    extension_days_granted: int
    commitment: bool
    tolerated_gap: bool
    prerequisites: list[str]
    conventional_start: dt.date | None
    conventional_finish: dt.date | None
    agency_start: dt.date | None
    agency_finish: dt.date | None
    planned_start: dt.date | None
    planned_finish: dt.date | None
    total_float: int | None = Field(..., description="机动时间（工作日）")
    critical: bool
    submitted_on: dt.date | None
    accepted_on: dt.date | None
    decided_on: dt.date | None
    result: str
    commitment_used: bool
    sla_state: str
    due_on: dt.date | None
    statutory_due_on: dt.date | None
    overdue_days: int
    light: str
    version: int

    @staticmethod
    def resolve_stage_label(case: ApprovalCase) -> str:
        return case.get_stage_display()

    @staticmethod
    def resolve_department(case: ApprovalCase) -> str:
        return case.department.name if case.department else case.department_name


class SuspensionOut(Schema):
    start: dt.date
    end: dt.date | None
    reason: str
    reason_label: str
    note: str

    @staticmethod
    def resolve_reason_label(suspension) -> str:
        return suspension.get_reason_display()


class CaseDetailOut(CaseOut):
    project_name: str
    statutory_source: str
    promised_source: str
    materials: list[str | dict]
    suspensions: list[SuspensionOut]

    @staticmethod
    def resolve_project_name(case: ApprovalCase) -> str:
        return case.project.name

    @staticmethod
    def resolve_suspensions(case: ApprovalCase) -> list:
        return list(case.suspensions(manager="objects").all())


class OverdueCaseOut(CaseOut):
    project_name: str

    @staticmethod
    def resolve_project_name(case: ApprovalCase) -> str:
        return case.project.name


class OverduePageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[OverdueCaseOut]


class VersionIn(Schema):
    version: int = Field(..., ge=1, description="读取时的版本号；已被他人修改则返回 409")


class SubmissionIn(VersionIn):
    submitted_on: dt.date


class AcceptanceIn(VersionIn):
    accepted_on: dt.date


class SuspensionIn(VersionIn):
    start: dt.date
    reason: Literal[tuple(SuspensionReason.values)]
    note: text(300) = ""


class ResumeIn(VersionIn):
    end: dt.date


class ExtensionIn(VersionIn):
    days: int = Field(..., ge=1, le=366)


class DecisionIn(VersionIn):
    decided_on: dt.date
    result: Literal[tuple(CaseResult.values)]
    commitment_used: bool = False


# ---------------------------------------------------------------------------------------------- reads


@router.get(
    "/projects/{project_id}/cases", response={200: list[CaseOut], **errors(404)}, summary="项目的审批办件"
)
def case_list(request: HttpRequest, project_id: Id):
    return cases_for_project(user=request.auth, project=project_id)


@router.get("/cases/overdue", response={200: OverduePageOut, **errors()}, summary="逾期办件（逾期最久在前）")
def case_overdue_list(request: HttpRequest, page: Query[PageParams]):
    return page_of(cases_overdue(user=request.auth), page)


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **errors(404)}, summary="办件详情")
def case_detail(request: HttpRequest, case_id: Id):
    return case_get(user=request.auth, pk=case_id)


# ---------------------------------------------------------------------------------------------- writes


@router.post("/cases/{case_id}/submission", response={200: CaseOut, **WRITE_ERRORS}, summary="记录申报")
def case_submission(request: HttpRequest, case_id: Id, payload: SubmissionIn):
    return case_record_submission(
        actor=request.auth,
        case=ApprovalCase(pk=case_id),
        expected_version=payload.version,
        submitted_on=payload.submitted_on,
    )


@router.post("/cases/{case_id}/acceptance", response={200: CaseOut, **WRITE_ERRORS}, summary="记录受理")
def case_acceptance(request: HttpRequest, case_id: Id, payload: AcceptanceIn):
    return case_record_acceptance(
        actor=request.auth,
        case=ApprovalCase(pk=case_id),
        expected_version=payload.version,
        accepted_on=payload.accepted_on,
    )


@router.post(
    "/cases/{case_id}/suspension", response={200: CaseOut, **WRITE_ERRORS}, summary="挂起（停止计时）"
)
def case_suspension(request: HttpRequest, case_id: Id, payload: SuspensionIn):
    return case_suspend(
        actor=request.auth,
        case=ApprovalCase(pk=case_id),
        expected_version=payload.version,
        start=payload.start,
        reason=payload.reason,
        note=payload.note,
    )


@router.post("/cases/{case_id}/resume", response={200: CaseOut, **WRITE_ERRORS}, summary="恢复计时")
def case_resumption(request: HttpRequest, case_id: Id, payload: ResumeIn):
    return case_resume(
        actor=request.auth, case=ApprovalCase(pk=case_id), expected_version=payload.version, end=payload.end
    )


@router.post("/cases/{case_id}/extension", response={200: CaseOut, **WRITE_ERRORS}, summary="延期（一次）")
def case_extension(request: HttpRequest, case_id: Id, payload: ExtensionIn):
    return case_extend(
        actor=request.auth, case=ApprovalCase(pk=case_id), expected_version=payload.version, days=payload.days
    )


@router.post("/cases/{case_id}/decision", response={200: CaseOut, **WRITE_ERRORS}, summary="记录办结")
def case_decision(request: HttpRequest, case_id: Id, payload: DecisionIn):
    return case_record_decision(
        actor=request.auth,
        case=ApprovalCase(pk=case_id),
        expected_version=payload.version,
        decided_on=payload.decided_on,
        result=payload.result,
        commitment_used=payload.commitment_used,
    )
