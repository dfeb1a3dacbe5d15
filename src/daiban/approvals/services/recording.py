"""Recording a case's progress: submission, acceptance, suspensions, extension, decision.

Each service locks the project row first, then the case: two people recording cases of one project are
serialized, so the project re-plan (which writes every case of the project) cannot deadlock. The version the
user saw is checked; every write is audited; acceptance and decision re-plan the project.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from daiban.accounts.permissions import require
from daiban.approvals import planning
from daiban.approvals.models import ApprovalCase, CaseResult, CaseSuspension, SuspensionReason
from daiban.approvals.services import common
from daiban.approvals.services.generation import project_replan
from daiban.audit.services import ConcurrentEditError, create_tracked, update_versioned
from daiban.core.errors import DomainError


@transaction.atomic
def case_record_submission(
    *, actor, case: ApprovalCase, expected_version: int | None, submitted_on: dt.date
) -> ApprovalCase:
    """The applicant submitted the application (申报); the clock does not start yet."""
    case = _case_for_write(actor, case, expected_version)
    _not_future(submitted_on, f"“{case.name}”的申报日期")
    if case.decided_on:
        raise DomainError(f"“{case.name}”已办结，不能再修改申报日期")
    if case.accepted_on and submitted_on > case.accepted_on:
        raise DomainError(f"“{case.name}”的申报日期 {submitted_on} 不能晚于受理日期 {case.accepted_on}")
    return _write(case, actor, {"submitted_on": submitted_on}, note="记录申报")


@transaction.atomic
def case_record_acceptance(
    *, actor, case: ApprovalCase, expected_version: int | None, accepted_on: dt.date
) -> ApprovalCase:
    """The department accepted the application (受理): the clock starts; the project is re-planned."""
    case = _case_for_write(actor, case, expected_version)
    _not_future(accepted_on, f"“{case.name}”的受理日期")
    if case.decided_on:
        raise DomainError(f"“{case.name}”已办结，不能再修改受理日期")
    if case.submitted_on is None:
        raise DomainError(f"“{case.name}”尚未记录申报，请先记录申报日期再记录受理")
    if accepted_on < case.submitted_on:
        raise DomainError(f"“{case.name}”的受理日期 {accepted_on} 不能早于申报日期 {case.submitted_on}")
    case = _write(case, actor, {"accepted_on": accepted_on}, note="记录受理")
    return _replanned(case)


@transaction.atomic
def case_suspend(
    *, actor, case: ApprovalCase, expected_version: int | None, start: dt.date, reason: str, note: str = ""
) -> ApprovalCase:
    """Stop the clock from ``start`` (补正, 专家评审, 听证, 检测) until case_resume."""
    case = _case_for_write(actor, case, expected_version)
    _open_and_accepted(case, "挂起")
    _not_future(start, f"“{case.name}”的挂起开始日期")
    if reason not in SuspensionReason.values:
        raise DomainError(f"未知的挂起原因“{reason}”（可选：{'、'.join(SuspensionReason.labels)}）")
    if start < case.accepted_on:
        raise DomainError(f"“{case.name}”的挂起开始日期 {start} 不能早于受理日期 {case.accepted_on}")
    previous = list(case.suspensions(manager="objects").all())
    if any(s.end is None for s in previous):
        raise DomainError(f"“{case.name}”已处于挂起状态，请先记录恢复计时")
    last_end = max((s.end for s in previous), default=None)
    if last_end and start <= last_end:
        raise DomainError(f"“{case.name}”的挂起开始日期 {start} 应晚于上次挂起的结束日期 {last_end}")
    create_tracked(CaseSuspension, actor=actor, case=case, start=start, reason=reason, note=note.strip())
    return _write(case, actor, {}, note=f"挂起（{SuspensionReason(reason).label}）")


@transaction.atomic
def case_resume(*, actor, case: ApprovalCase, expected_version: int | None, end: dt.date) -> ApprovalCase:
    """The suspension's condition is cleared on ``end`` (inclusive); the clock runs again the next day."""
    case = _case_for_write(actor, case, expected_version)
    _not_future(end, f"“{case.name}”的恢复日期")
    suspension = case.suspensions(manager="objects").filter(end__isnull=True).first()
    if suspension is None:
        raise DomainError(f"“{case.name}”没有未结束的挂起，无需恢复计时")
    if end < suspension.start:
        raise DomainError(f"“{case.name}”的挂起结束日期 {end} 不能早于挂起开始日期 {suspension.start}")
    update_versioned(
        suspension, actor=actor, expected_version=None, changes={"end": end}, audit_note="恢复计时"
    )
    return _write(case, actor, {}, note="恢复计时")


@transaction.atomic
def case_extend(*, actor, case: ApprovalCase, expected_version: int | None, days: int) -> ApprovalCase:
    """Grant the one extension (延期) the law allows, at most the item's extension days."""
    case = _case_for_write(actor, case, expected_version)
    _open_and_accepted(case, "延期")
    if days <= 0:
        raise DomainError(f"延期天数必须为正数：{days}")
    if case.extension_days_granted:
        raise DomainError(f"“{case.name}”已延期 {case.extension_days_granted} 天，延期只能批准一次")
    if days > case.extension_days:
        allowed = f"最多可延长 {case.extension_days} 天" if case.extension_days else "事项库未规定可延期"
        raise DomainError(f"“{case.name}”不能延期 {days} 天：{allowed}")
    return _write(case, actor, {"extension_days_granted": days}, note=f"延期 {days} 天")


@transaction.atomic
def case_record_decision(
    *,
    actor,
    case: ApprovalCase,
    expected_version: int | None,
    decided_on: dt.date,
    result: str,
    commitment_used: bool = False,
) -> ApprovalCase:
    """The department decided (办结); the project is re-planned from the actual finish."""
    case = _case_for_write(actor, case, expected_version)
    _not_future(decided_on, f"“{case.name}”的办结日期")
    if case.decided_on:
        raise DomainError(f"“{case.name}”已于 {case.decided_on} 办结，不能重复记录")
    if case.accepted_on is None:
        raise DomainError(f"“{case.name}”尚未受理，请先记录受理再记录办结")
    if decided_on < case.accepted_on:
        raise DomainError(f"“{case.name}”的办结日期 {decided_on} 不能早于受理日期 {case.accepted_on}")
    if result not in CaseResult.values:
        raise DomainError(f"未知的办理结果“{result}”（可选：{'、'.join(CaseResult.labels)}）")
    if commitment_used and not case.commitment:
        raise DomainError(f"“{case.name}”在本项目的办事手册中不适用告知承诺")
    changes = {"decided_on": decided_on, "result": result, "commitment_used": commitment_used}
    case = _write(case, actor, changes, note=f"记录办结（{CaseResult(result).label}）")
    return _replanned(case)


def _case_for_write(actor, case: ApprovalCase, expected_version: int | None) -> ApprovalCase:
    """The case re-read under lock (project first), in scope, permitted and at the version the user saw."""
    project_id = ApprovalCase.objects.filter(pk=case.pk).values_list("project_id", flat=True).first()
    if project_id is None:
        raise ApprovalCase.DoesNotExist(f"办件 {case.pk} 不存在或已删除")
    project = common.lock_project(actor, project_id)
    fresh = ApprovalCase.objects.select_for_update().get(pk=case.pk)
    fresh.project = project
    require(
        actor is None or common.can_record_case(actor=actor, project=project),
        f"您没有办理“{fresh.name}”的权限",
    )
    if expected_version is not None and fresh.version != expected_version:
        raise ConcurrentEditError(ApprovalCase.all_objects.select_related("updated_by").get(pk=fresh.pk))
    return fresh


def _not_future(day: dt.date, what: str) -> None:
    if day > common.today():
        raise DomainError(f"{what} {day} 晚于今天，不能预先记录")


def _open_and_accepted(case: ApprovalCase, action: str) -> None:
    if case.accepted_on is None:
        raise DomainError(f"“{case.name}”尚未受理，不能{action}")
    if case.decided_on:
        raise DomainError(f"“{case.name}”已办结，不能{action}")


def _write(case: ApprovalCase, actor, changes: dict[str, Any], *, note: str) -> ApprovalCase:
    """Apply ``changes`` with the fresh SLA reading, audited; the version always moves on.

    Note: a suspension or resumption changes the case as a person sees it even when no stored field of the
    case differs (e.g. an overdue case stays overdue), so the version is bumped then too: a form opened
    before it must be refused.
    """
    version = case.version
    for name, value in changes.items():
        setattr(case, name, value)
    suspensions = list(case.suspensions(manager="objects").all())
    # The core checks the dates against each other (e.g. a suspension before the acceptance).
    sla = planning.sla_values(case, suspensions, today=common.today())
    case = update_versioned(
        case, actor=actor, expected_version=version, changes=changes | sla, audit_note=note
    )
    if case.version == version:
        case.updated_at = timezone.now()
        ApprovalCase.objects.filter(pk=case.pk, version=version).update(
            version=F("version") + 1,
            updated_at=case.updated_at,
            updated_by=actor if getattr(actor, "pk", None) else None,
        )
        case.version += 1
    return case


def _replanned(case: ApprovalCase) -> ApprovalCase:
    project_replan(project=case.project_id, status_date=common.today())
    return ApprovalCase.objects.select_related("project").get(pk=case.pk)
