"""The project page (/projects/<id>/): its sections, htmx fragments, recorded events and the Word handbook.

Every view reads the project through ``project_get`` (the user's scope): a project out of scope is a 404 for
the page, each fragment, the handbook and every form. A recorded event calls one service; an htmx request
gets the updated section back with the sections it affects swapped out of band (the cases table with the
Gantt data, the milestone chain, the investment figures, the header and the audit trail).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from daiban.accounts.permissions import NotPermitted
from daiban.approvals import services as approvals
from daiban.approvals.models import ApprovalCase
from daiban.approvals.selectors import case_for_user
from daiban.approvals.services import common
from daiban.audit.selectors import audit_for_object
from daiban.audit.services import ConcurrentEditError
from daiban.core.errors import DomainError
from daiban.investment.models import MonthlyInvestment
from daiban.investment.services import investment_record
from daiban.projects.handbook_docx import handbook_docx_write
from daiban.projects.models import Milestone, MilestoneKind, Project
from daiban.projects.selectors import project_get
from daiban.projects.services import milestone_record
from daiban.web import forms as web_forms
from daiban.web.access import ANY_ROLE, role_required
from daiban.web.project_audit import describe_changes
from daiban.web.project_page import SECTIONS, Page, case_forms_context, section_context

PAGE_SECTIONS = ("header", "milestones", "gantt", "cases", "investment")  # the audit trail loads after
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Outcome:
    """What happened to a recorded event, shown at the top of the section it changed."""

    text: str
    level: str  # success / error
    status: int = 200


def _project(user, pk: int) -> Project:
    try:
        return project_get(user=user, pk=pk)
    except Project.DoesNotExist:
        raise Http404("项目不存在或不在您的管理范围内") from None


def _today() -> dt.date:
    # Note: the approval services' "today" (tests pin it), so clocks and date checks agree.
    return common.today()


# ------------------------------------------------------------------------------------------ pages


@role_required(*ANY_ROLE)
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request.user, pk)
    context = section_context(request.user, project, _today(), PAGE_SECTIONS)
    return render(request, "web/project.html", context)


@role_required(*ANY_ROLE)
@require_GET
def project_fragment(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One section of the page, for htmx refreshes."""
    if name not in SECTIONS:
        raise Http404("没有这一部分")
    project = _project(request.user, pk)
    context = section_context(request.user, project, _today(), (name,))
    return render(request, f"web/partials/project_{name}.html", context)


@role_required(*ANY_ROLE)
@require_GET
def case_forms(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    """The recording forms of one case, loaded when its 办理 is opened."""
    project = _project(request.user, pk)
    case = _case(request.user, project, case_pk)
    today = _today()
    context = case_forms_context(Page(request.user, project, today), case)
    return render(
        request, "web/partials/project_case_forms.html", {"project": project, "today": today, **context}
    )


@role_required(*ANY_ROLE)
@require_GET
def project_handbook(request: HttpRequest, pk: int) -> HttpResponse:
    """The Word handbook (一项目一册), named after the project."""
    project = _project(request.user, pk)
    stream = io.BytesIO()
    handbook_docx_write(user=request.user, project=project, stream=stream)
    response = HttpResponse(stream.getvalue(), content_type=DOCX)
    filename = f"{project.name}-一项目一册-{timezone.localdate():%Y%m%d}.docx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# ------------------------------------------------------------------------------------------ recorded events


@dataclass(frozen=True)
class CaseAction:
    form: type[web_forms.VersionedForm]
    done: str  # what the success message says was recorded
    record: Callable[[Any, ApprovalCase, web_forms.VersionedForm], ApprovalCase]


def _recorder(service: Callable, **fields: str) -> Callable:
    """A call of ``service`` with the form's version and the named cleaned fields (argument → form field)."""

    def record(actor, case: ApprovalCase, form: web_forms.VersionedForm) -> ApprovalCase:
        values = {argument: form.cleaned_data[field] for argument, field in fields.items()}
        return service(actor=actor, case=case, expected_version=form.expected_version, **values)

    return record


CASE_ACTIONS: dict[str, CaseAction] = {
    "submission": CaseAction(
        web_forms.SubmissionForm,
        "申报",
        _recorder(approvals.case_record_submission, submitted_on="submitted_on"),
    ),
    "acceptance": CaseAction(
        web_forms.AcceptanceForm,
        "受理",
        _recorder(approvals.case_record_acceptance, accepted_on="accepted_on"),
    ),
    "suspend": CaseAction(
        web_forms.SuspendForm,
        "挂起",
        _recorder(approvals.case_suspend, start="start", reason="reason", note="note"),
    ),
    "resume": CaseAction(web_forms.ResumeForm, "恢复计时", _recorder(approvals.case_resume, end="end")),
    "extend": CaseAction(web_forms.ExtendForm, "延期", _recorder(approvals.case_extend, days="days")),
    "decision": CaseAction(
        web_forms.DecisionForm,
        "办结",
        _recorder(
            approvals.case_record_decision,
            decided_on="decided_on",
            result="result",
            commitment_used="commitment_used",
        ),
    ),
}


@role_required(*ANY_ROLE)
@require_POST
def case_record(request: HttpRequest, pk: int, case_pk: int, action: str) -> HttpResponse:
    """Record one event of one approval case; the project is re-planned by the service."""
    spec = CASE_ACTIONS.get(action)
    if spec is None:
        raise Http404("未知的办理操作")
    project = _project(request.user, pk)
    case = _case(request.user, project, case_pk)
    form = spec.form(request.POST)
    outcome = _run(
        request,
        form,
        lambda: spec.record(request.user, case, form),
        subject=lambda: ApprovalCase.objects.get(pk=case.pk),
        name=case.name,
        done=f"已记录“{case.name}”的{spec.done}，计划已按实际重新排期",
    )
    return _respond(request, project, "cases", ("gantt", "header", "audit"), outcome)


@role_required(*ANY_ROLE)
@require_POST
def milestone_save(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    project = _project(request.user, pk)
    kind = MilestoneKind.objects.filter(code=code, is_active=True).first()
    if kind is None:
        raise Http404("未知的节点")
    form = web_forms.MilestoneForm(request.POST)

    def record() -> Milestone:
        return milestone_record(
            actor=request.user,
            project=project,
            kind_code=code,
            planned_on=form.cleaned_data["planned_on"],
            actual_on=form.cleaned_data["actual_on"],
            expected_version=form.expected_version,
        )

    outcome = _run(
        request,
        form,
        record,
        subject=lambda: Milestone.objects.filter(project=project, kind=kind).first(),
        name=f"{kind.name}节点",
        done=f"已记录“{kind.name}”节点",
    )
    return _respond(request, project, "milestones", ("header", "audit"), outcome)


@role_required(*ANY_ROLE)
@require_POST
def investment_save(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request.user, pk)
    form = web_forms.InvestmentForm(request.POST)

    def record() -> MonthlyInvestment:
        data = form.cleaned_data
        return investment_record(
            actor=request.user,
            project=project,
            year=data["year"],
            month=data["month"],
            amount=data["amount"],
            funds_in_place=data["funds_in_place"],
            expected_version=form.expected_version,
        )

    def subject() -> MonthlyInvestment | None:
        data = form.cleaned_data
        return MonthlyInvestment.objects.filter(
            project=project, year=data["year"], month=data["month"]
        ).first()

    month = "".join(ch for ch in request.POST.get("month", "")[:2] if ch.isdigit())  # only for the message
    outcome = _run(
        request, form, record, subject=subject, name=f"{month}月投资", done=f"已保存 {month} 月投资"
    )
    return _respond(request, project, "investment", ("header", "audit"), outcome)


def _case(user, project: Project, case_pk: int) -> ApprovalCase:
    try:
        return case_for_user(user).get(pk=case_pk, project=project)
    except ApprovalCase.DoesNotExist:
        raise Http404("办件不存在或不在您的管理范围内") from None


def _run(
    request: HttpRequest,
    form: web_forms.VersionedForm,
    call: Callable[[], Any],
    *,
    subject: Callable[[], models.Model | None],
    name: str,
    done: str,
) -> Outcome:
    """Validate, call the service, and turn its answer into a message: the one place errors are mapped."""
    if not form.is_valid():
        return Outcome(web_forms.form_errors(form), "error", 422)
    try:
        call()
    except ConcurrentEditError as error:
        return Outcome(conflict_text(request.user, subject(), name, error), "error", 409)
    except NotPermitted as error:
        return Outcome(str(error), "error", 403)
    except DomainError as error:
        return Outcome(str(error), "error", 422)
    except ObjectDoesNotExist:
        # Note: the services re-check the scope inside their transaction (the project may have left it).
        raise Http404("项目不存在或不在您的管理范围内") from None
    return Outcome(done, "success")


def conflict_text(user, row: models.Model | None, name: str, error: ConcurrentEditError) -> str:
    """Who changed the row, when, and what (from its latest audit entry); nothing was saved."""
    when = timezone.localtime(error.changed_at).strftime("%Y-%m-%d %H:%M") if error.changed_at else "刚才"
    text = f"未保存：“{name}”已被 {error.changed_by} 于 {when} 修改"
    entry = audit_for_object(user=user, obj=row).first() if row is not None else None
    if entry is not None:
        what = "；".join(describe_changes(entry.model_label, entry.changes, limit=3))
        note = f"{entry.note}：" if entry.note else ""
        if what or note:
            text += f"（{note}{what}）".replace("：）", "）")
    return text + "。页面已显示最新数据，请核对后重新提交。"


def _respond(
    request: HttpRequest, project: Project, primary: str, others: tuple[str, ...], outcome: Outcome
) -> HttpResponse:
    """htmx: the changed section plus the affected ones out of band. Otherwise: back to the page."""
    user, today = request.user, _today()
    project = _project(user, project.pk)  # re-read: the event may have changed it (current milestone)
    if request.htmx:
        context = section_context(user, project, today, (primary, *others))
        context |= {
            "outcome": outcome,
            "outcome_section": primary,
            "primary": primary,
            "oob_sections": others,
        }
        return render(request, "web/partials/project_response.html", context, status=outcome.status)
    if outcome.level == "success":
        messages.success(request, outcome.text)
        return redirect(f"{project_url(project)}#project-{primary}")
    context = section_context(user, project, today, PAGE_SECTIONS)
    context |= {"outcome": outcome, "outcome_section": primary}
    return render(request, "web/project.html", context, status=outcome.status)


def project_url(project: Project) -> str:
    return f"/projects/{project.pk}/"
