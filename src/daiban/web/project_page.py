"""What the sections of the project page show, built from the scoped selectors (no writes, no permissions).

Each section has one builder ``(page) -> dict`` so a full page, one htmx fragment and the response to a
recorded event build exactly the same context for the same section. ``Page`` holds what several sections
read (the project as read in the user's scope, its cases, the milestone names), so each is read once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from daiban.approvals import planning
from daiban.approvals.models import ApprovalCase, CaseResult, CaseSuspension, SuspensionReason
from daiban.approvals.selectors import GanttBar, ProjectGantt, cases_for_project, project_gantt
from daiban.approvals.services import can_record_case
from daiban.core.pacing import format_rate, rate, schedule_progress, scheduled_amount
from daiban.core.scenarios import SEQUENCE
from daiban.core.sla import read_clock
from daiban.investment.models import MonthlyInvestment
from daiban.investment.selectors import investment_curve, investment_months
from daiban.investment.services import can_record_investment
from daiban.projects.models import MilestoneKind, Project
from daiban.projects.permissions import can_record_milestone
from daiban.projects.selectors import milestone_table
from daiban.web.project_audit import audit_section

CENT = Decimal("0.01")
# The stages up to the construction permit, over which the scenarios are compared (core.scenarios.compare).
PERMIT_SCOPE = SEQUENCE[: SEQUENCE.index("construction_permit") + 1]
# SLA state → CSS class of the clock badge.
CLOCK_CLASS = {
    "not_started": "clock-idle",
    "normal": "clock-ok",
    "warning": "clock-warn",
    "overdue": "clock-late",
    "suspended": "clock-paused",
    "done_on_time": "clock-done",
    "done_late": "clock-done-late",
}


@dataclass
class Page:
    user: object
    project: Project  # read through projects.selectors.project_get for ``user``
    today: dt.date

    @cached_property
    def cases(self) -> list[ApprovalCase]:
        return cases_for_project(user=self.user, project=self.project)

    @cached_property
    def milestone_kinds(self) -> list[MilestoneKind]:
        """Every kind in order, disabled ones too: old audit entries still name them."""
        return list(MilestoneKind.objects.order_by("order", "id"))

    @cached_property
    def milestone_names(self) -> dict[str, str]:
        return {kind.code: kind.name for kind in self.milestone_kinds}


# ------------------------------------------------------------------------------------------ header


@dataclass(frozen=True)
class TeamMember:
    role: str
    name: str
    department: str
    phone: str


def header_section(page: Page) -> dict:
    project = page.project
    butler = project.butler
    members = [TeamMember("项目管家", butler.display_name, "", butler.phone)] if butler else []
    specialists = (
        project.specialists.select_related("department")
        .only("full_name", "first_name", "last_name", "username", "phone", "department__name")
        .order_by("department__name", "full_name")
    )
    members += [
        TeamMember("服务专员", s.display_name, s.department.name if s.department else "", s.phone)
        for s in specialists
    ]
    return {
        "team": members,
        "light_reasons": project.light_reasons or [],
        "current_milestone_name": page.milestone_names.get(project.current_milestone, ""),
    }


# ------------------------------------------------------------------------------------------ milestones


@dataclass(frozen=True)
class ChainStep:
    code: str
    name: str
    planned_on: dt.date | None
    actual_on: dt.date | None
    version: int | str
    state: str  # done / current / late / next / todo

    @property
    def slip_days(self) -> int | None:
        """Natural days the actual date came after the planned one (negative: early)."""
        if self.planned_on and self.actual_on:
            return (self.actual_on - self.planned_on).days
        return None


def milestones_section(page: Page) -> dict:
    user, project, today = page.user, page.project, page.today
    rows = milestone_table(user=user, project=project, kinds=[k for k in page.milestone_kinds if k.is_active])
    steps, seen_next = [], False
    for row in rows:
        if row.actual_on:
            state = "current" if row.kind.code == project.current_milestone else "done"
        elif row.planned_on and row.planned_on < today:
            state = "late"
        else:
            state = "todo" if seen_next else "next"
        seen_next = seen_next or not row.actual_on
        version = row.milestone.version if row.milestone else ""
        steps.append(ChainStep(row.kind.code, row.kind.name, row.planned_on, row.actual_on, version, state))
    return {"steps": steps, "can_edit_milestones": can_record_milestone(actor=user, project=project)}


# ------------------------------------------------------------------------------------------ cases


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


@dataclass(frozen=True)
class CaseLine:
    """One row of the cases table, its cells as the table shows them (a template filter per cell was the
    costliest part of the page)."""

    case: ApprovalCase
    clock: str
    clock_class: str
    due_on: dt.date | None
    actions: tuple[str, ...]
    open_suspension: CaseSuspension | None

    @property
    def row_class(self) -> str:
        return "done" if self.case.decided_on else "critical" if self.case.critical else ""

    @property
    def department(self) -> str:
        case = self.case
        return (case.department.short_name if case.department else "") or case.department_name or "—"

    @property
    def planned_start(self) -> str:
        return _day(self.case.planned_start)

    @property
    def planned_finish(self) -> str:
        return _day(self.case.planned_finish)

    @property
    def accepted(self) -> str:
        return _day(self.case.accepted_on)

    @property
    def decided(self) -> str:
        return _day(self.case.decided_on)

    @property
    def due(self) -> str:
        """The due date while the case is open ("" once decided or without a limit)."""
        return "" if self.case.decided_on or not self.due_on else self.due_on.isoformat()

    @property
    def float_days(self) -> str:
        case = self.case
        return "—" if case.decided_on or case.total_float is None else str(case.total_float)

    @property
    def limit(self) -> str:
        """The promised limit beside the statutory one: "5 / 20 工作日" (承诺 / 法定)."""
        case = self.case
        promised = "—" if case.promised_days is None else case.promised_days
        statutory = "—" if case.statutory_days is None else case.statutory_days
        unit = case.get_statutory_unit_display()
        if case.promised_days is not None and case.promised_unit != case.statutory_unit:
            return f"{promised} {case.get_promised_unit_display()} / {statutory} {unit}"
        return f"{promised} / {statutory} {unit}"


@dataclass(frozen=True)
class StageGroup:
    code: str
    label: str
    lines: tuple[CaseLine, ...]


def _actions(case: ApprovalCase, suspension: CaseSuspension | None) -> tuple[str, ...]:
    """The events that can be recorded next, in the order the law allows them."""
    if case.decided_on:
        return ()
    if case.submitted_on is None:
        return ("submission",)
    if case.accepted_on is None:
        return ("acceptance",)
    if suspension is not None:
        return ("resume",)
    extend = ("extend",) if case.extension_days and not case.extension_days_granted else ()
    return ("decision", "suspend", *extend)


def _clock(
    case: ApprovalCase, suspensions: list[CaseSuspension], today: dt.date
) -> tuple[str, str, dt.date | None]:
    """The live clock ("剩余 3 个工作日", "逾期 2 个工作日", "已挂起（补正）"), its CSS class and due date."""
    clock = planning.case_clock(case, suspensions)
    if clock is None:
        return ("无时限", "clock-idle", None)
    reading = read_clock(clock, calendar=planning.calendar(), today=today)
    return reading.label(), CLOCK_CLASS.get(reading.state, "clock-idle"), reading.due_on


def _suspensions(**where) -> dict[int, list[CaseSuspension]]:
    """Case id → its suspensions, oldest first (``where``: of the page's project, or of one case)."""
    found: dict[int, list[CaseSuspension]] = defaultdict(list)
    for suspension in CaseSuspension.objects.filter(**where).order_by("start"):
        found[suspension.case_id].append(suspension)
    return found


def _line(case: ApprovalCase, suspensions: list[CaseSuspension], today: dt.date, editable: bool) -> CaseLine:
    open_one = next((s for s in suspensions if s.end is None), None)
    label, css, due_on = _clock(case, suspensions, today)
    actions = _actions(case, open_one) if editable else ()
    return CaseLine(case, label, css, due_on, actions, open_one)


def cases_section(page: Page) -> dict:
    cases, suspensions = page.cases, _suspensions(case__project=page.project)
    editable = can_record_case(actor=page.user, project=page.project)
    groups: dict[str, list[CaseLine]] = {}
    labels: dict[str, str] = {}
    for case in cases:
        groups.setdefault(case.stage, []).append(_line(case, suspensions[case.pk], page.today, editable))
        labels[case.stage] = case.get_stage_display()
    return {
        "stages": [StageGroup(code, labels[code], tuple(lines)) for code, lines in groups.items()],
        "case_count": len(cases),
        "done_count": sum(1 for case in cases if case.decided_on),
        "can_record_cases": editable,
    }


def case_forms_context(page: Page, case: ApprovalCase) -> dict:
    """The recording forms of one case (loaded when its 办理 is opened: most are never opened)."""
    editable = can_record_case(actor=page.user, project=page.project)
    return {
        "case": case,
        "line": _line(case, _suspensions(case=case)[case.pk], page.today, editable),
        "suspension_reasons": SuspensionReason.choices,
        "case_results": CaseResult.choices,
    }


# ------------------------------------------------------------------------------------------ Gantt


def _json(data: dict) -> str:
    """Chart data for a ``data-json`` attribute (autoescaped in the template).

    Note: not json_script: htmx (allowScriptTags off, for the CSP) drops every <script> of a swapped
    fragment, so data in a <script> element would vanish after the first recorded event.
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _bar(bar: GanttBar | None) -> list | None:
    return [bar.start.isoformat(), bar.finish.isoformat(), bar.critical] if bar else None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def gantt_payload(gantt: ProjectGantt, today: dt.date) -> dict:
    """The chart's data (JSON-safe): one row per case with both baselines and the current plan."""
    return {
        "today": today.isoformat(),
        "rows": [
            {
                "id": row.case_id,
                "code": row.code,
                "name": row.name,
                "stage": row.stage_label,
                "department": row.department,
                "conventional": _bar(row.conventional),
                "agency": _bar(row.agency),
                "current": _bar(row.current),
                "accepted": _iso(row.accepted_on),
                "decided": _iso(row.decided_on),
                "float": row.total_float,
            }
            for row in gantt.rows
        ],
    }


def _permit_finish(gantt: ProjectGantt, scenario: str) -> dt.date | None:
    """When a scenario obtains the construction permit: its last finish up to that stage."""
    bars = (getattr(row, scenario) for row in gantt.rows if row.stage in PERMIT_SCOPE)
    return max((bar.finish for bar in bars if bar), default=None)


def gantt_section(page: Page) -> dict:
    today = page.today
    gantt = project_gantt(user=page.user, project=page.project, cases=page.cases)
    permit, baseline = _permit_finish(gantt, "current"), _permit_finish(gantt, "agency")
    # Note: compared up to the construction permit, like the compression: the acceptance stage waits for the
    # building work, which no approval plan contains.
    slip = planning.calendar().workdays_between(baseline, permit) if permit and baseline else None
    return {
        "gantt": gantt,
        "gantt_json": _json(gantt_payload(gantt, today)),
        "compression": format_rate(None if gantt.compression is None else Decimal(str(gantt.compression))),
        "permit_finish": permit,
        "conventional_permit": _permit_finish(gantt, "conventional"),
        "agency_permit": baseline,
        "slip_days": slip,
        "ahead_days": -slip if slip is not None and slip < 0 else None,
        "critical_count": sum(1 for row in gantt.rows if row.current and row.current.critical),
    }


# ------------------------------------------------------------------------------------------ investment


@dataclass(frozen=True)
class MonthLine:
    month: int
    row: MonthlyInvestment | None


def _open_months(year: int, today: dt.date) -> int:
    """How many months of ``year`` can be reported by ``today`` (a month is reported once it has begun)."""
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


def _month_series(project: Project, rows: dict, curve, as_of: int) -> tuple[list[dict], Decimal]:
    """12 points for the chart (reported figures up to ``as_of``) and the cumulative amount at ``as_of``."""
    completed, series = Decimal(0), []
    for month in range(1, 13):
        amount = rows[month].amount if month in rows else Decimal(0)
        reported = month <= as_of
        completed += amount if reported else 0
        pace = scheduled_amount(project.annual_plan, schedule_progress(curve, month))
        series.append(
            {
                "month": month,
                "amount": str(amount) if reported else None,
                "cumulative": str(completed) if reported else None,
                "pace": str(pace.quantize(CENT)),
            }
        )
    return series, completed


def investment_section(page: Page) -> dict:
    """The project's investment of its list year, as of its latest reported month (like the dashboard)."""
    user, project, today = page.user, page.project, page.today
    year = project.year
    rows = {row.month: row for row in investment_months(user=user, project=project, year=year)}
    curve, open_months = investment_curve(year=year), _open_months(year, today)
    as_of = max((month for month in rows if month <= open_months), default=open_months)
    series, completed = _month_series(project, rows, curve, as_of)
    share = schedule_progress(curve, as_of) if as_of else Decimal(0)
    shortfall = scheduled_amount(project.annual_plan, share) - completed
    return {
        "investment_year": year,
        "investment_as_of": as_of,
        "investment_json": _json({"year": year, "plan": str(project.annual_plan), "months": series}),
        "completed": completed,
        "completion_rate": format_rate(rate(completed, project.annual_plan)),
        "schedule_rate": format_rate(share),
        "shortfall": shortfall.quantize(CENT) if shortfall > 0 else None,
        "months": [MonthLine(month, rows.get(month)) for month in range(open_months, 0, -1)],
        "can_record_investment": can_record_investment(actor=user, project=project),
    }


# ------------------------------------------------------------------------------------------ the page

SECTIONS: dict[str, Callable[..., dict]] = {
    "header": header_section,
    "milestones": milestones_section,
    "cases": cases_section,
    "gantt": gantt_section,
    "investment": investment_section,
    "audit": audit_section,
    # The editors' forms, loaded when an editor is opened (as fragments only).
    "milestone_editor": milestones_section,
    "investment_editor": investment_section,
}


def section_context(user, project: Project, today: dt.date, names) -> dict:
    page = Page(user, project, today)
    context = {"project": project, "today": today}
    for name in names:
        context.update(SECTIONS[name](page))
    return context
