"""The daily tick: every open case's clock and every project's traffic light, in bulk."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from daiban.approvals import planning
from daiban.approvals.models import ApprovalCase, CaseSuspension, SlaState
from daiban.approvals.services import common
from daiban.audit.models import AuditAction, AuditEntry
from daiban.catalogue.selectors import active_rule_set_name
from daiban.core.errors import DomainError
from daiban.core.lights import load_rule_sets
from daiban.projects.models import Milestone, Project

# What the tick reads of a case: its clock, its stored reading, and what a light reason shows.
_TICK_CASE_FIELDS = (
    "id",
    "project_id",
    "name",
    "accepted_on",
    "decided_on",
    "statutory_days",
    "statutory_unit",
    "promised_days",
    "promised_unit",
    "extension_days_granted",
    "critical",
    *planning.SLA_FIELDS,
)
_TICK_PROJECT_FIELDS = ("id", "name", "year", "annual_plan", "planned_start_on", "light", "light_reasons")


@dataclass(frozen=True)
class TickResult:
    cases: int  # open cases re-evaluated
    newly_overdue: int
    lights_changed: int  # projects whose light changed colour
    projects: int  # projects evaluated

    def __str__(self) -> str:
        return (
            f"评估办件 {self.cases} 个，新增逾期 {self.newly_overdue} 个；"
            f"评估项目 {self.projects} 个，红绿灯变化 {self.lights_changed} 个"
        )


def tick(*, today: dt.date | None = None, rule_set: str | None = None, chunk: int = 500) -> TickResult:
    """Re-read every open case's clock and every project's light as of ``today``; store what changed.

    Idempotent: a second run on the same day writes nothing. Works in chunks of ``chunk`` projects, each in
    its own transaction, with a fixed number of queries per chunk (none per case or per project).
    ``rule_set`` None: the one an admin chose (catalogue.selectors.active_rule_set_name).
    """
    day = today or timezone.localdate()
    rule_set = rule_set or active_rule_set_name()
    rule_sets = load_rule_sets()
    if rule_set not in rule_sets:
        raise DomainError(f"未知的红绿灯规则集“{rule_set}”（可选：{'、'.join(rule_sets)}）")
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    investment = _InvestmentAsOf.for_day(day)
    cases = newly_overdue = lights_changed = rows_changed = 0
    for first in range(0, len(ids), chunk):
        with transaction.atomic():
            part = ids[first : first + chunk]
            overdue, evaluated, newly, dirty_cases = _tick_cases(part, day=day)
            changed, dirty_projects = _tick_lights(
                part, day=day, rules=rule_sets[rule_set], investment=investment, overdue=overdue
            )
        cases, newly_overdue, lights_changed = (
            cases + evaluated,
            newly_overdue + newly,
            lights_changed + changed,
        )
        rows_changed += dirty_cases + dirty_projects
    result = TickResult(
        cases=cases, newly_overdue=newly_overdue, lights_changed=lights_changed, projects=len(ids)
    )
    if rows_changed:
        _audit_run(day, result, rows_changed)
    return result


def _audit_run(day: dt.date, result: TickResult, rows_changed: int) -> None:
    """One entry for the run: the clocks it re-read are bulk writes without an entry each.

    Note: it also moves ``audit.selectors.audit_latest_id``, which keys the cached dashboard figures.
    """
    AuditEntry.objects.create(
        actor_name="系统",
        action=AuditAction.SYSTEM,
        model_label="approvals.approvalcase",
        object_id="",
        object_repr=f"每日评估 {day.isoformat()}",
        changes={"rows_changed": rows_changed},
        note=str(result)[:300],
    )


def _tick_cases(
    project_ids: list[int], *, day: dt.date
) -> tuple[dict[int, list[SimpleNamespace]], int, int, int]:
    """Re-read the clocks of the projects' open cases; returns (overdue by project, evaluated, newly
    overdue, rows changed).

    Note: the cases are read as plain rows, not model instances: building tens of thousands of instances
    was the largest cost of the tick, and the clock only needs a few attributes.
    """
    open_cases = ApprovalCase.objects.filter(
        project_id__in=project_ids, accepted_on__isnull=False, decided_on__isnull=True
    )
    cases = [SimpleNamespace(pk=row["id"], **row) for row in open_cases.order_by().values(*_TICK_CASE_FIELDS)]
    suspensions: dict[int, list] = defaultdict(list)
    rows = CaseSuspension.objects.filter(
        case__project_id__in=project_ids,
        case__accepted_on__isnull=False,
        case__decided_on__isnull=True,
        case__deleted_at__isnull=True,
    ).values_list("case_id", "start", "end", "reason", named=True)
    for row in rows:
        suspensions[row.case_id].append(row)
    cal, dirty, newly, overdue = planning.calendar(), [], 0, defaultdict(list)
    for case in cases:
        was_overdue = case.sla_state == SlaState.OVERDUE
        try:
            values = planning.sla_values(case, suspensions[case.pk], today=day, cal=cal)
        except DomainError:
            continue  # inconsistent stored dates: leave the case as it is; recording refuses such data
        if planning.changed(case, values):
            dirty.append(case)
            newly += not was_overdue and case.sla_state == SlaState.OVERDUE
        if case.sla_state == SlaState.OVERDUE:
            overdue[case.project_id].append(case)
    common.update_rows(ApprovalCase, dirty, planning.SLA_FIELDS)
    return overdue, len(cases), newly, len(dirty)


def _tick_lights(
    project_ids: list[int], *, day, rules, investment: _InvestmentAsOf, overdue
) -> tuple[int, int]:
    """Evaluate the rule set on each project; store changed lights, audit colour changes; returns how many
    projects changed colour and how many rows changed (colour or reasons)."""
    projects = list(Project.objects.filter(pk__in=project_ids).only(*_TICK_PROJECT_FIELDS).order_by())
    starts = {
        row[0]: row[1:]
        for row in Milestone.objects.filter(project_id__in=project_ids, kind__code="started").values_list(
            "project_id", "planned_on", "actual_on"
        )
    }
    completed = investment.completed(project_ids)
    now, dirty, entries = timezone.now(), [], []
    for project in projects:
        planned, actual = starts.get(project.pk, (None, None))
        status = planning.project_status(
            today=day,
            annual_plan=project.annual_plan if project.year == day.year else Decimal(0),
            completed=completed.get(project.pk, Decimal(0)),
            schedule_progress=investment.share,
            planned_start=project.planned_start_on or planned,
            actual_start=actual,
            overdue=overdue.get(project.pk, ()),
        )
        light = rules.evaluate(status)
        reasons = planning.light_reasons(light)
        if light.light != project.light:
            change = {"light": [project.light, light.light]}
            entries.append(
                common.audit_entry(
                    None, AuditAction.SYSTEM, project, project.pk, note="红绿灯", changes=change
                )
            )
        if light.light != project.light or reasons != project.light_reasons:
            project.light, project.light_reasons, project.light_updated_at = light.light, reasons, now
            dirty.append(project)
    common.update_rows(Project, dirty, ["light", "light_reasons", "light_updated_at"])
    AuditEntry.objects.bulk_create(entries)
    return len(entries), len(dirty)


@dataclass(frozen=True)
class _InvestmentAsOf:
    """This year's investment as the lights read it: reports up to the last full month, and its 序时进度.

    Note: monthly investment is reported after the month ends (统计月报), so on any day of a month the latest
    complete figures are last month's, compared with 序时进度 at the end of last month (the investment pages'
    rule for a month). In January there is no month of this year yet: 序时进度 is 0 and the investment rules
    stay silent.
    """

    year: int
    month: int  # 0 in January
    share: Decimal

    @classmethod
    def for_day(cls, day: dt.date) -> _InvestmentAsOf:
        from daiban.core.pacing import schedule_progress
        from daiban.investment.selectors import investment_curve

        month = day.month - 1
        share = schedule_progress(investment_curve(year=day.year), month) if month else Decimal(0)
        return cls(day.year, month, share)

    def completed(self, project_ids: list[int]) -> dict[int, Decimal]:
        """Completed investment per project, January to ``month``: one grouped query."""
        from daiban.investment.models import MonthlyInvestment

        if not self.month:
            return {}
        rows = (
            MonthlyInvestment.objects.filter(
                project_id__in=project_ids, year=self.year, month__lte=self.month
            )
            .values("project_id")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        return {row["project_id"]: row["total"] for row in rows}
