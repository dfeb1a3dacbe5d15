"""Reads of investment: the district summary with 序时进度 and the 四率, rows by project and by department.

Every figure is computed here, scoped by ``projects.selectors.project_for_user``, so the dashboard, the
Excel export and the dispatch report read the same numbers. All sums are done by the database in a constant
number of queries (no query per project): summary 4, by project 2, by department 3.

The year's list (项目清单) is the visible, live projects with ``year`` = the year, except 储备 (reserve)
projects, which are not yet in the annual plan. Figures of a month are as of the end of that month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from daiban.core.pacing import (
    LINEAR,
    PacingCurve,
    gap_points,
    month_end,
    parse_curve,
    progress_ratio,
    rate,
    schedule_progress,
    scheduled_amount,
)
from daiban.investment.models import InvestmentTarget, MonthlyInvestment
from daiban.projects.choices import Category
from daiban.projects.models import Milestone, Project
from daiban.projects.selectors import project_for_user, project_in_scope

STARTED, COMPLETED = "started", "completed"  # milestone kind codes (reference/milestones.yaml)
NO_DEPARTMENT = "未指定责任单位"
ZERO = Decimal(0)


def _money_sum(expression: str, **extra) -> Coalesce:
    return Coalesce(
        Sum(expression, **extra), Value(ZERO), output_field=DecimalField(max_digits=20, decimal_places=2)
    )


# ---------------------------------------------------------------------------------------------- 四率


@dataclass(frozen=True)
class FourRates:
    """四率 of the year's list as of the end of a month; each rate is a share (0.5 = 50%) or None ("—").

    - 开工率 start rate = new-start (新开工) projects whose 开工 milestone has an actual date on or before
      the as-of date / new-start projects in the list.
    - 投资完成率 investment completion rate = investment completed from January to the month (sum of the
      monthly reports) / the list's annual plan (sum of 年度计划投资).
    - 资金到位率 funds-in-place rate = funds in place from January to the month / the annual plan.
      Note: the denominator is the planned amount, as in the Ministry of Finance's performance-evaluation
      indicator framework (财政部《项目支出绩效评价管理办法》财预〔2020〕10号, 附件 共性指标框架:
      资金到位率 = 实际到位资金 / 预算资金 × 100%), where the year's plan plays the part of 预算资金.
    - 按期竣工率 on-time completion rate = projects whose 竣工 milestone was reached on or before its
      planned date / projects whose 竣工 planned date falls between 1 January and the as-of date.
    """

    new_starts: int
    started: int
    annual_plan: Decimal
    completed_investment: Decimal
    funds_in_place: Decimal
    due_to_complete: int
    completed_on_time: int

    @property
    def start_rate(self) -> Decimal | None:
        return rate(self.started, self.new_starts)

    @property
    def investment_completion_rate(self) -> Decimal | None:
        return rate(self.completed_investment, self.annual_plan)

    @property
    def funds_in_place_rate(self) -> Decimal | None:
        return rate(self.funds_in_place, self.annual_plan)

    @property
    def on_time_completion_rate(self) -> Decimal | None:
        return rate(self.completed_on_time, self.due_to_complete)


def investment_four_rates(*, user, year: int, month: int) -> FourRates:
    """The 四率 of the user's part of the year's list as of the end of ``month``."""
    return _four_rates(_project_counts(user, year, month_end(year, month)), _monthly(user, year), month)


def _four_rates(counts: dict, monthly: dict[int, tuple[Decimal, Decimal]], month: int) -> FourRates:
    done = [monthly.get(m, (ZERO, ZERO)) for m in range(1, month + 1)]
    return FourRates(
        new_starts=counts["new_starts"],
        started=counts["started"],
        annual_plan=counts["annual_plan"],
        completed_investment=sum((amount for amount, _ in done), ZERO),
        funds_in_place=sum((funds for _, funds in done), ZERO),
        due_to_complete=counts["due"],
        completed_on_time=counts["on_time"],
    )


def _year_list(user, year: int) -> QuerySet[Project]:
    return project_for_user(user).filter(year=year).exclude(category=Category.RESERVE)


def _of_year_list(rows: QuerySet, user, year: int) -> QuerySet:
    """``rows`` (of a model with a ``project``) that belong to the user's part of the year's list.

    Note: the list's conditions as a join, not ``project__in=<subquery>``: the database then walks the
    year's projects by index instead of probing every row against a list — half the time at 10,000 projects.
    """
    rows = rows.filter(project__year=year, project__deleted_at__isnull=True).exclude(
        project__category=Category.RESERVE
    )
    return rows if user.sees_all_projects else rows.filter(project__in=project_for_user(user))


def _project_counts(user, year: int, as_of: dt.date) -> dict:
    """Project count, plan total, and the counts behind 开工率 and 按期竣工率: two aggregate queries."""
    counts = _year_list(user, year).aggregate(
        count=Count("pk"),
        annual_plan=_money_sum("annual_plan"),
        new_starts=Count("pk", filter=Q(category=Category.NEW_START)),
    )
    # Note: counted over the milestones (one per project and kind), not an EXISTS per project: half the time.
    due = Q(kind__code=COMPLETED, planned_on__gte=dt.date(year, 1, 1), planned_on__lte=as_of)
    started = Q(kind__code=STARTED, project__category=Category.NEW_START, actual_on__lte=as_of)
    milestones = Milestone.objects.filter(kind__code__in=(STARTED, COMPLETED))
    return counts | _of_year_list(milestones, user, year).aggregate(
        started=Count("pk", filter=started),
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=due & Q(actual_on__lte=F("planned_on"))),
    )


def _monthly(user, year: int) -> dict[int, tuple[Decimal, Decimal]]:
    """One grouped query: month → (completed investment, funds in place) of the user's year list."""
    rows = (
        _of_year_list(MonthlyInvestment.objects.filter(year=year), user, year)
        .values("month")
        .annotate(amount=_money_sum("amount"), funds=_money_sum("funds_in_place"))
        .order_by()
    )
    return {row["month"]: (row["amount"], row["funds"]) for row in rows}


# ---------------------------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class MonthPoint:
    """One month of the chart; ``completed``/``cumulative`` are None after the month being reported."""

    month: int
    completed: Decimal | None
    cumulative: Decimal | None
    schedule_share: Decimal
    pace: Decimal  # annual plan × 序时进度 at the end of this month


@dataclass(frozen=True)
class InvestmentSummary:
    year: int
    month: int
    as_of: dt.date
    curve: PacingCurve
    target: Decimal | None  # the district's target (not scoped: it is one number for the district)
    project_count: int
    annual_plan: Decimal
    completed: Decimal  # January to ``month``
    funds_in_place: Decimal
    schedule_share: Decimal  # 序时进度 at the end of ``month``
    schedule_amount: Decimal  # annual plan × 序时进度
    rates: FourRates
    series: tuple[MonthPoint, ...]

    @property
    def progress_ratio(self) -> Decimal | None:
        """completed / (plan × 序时进度): 1 = on pace."""
        return progress_ratio(self.completed, self.annual_plan, self.schedule_share)

    @property
    def gap_points(self) -> Decimal | None:
        """Completion rate minus 序时进度, in percentage points."""
        return gap_points(self.rates.investment_completion_rate, self.schedule_share)

    @property
    def target_schedule_amount(self) -> Decimal | None:
        return None if self.target is None else scheduled_amount(self.target, self.schedule_share)

    @property
    def target_completion_rate(self) -> Decimal | None:
        """Completed / the district target (of the user's projects: meaningful for district-wide roles)."""
        return None if self.target is None else rate(self.completed, self.target)


def investment_summary(*, user, year: int, month: int) -> InvestmentSummary:
    """District figures for the dashboard, the export and the dispatch report, as of the end of ``month``."""
    as_of = month_end(year, month)
    target = _target(year)
    curve = parse_curve(target.pacing) if target else LINEAR
    counts = _project_counts(user, year, as_of)
    monthly = _monthly(user, year)
    rates = _four_rates(counts, monthly, month)
    share = schedule_progress(curve, month)
    return InvestmentSummary(
        year=year,
        month=month,
        as_of=as_of,
        curve=curve,
        target=target.amount if target else None,
        project_count=counts["count"],
        annual_plan=counts["annual_plan"],
        completed=rates.completed_investment,
        funds_in_place=rates.funds_in_place,
        schedule_share=share,
        schedule_amount=scheduled_amount(counts["annual_plan"], share),
        rates=rates,
        series=_series(curve, monthly, counts["annual_plan"], month),
    )


def _series(curve: PacingCurve, monthly: dict, plan: Decimal, month: int) -> tuple[MonthPoint, ...]:
    points, cumulative = [], ZERO
    for m in range(1, 13):
        share = schedule_progress(curve, m)
        amount = monthly.get(m, (ZERO, ZERO))[0]
        cumulative += amount
        reported = m <= month
        points.append(
            MonthPoint(
                month=m,
                completed=amount if reported else None,
                cumulative=cumulative if reported else None,
                schedule_share=share,
                pace=scheduled_amount(plan, share),
            )
        )
    return tuple(points)


def _target(year: int) -> InvestmentTarget | None:
    return InvestmentTarget.objects.filter(year=year).first()


def investment_months(
    *, user, project: Project | int, year: int | None = None
) -> QuerySet[MonthlyInvestment]:
    """One project's monthly reports, oldest first; the project out of the user's scope is not found."""
    project = project_in_scope(user=user, project=project)
    months = MonthlyInvestment.objects.filter(project=project)
    return (months.filter(year=year) if year else months).order_by("year", "month")


def investment_curve(*, year: int) -> PacingCurve:
    """The year's pacing curve (the target's, else even pacing)."""
    pacing = InvestmentTarget.objects.filter(year=year).values_list("pacing", flat=True).first()
    return LINEAR if pacing is None else parse_curve(pacing)


# ---------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class InvestmentRow:
    """One line of the by-project or by-department table; the derived columns use the summary's rules."""

    key: int | None  # project id or department id (None: no responsible department)
    label: str
    project_count: int
    annual_plan: Decimal
    month_amount: Decimal
    completed: Decimal  # January to the month
    funds_in_place: Decimal
    schedule_share: Decimal

    @property
    def completion(self) -> Decimal | None:
        """投资完成率 of this row: completed / annual plan."""
        return rate(self.completed, self.annual_plan)

    @property
    def gap_points(self) -> Decimal | None:
        """Completion minus 序时进度 in percentage points (negative = behind pace)."""
        return gap_points(self.completion, self.schedule_share)

    @property
    def progress_ratio(self) -> Decimal | None:
        return progress_ratio(self.completed, self.annual_plan, self.schedule_share)

    @property
    def behind_schedule(self) -> bool:
        return self.gap_points is not None and self.gap_points < 0


@dataclass(frozen=True)
class ProjectInvestmentRow(InvestmentRow):
    """A project's line: ``key`` is the project id; the names are there for tables and exports."""

    project_code: str
    category: str
    department: str  # responsible department's name, "" when none
    butler: str  # the butler's name, "" when none


_PROJECT_COLUMNS = (
    "pk",
    "name",
    "project_code",
    "category",
    "annual_plan",
    "responsible_department__name",
    "butler__full_name",
    "butler__username",
)


def investment_by_project(*, user, year: int, month: int) -> list[ProjectInvestmentRow]:
    """One row per project of the user's part of the year's list, by name; one query for all projects.

    Note: rows are read with ``values()``, not as Project instances: building 10,000 model objects costs
    several times more than the query itself.
    """
    share = schedule_progress(investment_curve(year=year), month)
    reported = FilteredRelation(
        "monthly_investments",
        condition=Q(
            monthly_investments__year=year,
            monthly_investments__month__lte=month,
            monthly_investments__deleted_at__isnull=True,
        ),
    )
    rows = (
        _year_list(user, year)
        .annotate(reported=reported)
        .values(*_PROJECT_COLUMNS)
        .annotate(
            month_amount=_money_sum("reported__amount", filter=Q(reported__month=month)),
            completed=_money_sum("reported__amount"),
            funds=_money_sum("reported__funds_in_place"),
        )
        .order_by("name", "pk")
    )
    return [_project_row(row, share) for row in rows]


def _project_row(row: dict, share: Decimal) -> ProjectInvestmentRow:
    return ProjectInvestmentRow(
        key=row["pk"],
        label=row["name"],
        project_count=1,
        annual_plan=row["annual_plan"],
        month_amount=row["month_amount"],
        completed=row["completed"],
        funds_in_place=row["funds"],
        schedule_share=share,
        project_code=row["project_code"],
        category=row["category"],
        department=row["responsible_department__name"] or "",
        butler=row["butler__full_name"] or row["butler__username"] or "",
    )


def investment_by_department(*, user, year: int, month: int) -> list[InvestmentRow]:
    """One row per responsible department (责任单位), by name, projects without one last."""
    share = schedule_progress(investment_curve(year=year), month)
    projects = _year_list(user, year)
    plans = (
        projects.values("responsible_department", "responsible_department__name")
        .annotate(count=Count("pk"), plan=_money_sum("annual_plan"))
        .order_by()
    )
    # Note: plans and investment are summed in separate queries; one join would repeat each plan per month.
    reported = MonthlyInvestment.objects.filter(
        project__in=projects.values("pk"), year=year, month__lte=month
    )
    sums = {
        row["project__responsible_department"]: row
        for row in reported.values("project__responsible_department")
        .annotate(
            month_amount=_money_sum("amount", filter=Q(month=month)),
            completed=_money_sum("amount"),
            funds=_money_sum("funds_in_place"),
        )
        .order_by()
    }
    rows = [_department_row(plan, sums.get(plan["responsible_department"], {}), share) for plan in plans]
    return sorted(rows, key=lambda row: (row.key is None, row.label))


def _department_row(plan: dict, sums: dict, share: Decimal) -> InvestmentRow:
    return InvestmentRow(
        key=plan["responsible_department"],
        label=plan["responsible_department__name"] or NO_DEPARTMENT,
        project_count=plan["count"],
        annual_plan=plan["plan"],
        month_amount=sums.get("month_amount", ZERO),
        completed=sums.get("completed", ZERO),
        funds_in_place=sums.get("funds", ZERO),
        schedule_share=share,
    )
