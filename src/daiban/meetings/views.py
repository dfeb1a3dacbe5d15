"""Pages of the dispatch meetings: list, new (with the default agenda's preview), the meeting with its
agenda and decisions (htmx), the stored or on-demand report (page, Word, Excel)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from daiban.accounts.permissions import NotPermitted
from daiban.audit.services import ConcurrentEditError
from daiban.core.errors import DomainError
from daiban.meetings import forms
from daiban.meetings.models import AgendaItem, DispatchMeeting, ItemStatus, MeetingStatus, Reason
from daiban.meetings.permissions import MEETING_READ_ROLES, can_manage_meetings
from daiban.meetings.report.excel import report_xlsx
from daiban.meetings.report.figures import default_period, dispatch_report
from daiban.meetings.report.sections import report_sections, row_texts
from daiban.meetings.report.word import report_docx
from daiban.meetings.selectors import agenda_default, agenda_items, meeting_get, meeting_list
from daiban.meetings.services import (
    DecisionInput,
    agenda_item_add,
    agenda_item_decide,
    default_meeting_period,
    meeting_create,
    meeting_hold,
    meeting_publish,
)
from daiban.web.access import role_required

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GROUP_PREVIEW = 30
GROUP_PAGE = 200
PREVIEW_ROWS = 200
GROUPS = (
    Reason.CARRIED_OVER,
    Reason.RED,
    Reason.ESCALATED_ISSUE,
    Reason.YELLOW,
    Reason.MILESTONE_DUE,
    Reason.ADDED,
)


def _meeting(user, pk: int) -> DispatchMeeting:
    try:
        return meeting_get(user=user, pk=pk)
    except DispatchMeeting.DoesNotExist:
        raise Http404("调度会不存在") from None


def _guard(user) -> None:
    if not can_manage_meetings(actor=user):
        raise PermissionDenied("只有调度人员和管理员可以安排调度会")


@role_required(*MEETING_READ_ROLES)
def meeting_index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    meetings = list(meeting_list(user=request.user))
    context = {
        "upcoming": [m for m in meetings if m.status != MeetingStatus.HELD][::-1],
        "past": [m for m in meetings if m.status == MeetingStatus.HELD],
        "can_manage": can_manage_meetings(actor=request.user),
        "today": today,
    }
    return render(request, "meetings/list.html", context)


@role_required(*MEETING_READ_ROLES)
def meeting_new(request: HttpRequest) -> HttpResponse:
    _guard(request.user)
    today = timezone.localdate()
    if request.method == "POST":
        form = forms.MeetingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = meeting_create(
                    actor=request.user,
                    held_on=data["held_on"],
                    period_from=data["period_from"],
                    period_to=data["period_to"],
                    title=data["title"] or None,
                    location=data["location"],
                    host=data["host"],
                    attendees=data["attendees"],
                    attendees_note=data["attendees_note"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"已创建“{meeting.title}”，议程 {meeting.items.count()} 项")
                return redirect(f"/meetings/{meeting.pk}/")
    else:
        form = forms.MeetingForm(request.GET or {"held_on": today})
    held_on = form.cleaned_data.get("held_on") if form.is_valid() else None
    preview, period = [], None
    if held_on:
        period = default_meeting_period(held_on)
        preview = agenda_default(user=request.user, meeting_date=held_on)
    counts: dict[str, int] = {}
    for item in preview:
        counts[Reason(item.reason).label] = counts.get(Reason(item.reason).label, 0) + 1
    context = {
        "form": form,
        "preview": preview[:PREVIEW_ROWS],
        "preview_total": len(preview),
        "preview_counts": counts,
        "held_on": held_on,
        "period": period,
    }
    return render(request, "meetings/new.html", context)


def _detail_context(request: HttpRequest, meeting: DispatchMeeting) -> dict:
    """The agenda by reason; a long group shows its first GROUP_PREVIEW items, ``?group=<reason>`` one group
    in pages of GROUP_PAGE (a district-wide agenda may list thousands of red/yellow projects)."""
    items = agenda_items(user=request.user, meeting=meeting)
    counts = dict(items.order_by().values_list("reason").annotate(n=Count("pk")))
    decided = items.filter(status=ItemStatus.DECIDED).count()
    only = request.GET.get("group")
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    page = max(page, 1)
    window = slice((page - 1) * GROUP_PAGE, page * GROUP_PAGE) if only else slice(0, GROUP_PREVIEW)
    groups = []
    for reason in GROUPS:
        if not counts.get(reason) or (only and only != reason):
            continue
        rows = list(items.filter(reason=reason)[window])
        for number, item in enumerate(rows, start=window.start + 1):
            item.number = number
            item.reason_tags = [(code, Reason(code).label) for code in item.reasons if code in Reason.values]
        total = counts[reason]
        groups.append(
            {
                "reason": reason,
                "label": Reason(reason).label,
                "items": rows,
                "total": total,
                "previous": page - 1 if only and page > 1 else None,
                "next": page + 1 if only and page * GROUP_PAGE < total else None,
            }
        )
    can_manage = can_manage_meetings(actor=request.user) and meeting.status != MeetingStatus.HELD
    return {
        "meeting": meeting,
        "groups": groups,
        "only": only,
        "item_count": sum(counts.values()),
        "decided": decided,
        "can_manage": can_manage,
        "hold_form": forms.HoldForm(initial={"version": meeting.version, "summary": meeting.summary}),
    }


@role_required(*MEETING_READ_ROLES)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request.user, pk)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


def _act(request: HttpRequest, call: Callable[[], object], done: str) -> str | None:
    """Run a service; None on success (with a message), else the error text."""
    try:
        call()
    except ConcurrentEditError as error:
        return f"未保存：{error}"
    except NotPermitted as error:
        raise PermissionDenied(str(error)) from None
    except DomainError as error:
        return str(error)
    messages.success(request, done)
    return None


@role_required(*MEETING_READ_ROLES)
@require_POST
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _guard(request.user)
    meeting = _meeting(request.user, pk)
    form = forms.HoldForm(request.POST) if action == "hold" else forms.VersionForm(request.POST)
    if action not in ("publish", "hold") or not form.is_valid():
        messages.error(request, "请求无效，请刷新页面后重试")
        return redirect(f"/meetings/{meeting.pk}/")
    version = form.cleaned_data["version"]
    if action == "publish":
        error = _act(
            request,
            lambda: meeting_publish(actor=request.user, meeting=meeting, expected_version=version),
            "议程已发布，已通知参会人员和相关项目管家",
        )
    else:
        error = _act(
            request,
            lambda: meeting_hold(
                actor=request.user,
                meeting=meeting,
                expected_version=version,
                summary=form.cleaned_data["summary"],
            ),
            "已登记会议召开，调度报告已存档",
        )
    if error:
        messages.error(request, error)
    return redirect(f"/meetings/{meeting.pk}/")


@role_required(*MEETING_READ_ROLES)
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request.user)
    meeting = _meeting(request.user, pk)
    form = forms.AddItemForm(request.POST)
    if form.is_valid():
        text = form.cleaned_data["reason_text"]
        error = _act(
            request,
            lambda: agenda_item_add(actor=request.user, meeting=meeting, reason_text=text),
            "已增加议题",
        )
        if error:
            messages.error(request, error)
    else:
        messages.error(request, "请填写议题内容")
    return redirect(f"/meetings/{meeting.pk}/#agenda")


@role_required(*MEETING_READ_ROLES)
@require_http_methods(["GET", "POST"])
def item_decide(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """GET: the decision form of one item (loaded on demand: an agenda may list hundreds of items).
    POST: record the decision; htmx gets the item back in place."""
    _guard(request.user)
    meeting = _meeting(request.user, pk)
    try:
        item = agenda_items(user=request.user, meeting=meeting).get(pk=item_pk)
    except AgendaItem.DoesNotExist:
        raise Http404("议题不存在") from None
    if request.method == "GET":
        context = {"item": item, "meeting": meeting, "decide_form": forms.DecideForm()}
        return render(request, "meetings/partials/decide_form.html", context)
    form = forms.DecideForm(request.POST)
    error = None
    if not form.is_valid():
        error = "；".join(f"{form.fields[name].label if name in form.fields else ''}{', '.join(errors)}"
                         for name, errors in form.errors.items())  # fmt: skip
    else:
        data = form.cleaned_data
        decisions = []
        if data["kind"]:
            decisions.append(
                DecisionInput(
                    kind=data["kind"],
                    text=data["text"],
                    department=data["department"],
                    deadline_days=data["deadline_days"],
                    category=data["category"] or "other",
                    milestone_code=data["milestone_code"],
                    committed_on=data["committed_on"],
                    due_on=data["committed_on"],
                )
            )
        error = _act(
            request,
            lambda: agenda_item_decide(
                actor=request.user,
                item=item,
                expected_version=data["version"],
                decisions=decisions,
                discussion=data["discussion"],
                today=min(timezone.localdate(), meeting.held_on) if decisions else None,
            ),
            "已记录会议决定",
        )
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(f"/meetings/{meeting.pk}/#item-{item.pk}")
    if not error:
        list(messages.get_messages(request))  # shown in place, not again on the next page
    items = agenda_items(user=request.user, meeting=meeting)
    item = items.get(pk=item_pk)
    item.number = _number_in_group(items, item)
    item.reason_tags = [(code, Reason(code).label) for code in item.reasons if code in Reason.values]
    context = {
        "item": item,
        "meeting": meeting,
        "can_manage": True,
        "decide_form": form if error else forms.DecideForm(),
        "outcome": error,
        "done": None if error else "已记录会议决定",
    }
    return render(request, "meetings/partials/item.html", context)


def _number_in_group(items, item: AgendaItem) -> int:
    """The item's place in its reason group, as the page numbers it (the items' order, then pk)."""
    before = Q(order__lt=item.order) | Q(order=item.order, pk__lt=item.pk)
    return items.filter(before, reason=item.reason).count() + 1


# ---------------------------------------------------------------------------------------------- reports


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, str | None]:
    default_from, default_to = default_period()
    try:
        date_from = dt.date.fromisoformat(request.GET["from"]) if request.GET.get("from") else default_from
        date_to = dt.date.fromisoformat(request.GET["to"]) if request.GET.get("to") else default_to
    except ValueError:
        return default_from, default_to, "日期格式应为 YYYY-MM-DD，已显示最近两周"
    if date_from > date_to:
        return default_from, default_to, "起始日期不能晚于截止日期，已显示最近两周"
    if not (2000 <= date_from.year <= 2100 and 2000 <= date_to.year <= 2100):
        return default_from, default_to, "日期应在 2000–2100 年之间，已显示最近两周"
    return date_from, date_to, None


@role_required(*MEETING_READ_ROLES)
def report_page(request: HttpRequest) -> HttpResponse:
    date_from, date_to, error = _period(request)
    report = dispatch_report(user=request.user, date_from=date_from, date_to=date_to)
    sections = []
    for section in report_sections(report):
        numeric = [kind not in ("text", "date") for _, _, kind in section.columns]
        rows = [list(zip(row, numeric, strict=True)) for row in row_texts(section)]
        sections.append({"section": section, "rows": rows})
    context = {
        "report": report,
        "sections": sections,
        "error": error,
        "query": f"from={date_from}&to={date_to}",
    }
    return render(request, "meetings/report.html", context)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@role_required(*MEETING_READ_ROLES)
def report_file(request: HttpRequest, fmt: str) -> HttpResponse:
    date_from, date_to, _ = _period(request)
    report = dispatch_report(user=request.user, date_from=date_from, date_to=date_to)
    stream = io.BytesIO()
    name = f"调度报告_{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    if fmt == "docx":
        report_docx(report, stream)
        return _download(stream.getvalue(), f"{name}.docx", DOCX)
    report_xlsx(report, stream)
    return _download(stream.getvalue(), f"{name}.xlsx", XLSX)


@role_required(*MEETING_READ_ROLES)
def meeting_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The stored report of a held meeting; before the meeting is held, the report as of now."""
    meeting = _meeting(request.user, pk)
    stored = meeting.report_docx if fmt == "docx" else meeting.report_xlsx
    name = f"{meeting.title}调度报告.{fmt}"
    if stored:
        return _download(bytes(stored), name, DOCX if fmt == "docx" else XLSX)
    report = dispatch_report(user=request.user, date_from=meeting.period_from, date_to=meeting.period_to)
    stream = io.BytesIO()
    (report_docx if fmt == "docx" else report_xlsx)(report, stream, meeting=meeting)
    return _download(stream.getvalue(), name, DOCX if fmt == "docx" else XLSX)
