"""Pages of policies (/policies/…): the list with reach and totals, one policy with its eligible enterprises
and their payout, the edit form, and the project page's "惠企政策" fragment.

Policies are visible to every signed-in user with a role; matches are read through
``PolicyMatch.objects.for_user`` only, so an enterprise sees its own and nothing else (404 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daiban.accounts.permissions import NotPermitted
from daiban.audit.services import ConcurrentEditError
from daiban.core.errors import DomainError
from daiban.core.policy import ENTERPRISE_FACTS, PROJECT_FACTS
from daiban.policies import forms, services
from daiban.policies.models import MatchStatus, Policy, PolicyMatch
from daiban.policies.permissions import can_edit_policy, can_record_application, can_record_payout
from daiban.policies.selectors import (
    PolicyFigures,
    match_get,
    matches_of_policy,
    matches_of_project,
    policy_figures,
    policy_list,
)
from daiban.policies.services import common
from daiban.projects.selectors import project_get
from daiban.web.access import ANY_ROLE, role_required
from daiban.web.forms import form_errors

PAGE_SIZE = 100


def _policy(pk: int) -> Policy:
    try:
        return Policy.objects.get(pk=pk)
    except Policy.DoesNotExist:
        raise Http404("政策不存在") from None


def _described(policy: Policy) -> str:
    condition = services.policy_condition(policy)
    return condition.describe() if condition is not None else ""


@role_required(*ANY_ROLE)
@require_GET
def policy_index(request: HttpRequest) -> HttpResponse:
    policies = list(policy_list())
    figures = policy_figures(user=request.user, policies=policies)
    rows = [(policy, figures.get(policy.pk, PolicyFigures())) for policy in policies]
    context = {"rows": rows, "can_edit": can_edit_policy(actor=request.user), "today": common.current_day()}
    return render(request, "policies/list.html", context)


@role_required(*ANY_ROLE)
@require_GET
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(pk)
    # Note: paged, since a district-wide policy may match thousands of projects.
    page = Paginator(matches_of_policy(user=request.user, policy=policy), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    matches = list(page.object_list)
    context = {
        "page": page,
        "policy": policy,
        "described": _described(policy),
        "figures": policy_figures(user=request.user, policies=[policy]).get(policy.pk, PolicyFigures()),
        "rows": [_row(request.user, match) for match in matches],
        "can_edit": can_edit_policy(actor=request.user),
        "today": common.current_day(),
    }
    return render(request, "policies/detail.html", context)


@role_required(*ANY_ROLE)
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can_edit_policy(actor=request.user):
        raise PermissionDenied("只有管理员或调度可以维护惠企政策")
    policy = _policy(pk) if pk is not None else None
    if request.method == "GET":
        initial = {"level": "project", "is_active": True}
        if policy is not None:
            initial = {name: getattr(policy, name) for name in forms.PolicyForm.base_fields}
            initial["version"] = policy.version
        return _edit_page(request, policy, forms.PolicyForm(initial=initial))
    form = forms.PolicyForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, policy, form, status=422)
    try:
        saved = services.policy_save(
            actor=request.user,
            policy=policy,
            expected_version=form.expected_version if policy else None,
            **form.changes(),
        )
    except (DomainError, ConcurrentEditError) as error:
        form.add_error(None, str(error))
        return _edit_page(
            request, policy, form, status=409 if isinstance(error, ConcurrentEditError) else 422
        )
    if saved.rule_error:
        messages.error(request, f"已保存，但规则有误，该政策不会被评估：{saved.rule_error}")
    else:
        messages.success(request, f"已保存政策“{saved.name}”，将在下次每日评估时匹配企业")
    return redirect(f"/policies/{saved.pk}/")


def _edit_page(request: HttpRequest, policy: Policy | None, form, status: int = 200) -> HttpResponse:
    facts = [
        (name, field, "企业" if name in ENTERPRISE_FACTS else "项目")
        for name, field in (ENTERPRISE_FACTS | PROJECT_FACTS).items()
    ]
    context = {"policy": policy, "form": form, "facts": facts}
    return render(request, "policies/edit.html", context, status=status)


@role_required(*ANY_ROLE)
@require_POST
def policy_load_examples(request: HttpRequest) -> HttpResponse:
    if not can_edit_policy(actor=request.user):
        raise PermissionDenied("只有管理员或调度可以导入示例政策")
    created, present = services.policy_load_examples(actor=request.user)
    messages.success(request, f"已导入 {created} 项示例政策（{present} 项此前已存在，未改动）")
    return redirect("/policies/")


# ---------------------------------------------------------------------------------------------- payout


@dataclass(frozen=True)
class MatchRow:
    match: PolicyMatch
    can_apply: bool
    can_approve: bool
    can_pay: bool

    @property
    def has_forms(self) -> bool:
        return self.can_apply or self.can_approve or self.can_pay


def _row(user, match: PolicyMatch) -> MatchRow:
    status = match.status
    return MatchRow(
        match,
        can_apply=can_record_application(actor=user)
        and not match.policy.no_application
        and status in (MatchStatus.MATCHED, MatchStatus.NOTIFIED),
        can_approve=can_record_payout(actor=user) and status in (MatchStatus.APPLIED, MatchStatus.GRANTED),
        can_pay=can_record_payout(actor=user) and status == MatchStatus.APPROVED,
    )


ACTIONS = {
    "apply": (forms.ApplyForm, services.match_apply, "申报"),
    "approve": (forms.ApproveForm, services.match_approve, "审核"),
    "pay": (forms.PayForm, services.match_pay, "拨付"),
}


@role_required(*ANY_ROLE)
@require_POST
def match_record(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One payout step of one match; htmx gets the match's row back with the outcome."""
    if action not in ACTIONS:
        raise Http404("未知的兑现操作")
    form_class, service, label = ACTIONS[action]
    try:
        match = match_get(user=request.user, pk=pk)
    except PolicyMatch.DoesNotExist:
        raise Http404("政策匹配不存在或不在您的查看范围内") from None
    form = form_class(request.POST)
    status, level, text = 200, "success", f"已记录{label}"
    if not form.is_valid():
        status, level, text = 422, "error", form_errors(form)
    else:
        values = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            service(actor=request.user, match=match, expected_version=form.expected_version, **values)
        except ConcurrentEditError as error:
            status, level, text = 409, "error", f"未保存：{error}"
        except NotPermitted as error:
            status, level, text = 403, "error", str(error)
        except DomainError as error:
            status, level, text = 422, "error", str(error)
        except ObjectDoesNotExist:
            raise Http404("政策匹配不存在或不在您的查看范围内") from None
    if not request.htmx:
        (messages.success if level == "success" else messages.error)(request, text)
        return redirect(f"/policies/{match.policy_id}/#match-{match.pk}")
    fresh = match_get(user=request.user, pk=pk)
    context = {"row": _row(request.user, fresh), "outcome": {"text": text, "level": level}}
    context["today"] = common.current_day()
    return render(request, "policies/partials/match_row.html", context, status=status)


# ---------------------------------------------------------------------------------------------- fragment


@role_required(*ANY_ROLE)
@require_GET
def project_policies(request: HttpRequest, pk: int) -> HttpResponse:
    """The project page's card: the policies matched by this project and by its enterprise."""
    try:
        project = project_get(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404("项目不存在或不在您的管理范围内") from None
    matches = list(matches_of_project(user=request.user, project=project)) if project.enterprise_id else []
    return render(request, "policies/partials/project_card.html", {"project": project, "matches": matches})
