"""Dashboard figures (驾驶舱) from the one dashboard selector, so the page and the API cannot disagree.

Every tally carries the ``key`` the project list filter takes (``/projects?light=red``, ``milestone=none``).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from daiban.api.problems import errors
from daiban.api.schemas import Month, Rate, Year
from daiban.investment.api import InvestmentSummaryOut
from daiban.projects.dashboard import dashboard_default_month, dashboard_figures

router = Router(tags=["驾驶舱"])


class DashboardQuery(Schema):
    year: Year | None = Field(None, description="默认今年")
    month: Month | None = Field(None, description="投资截至该月末；默认已填报投资的最近月份")


class TallyOut(Schema):
    key: str = Field(..., description="项目清单的筛选值")
    label: str
    count: int


class FlaggedProjectOut(Schema):
    id: int
    name: str
    light: str
    reasons: list[str]
    butler: str
    department: str

    @staticmethod
    def resolve_id(row) -> int:
        return row.pk


class OverdueCaseOut(Schema):
    id: int
    project_id: int
    project_name: str
    name: str
    department: str
    due_on: dt.date | None
    overdue_days: int

    @staticmethod
    def resolve_id(row) -> int:
        return row.pk


class DepartmentOverdueOut(Schema):
    department_id: int | None = Field(..., description="空：审批部门名称未匹配到部门")
    department: str
    overdue: int
    average_days: Rate | None = Field(..., description="平均超出承诺时限的天数")
    max_days: int
    projects: int

    @staticmethod
    def resolve_department_id(row) -> int | None:
        return row.key

    @staticmethod
    def resolve_department(row) -> str:
        return row.label


class DashboardOut(Schema):
    year: int
    month: int
    project_count: int
    by_category: list[TallyOut]
    by_milestone: list[TallyOut]
    by_light: list[TallyOut]
    investment: InvestmentSummaryOut
    flagged: list[FlaggedProjectOut] = Field(..., description="红灯、黄灯项目（红灯在前，最多 50 个）")
    overdue_cases: list[OverdueCaseOut] = Field(..., description="逾期最久的办件（最多 20 个）")
    overdue_total: int
    overdue_projects: int
    departments: list[DepartmentOverdueOut] = Field(..., description="审批部门按逾期办件数排序")


@router.get("", response={200: DashboardOut, **errors()}, summary="驾驶舱数字（本人可见的项目）")
def dashboard(request: HttpRequest, query: Query[DashboardQuery]):
    year = query.year or timezone.localdate().year
    month = query.month or dashboard_default_month(user=request.auth, year=year)
    return dashboard_figures(user=request.auth, year=year, month=month)
