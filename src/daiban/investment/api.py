"""API of investment: a project's monthly reports, reporting a month, and the district figures with 四率.

Amounts are 万元 and travel as decimal strings ("1234.50") so no cent is lost to floating point; rates are
shares (0.5 = 50%) or null when their denominator is zero.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from daiban.api.problems import errors
from daiban.api.schemas import Amount, Id, Money, Month, Rate, Year
from daiban.investment.selectors import investment_by_department, investment_months, investment_summary
from daiban.investment.services import investment_record
from daiban.projects.models import Project

router = Router(tags=["投资"])


# ---------------------------------------------------------------------------------------------- schemas


class MonthlyInvestmentOut(Schema):
    year: int
    month: int
    amount: Amount = Field(..., description="当月完成投资（万元）")
    funds_in_place: Amount = Field(..., description="当月到位资金（万元）")
    version: int


class MonthlyInvestmentIn(Schema):
    year: Year
    month: Month
    amount: Money
    funds_in_place: Money
    version: int | None = Field(None, ge=1, description="更正已填报的月份时给出读取时的版本号")


class YearQuery(Schema):
    year: Year | None = Field(None, description="默认今年")


class PeriodQuery(Schema):
    year: Year | None = Field(None, description="默认今年")
    month: Month | None = Field(None, description="截至该月末；默认本月")

    def resolved(self) -> tuple[int, int]:
        today = timezone.localdate()
        return self.year or today.year, self.month or today.month


class FourRatesOut(Schema):
    new_starts: int
    started: int
    annual_plan: Amount
    completed_investment: Amount
    funds_in_place: Amount
    due_to_complete: int
    completed_on_time: int
    start_rate: Rate | None = Field(..., description="开工率")
    investment_completion_rate: Rate | None = Field(..., description="投资完成率")
    funds_in_place_rate: Rate | None = Field(..., description="资金到位率")
    on_time_completion_rate: Rate | None = Field(..., description="按期竣工率")


class MonthPointOut(Schema):
    month: int
    completed: Amount | None
    cumulative: Amount | None
    schedule_share: Rate
    pace: Amount


class InvestmentSummaryOut(Schema):
    year: int
    month: int
    as_of: dt.date
    target: Amount | None
    project_count: int
    annual_plan: Amount
    completed: Amount
    funds_in_place: Amount
    schedule_share: Rate = Field(..., description="序时进度")
    schedule_amount: Amount
    progress_ratio: Rate | None
    gap_points: Rate | None = Field(..., description="完成率减序时进度（百分点）")
    target_completion_rate: Rate | None
    rates: FourRatesOut
    series: list[MonthPointOut]


class DepartmentInvestmentOut(Schema):
    department_id: int | None = Field(..., description="空：未指定责任单位")
    department: str
    project_count: int
    annual_plan: Amount
    month_amount: Amount
    completed: Amount
    funds_in_place: Amount
    schedule_share: Rate
    completion: Rate | None
    gap_points: Rate | None
    behind_schedule: bool

    @staticmethod
    def resolve_department_id(row) -> int | None:
        return row.key

    @staticmethod
    def resolve_department(row) -> str:
        return row.label


# ---------------------------------------------------------------------------------------------- endpoints


@router.get(
    "/projects/{project_id}/investment",
    response={200: list[MonthlyInvestmentOut], **errors(404)},
    summary="项目的月度投资",
)
def investment_list(request: HttpRequest, project_id: Id, query: Query[YearQuery]):
    return investment_months(user=request.auth, project=project_id, year=query.year)


@router.post(
    "/projects/{project_id}/investment",
    response={200: MonthlyInvestmentOut, **errors(400, 403, 404, 409)},
    summary="填报或更正某月投资",
)
def investment_report(request: HttpRequest, project_id: Id, payload: MonthlyInvestmentIn):
    return investment_record(
        actor=request.auth,
        project=Project(pk=project_id),
        year=payload.year,
        month=payload.month,
        amount=payload.amount,
        funds_in_place=payload.funds_in_place,
        expected_version=payload.version,
    )


@router.get(
    "/investment/summary",
    response={200: InvestmentSummaryOut, **errors()},
    summary="投资完成情况、序时进度与四率（本人可见的项目）",
)
def investment_summary_view(request: HttpRequest, period: Query[PeriodQuery]):
    year, month = period.resolved()
    return investment_summary(user=request.auth, year=year, month=month)


@router.get(
    "/investment/by-department",
    response={200: list[DepartmentInvestmentOut], **errors()},
    summary="按责任单位汇总的投资完成情况",
)
def investment_by_department_view(request: HttpRequest, period: Query[PeriodQuery]):
    year, month = period.resolved()
    return investment_by_department(user=request.auth, year=year, month=month)
