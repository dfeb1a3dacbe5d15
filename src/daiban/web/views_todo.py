"""我的待办 (/todo/): the butler's and the specialist's home — what needs doing, most urgent first.

Cases overdue or due within a week (as of the last daily tick, through the approval selectors) and lifecycle
milestones planned up to the end of this month and not reached yet. Overdue items come first, the longest
overdue first (the earliest due date), then the rest by due date. A specialist sees the cases of his own
department; milestones are listed for the people who record them (not for specialists).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from daiban.approvals import planning
from daiban.approvals.models import ApprovalCase
from daiban.approvals.selectors import cases_due_soon, cases_overdue
from daiban.approvals.services import common
from daiban.core.pacing import month_end
from daiban.projects.models import Milestone
from daiban.web.access import ANY_ROLE, role_required

DUE_WITHIN_WORKDAYS = 5
LIMIT = 300


@dataclass(frozen=True)
class TodoItem:
    kind: str  # 办件 / 节点
    title: str
    project_id: int
    project_name: str
    department: str
    due_on: dt.date
    overdue: bool
    status: str  # "逾期 3 个工作日", "剩余 2 个工作日", "今日到期", "逾期 5 天"

    @property
    def url(self) -> str:
        return f"/projects/{self.project_id}/"

    @property
    def urgency(self) -> tuple:
        return (not self.overdue, self.due_on, self.project_name, self.title)


def _unit(case: ApprovalCase) -> str:
    return case.promised_unit if case.promised_days is not None else case.statutory_unit


def _case_status(case: ApprovalCase, today: dt.date) -> str:
    label = "个工作日" if _unit(case) == "working_days" else "天"
    if case.due_on < today:
        return f"逾期 {max(case.overdue_days, 1)} {label}"
    if case.due_on == today:
        return "今日到期"
    if _unit(case) == "working_days":
        return f"剩余 {planning.calendar().workdays_between(today, case.due_on)} {label}"
    return f"剩余 {(case.due_on - today).days} {label}"


def _case_item(case: ApprovalCase, today: dt.date) -> TodoItem:
    department = (
        (case.department.short_name or case.department.name) if case.department else case.department_name
    )
    return TodoItem(
        "办件",
        case.name,
        case.project_id,
        case.project.name,
        department,
        case.due_on,
        case.due_on < today,
        _case_status(case, today),
    )


def _milestone_item(milestone: Milestone, today: dt.date) -> TodoItem:
    late = (today - milestone.planned_on).days
    status = f"逾期 {late} 天" if late > 0 else ("今日到期" if late == 0 else f"剩余 {-late} 天")
    return TodoItem(
        "节点",
        f"{milestone.kind.name}（节点）",
        milestone.project_id,
        milestone.project.name,
        "",
        milestone.planned_on,
        late > 0,
        status,
    )


def _own_department(user, cases):
    """A specialist's to-dos are his department's cases (matched, or by the catalogue's department name)."""
    if not user.has_role("specialist") or user.department_id is None:
        return cases
    names = [name for name in (user.department.name, user.department.short_name) if name]
    return cases.filter(Q(department_id=user.department_id) | Q(department_name__in=names))


def todo_items(*, user, today: dt.date) -> list[TodoItem]:
    """Everything due or overdue for ``user``, most urgent first (at most LIMIT items)."""
    overdue = _own_department(user, cases_overdue(user=user))[:LIMIT]
    soon = _own_department(user, cases_due_soon(user=user, within_days=DUE_WITHIN_WORKDAYS, today=today))
    items = [_case_item(case, today) for case in [*overdue, *soon[:LIMIT]] if case.due_on]
    if not user.has_role("specialist"):
        milestones = (
            Milestone.objects.for_user(user)
            .filter(actual_on__isnull=True, planned_on__lte=month_end(today.year, today.month))
            .select_related("project", "kind")
            .order_by("planned_on", "pk")[:LIMIT]
        )
        items += [_milestone_item(milestone, today) for milestone in milestones]
    return sorted(items, key=lambda item: item.urgency)[:LIMIT]


@role_required(*ANY_ROLE)
@require_GET
def todo(request: HttpRequest) -> HttpResponse:
    today = common.today()
    items = todo_items(user=request.user, today=today)
    counts = {
        "overdue_cases": sum(1 for item in items if item.kind == "办件" and item.overdue),
        "due_cases": sum(1 for item in items if item.kind == "办件" and not item.overdue),
        "milestones": sum(1 for item in items if item.kind == "节点"),
    }
    context = {
        "items": items,
        "counts": counts,
        "today": today,
        "within": DUE_WITHIN_WORKDAYS,
        "limit": LIMIT,
    }
    return render(request, "web/todo.html", context)
