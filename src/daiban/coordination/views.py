"""Issue pages: the list, one issue (actions via htmx with the version check), the new-issue form, the
project page's fragment and attachment downloads. Every read goes through the coordination selectors'
scope: an issue or project out of scope is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daiban.accounts.permissions import NotPermitted
from daiban.audit.services import ConcurrentEditError
from daiban.coordination import forms, permissions, selectors, services
from daiban.coordination.models import ACTIVE_STATUSES, CoordinationIssue, IssueStatus
from daiban.coordination.services import lifecycle
from daiban.core.errors import DomainError
from daiban.projects.models import Project
from daiban.projects.selectors import project_get
from daiban.web.access import ANY_ROLE, role_required
from daiban.web.forms import form_errors
from daiban.web.views_project import Outcome, conflict_text

STAFF_ROLES = ("admin", "leader", "dispatcher", "butler", "specialist")
PAGE_SIZE = 50


def _issue(user, pk: int) -> CoordinationIssue:
    try:
        return selectors.issue_get(user=user, pk=pk)
    except CoordinationIssue.DoesNotExist:
        raise Http404("协调事项不存在或不在您的管理范围内") from None


def _project(user, pk: int) -> Project:
    try:
        return project_get(user=user, pk=pk)
    except Project.DoesNotExist:
        raise Http404("项目不存在或不在您的管理范围内") from None


# ------------------------------------------------------------------------------------------ list


@role_required(*STAFF_ROLES)
@require_GET
def issue_list(request: HttpRequest) -> HttpResponse:
    user, today = request.user, lifecycle.today()
    form = forms.FilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    escalated = {"1": True, "0": False}.get(data.get("escalated") or "")
    issues = selectors.issue_list_visible(
        user=user,
        status=data.get("status") or None,
        light=data.get("light") or None,
        escalated=escalated,
        department=data.get("department"),
        project=data.get("project"),
        category=data.get("category") or None,
        search=data.get("q"),
        today=today,
    )
    issues = issues.annotate(done=Case(When(status__in=ACTIVE_STATUSES, then=0), default=1)).order_by(
        "done", "-level", "due_on", "-pk"
    )
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "open_projects": _open_projects(user, [issue.project_id for issue in page]),
        "rows": [(issue, selectors.issue_light(issue, today)) for issue in page],
        "counts": selectors.issue_counts(user=user, today=today),
        "filtered_total": page.paginator.count,
        "filters_active": any(request.GET.get(name) for name in form.fields),
        "query": _query_without_page(request),
    }
    return render(request, "coordination/issue_list.html", context)


def _open_projects(user, pks: list[int]) -> set[int]:
    """The projects whose page the user may open. Note: a department sees the issues assigned to it on
    projects outside its own scope; those show the project's name without a link that would answer 404."""
    return set(Project.objects.for_user(user).filter(pk__in=pks).values_list("pk", flat=True))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# ------------------------------------------------------------------------------------------ one issue


def detail_context(user, issue: CoordinationIssue, **extra: Any) -> dict:
    today = lifecycle.today()
    reading = selectors.issue_reading(issue, today)
    holdings = {h.level: h for h in selectors.issue_holdings(user=user, issue=issue)}
    ladder = []
    for span in reading.spans:
        if span.level < issue.level or (span.level == issue.level and issue.status not in ACTIVE_STATUSES):
            state = "past" if span.level < issue.level else "last"
        elif span.level == issue.level:
            state = "current"
        else:
            state = "future"
        ladder.append({"span": span, "holding": holdings.get(span.level), "state": state})
    return {
        "issue": issue,
        "today": today,
        "open_projects": _open_projects(user, [issue.project_id]),
        "light": selectors.issue_light(issue, today),
        "reading": reading,
        "ladder": ladder,
        "comments": selectors.issue_comments(user=user, issue=issue),
        "attachments": selectors.issue_attachments(user=user, issue=issue),
        "can_work": permissions.can_work_issue(actor=user, issue=issue),
        "can_close": permissions.can_close_issue(actor=user, issue=issue),
        "can_comment": permissions.can_comment_issue(actor=user, issue=issue),
        "can_attach": permissions.can_attach_issue(actor=user, issue=issue),
        "max_upload_mb": services.files.max_bytes() // (1024 * 1024),
        **extra,
    }


@role_required(*STAFF_ROLES)
@require_GET
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request.user, pk)
    return render(request, "coordination/issue_detail.html", detail_context(request.user, issue))


ACTIONS: dict[str, tuple[type, str, Callable]] = {
    "start": (
        forms.VersionedForm,
        "已开始办理",
        lambda user, issue, form: services.issue_start(
            actor=user, issue=issue, expected_version=form.expected_version
        ),
    ),
    "resolve": (
        forms.ResolveForm,
        "已办结，待提出人确认关闭",
        lambda user, issue, form: services.issue_resolve(
            actor=user,
            issue=issue,
            expected_version=form.expected_version,
            resolution=form.cleaned_data["resolution"],
        ),
    ),
    "close": (
        forms.VersionedForm,
        "已关闭",
        lambda user, issue, form: services.issue_close(
            actor=user, issue=issue, expected_version=form.expected_version
        ),
    ),
    "reopen": (
        forms.ReopenForm,
        "已重新打开",
        lambda user, issue, form: services.issue_reopen(
            actor=user,
            issue=issue,
            expected_version=form.expected_version,
            reason=form.cleaned_data["reason"],
        ),
    ),
}


@role_required(*STAFF_ROLES)
@require_POST
def issue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("未知的操作")
    form_class, done, call = spec
    issue = _issue(request.user, pk)
    form = form_class(request.POST)
    outcome = _run(request, form, lambda: call(request.user, issue, form), issue=issue, done=done)
    return _respond(request, issue, outcome)


@role_required(*STAFF_ROLES)
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request.user, pk)
    form = forms.CommentForm(request.POST)
    call = lambda: services.issue_comment(actor=request.user, issue=issue, body=form.cleaned_data["body"])  # noqa: E731
    outcome = _run(request, form, call, issue=issue, done="已发表评论")
    return _respond(request, issue, outcome)


@role_required(*STAFF_ROLES)
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request.user, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)
    call = lambda: services.issue_attach(actor=request.user, issue=issue, upload=form.cleaned_data["file"])  # noqa: E731
    outcome = _run(request, form, call, issue=issue, done="附件已上传")
    return _respond(request, issue, outcome)


@role_required(*STAFF_ROLES)
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        attachment = selectors.issue_attachment_get(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404("附件不存在或不在您的管理范围内") from None
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已丢失") from None
    return FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )


def _run(
    request: HttpRequest, form, call: Callable[[], Any], *, issue: CoordinationIssue, done: str
) -> Outcome:
    if not form.is_valid():
        return Outcome(form_errors(form), "error", 422)
    try:
        call()
    except ConcurrentEditError as error:
        fresh = CoordinationIssue.objects.get(pk=issue.pk)
        return Outcome(conflict_text(request.user, fresh, issue.title, error), "error", 409)
    except NotPermitted as error:
        return Outcome(str(error), "error", 403)
    except DomainError as error:
        return Outcome(str(error), "error", 422)
    except ObjectDoesNotExist:
        raise Http404("协调事项不存在或不在您的管理范围内") from None
    return Outcome(done, "success")


def _respond(request: HttpRequest, issue: CoordinationIssue, outcome: Outcome) -> HttpResponse:
    """htmx: the issue's body with the outcome on top; otherwise back to the page (or it with the error)."""
    issue = _issue(request.user, issue.pk)
    if request.htmx:
        context = detail_context(request.user, issue, outcome=outcome)
        return render(request, "coordination/partials/issue_body.html", context, status=outcome.status)
    if outcome.level == "success":
        messages.success(request, outcome.text)
        return redirect(f"/issues/{issue.pk}/")
    context = detail_context(request.user, issue, outcome=outcome)
    return render(request, "coordination/issue_detail.html", context, status=outcome.status)


# ------------------------------------------------------------------------------------------ new issue


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def issue_new(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("project") or request.POST.get("project") or ""
    if not raw.isdigit():
        raise Http404("请从项目页面提出协调事项")
    project = _project(request.user, int(raw))
    if not permissions.can_raise_issue(actor=request.user, project=project):
        raise PermissionDenied("只有本项目的服务团队、调度或管理员可以提出协调事项")
    form = forms.IssueForm(request.POST or None, initial={"department": project.responsible_department_id})
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issue = services.issue_raise(
                actor=request.user,
                project=project,
                title=data["title"],
                category=data["category"],
                department=data["department"],
                deadline_days=data["deadline_days"],
                description=data["description"],
                assignee=data["assignee"],
                today=lifecycle.today(),
            )
        except DomainError as failure:
            error = str(failure)
        else:
            messages.success(request, f"已提出协调事项“{issue.title}”，到期日 {issue.due_on:%Y-%m-%d}")
            return redirect(f"/issues/{issue.pk}/")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "coordination/issue_new.html",
        {"form": form, "project": project, "error": error},
        status=status,
    )


# ------------------------------------------------------------------------------------------ project fragment


@role_required(*ANY_ROLE)
@require_GET
def project_issues(request: HttpRequest, pk: int) -> HttpResponse:
    """The "协调事项" card of the project page. Enterprise users get an empty answer: issues are internal."""
    user = request.user
    project = _project(user, pk)
    if not user.has_role(*STAFF_ROLES):
        return HttpResponse("")
    today = lifecycle.today()
    issues = selectors.issue_list_visible(user=user, project=project, today=today)
    ordered = issues.annotate(done=Case(When(status__in=ACTIVE_STATUSES, then=0), default=1)).order_by(
        "done", "due_on", "pk"
    )
    rows = [(issue, selectors.issue_light(issue, today)) for issue in ordered[:50]]
    context = {
        "project": project,
        "rows": rows,
        "counts": selectors.issue_counts(user=user, issues=issues, today=today),
        "can_raise": permissions.can_raise_issue(actor=user, project=project),
        "statuses": IssueStatus,
    }
    return render(request, "coordination/partials/project_issues.html", context)
