"""Working-day queries on the calendar every approval computation uses (approvals.planning.calendar).

The start day is not counted (民法典 art. 201): ``workdays?a=&b=`` counts (a, b]; ``add?d=&n=`` is the n-th
working day after d. A date outside the calendar's range is a 400 naming the range.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from daiban.api.problems import errors
from daiban.approvals.planning import calendar

router = Router(tags=["工作日历"])
MonthPath = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM，如 2026-02")]


class WorkdaysQuery(Schema):
    a: dt.date = Field(..., description="起始日期（不计入）")
    b: dt.date = Field(..., description="截止日期（计入）")


class WorkdaysOut(Schema):
    a: dt.date
    b: dt.date
    workdays: int = Field(..., description="(a, b] 内的工作日数；b 早于 a 时为负数")


class AddQuery(Schema):
    d: dt.date = Field(..., description="日期（不计入）")
    n: int = Field(..., ge=-100_000, le=100_000, description="工作日数，可为负数")


class AddOut(Schema):
    d: dt.date
    n: int
    date: dt.date


class DayOut(Schema):
    day: dt.date
    workday: bool
    kind: str = Field(..., description="workday / weekend / holiday / adjusted_workday / adjusted_rest")
    name: str
    official: bool = Field(..., description="该年依据国务院办公厅通知；否则为暂定")


class MonthOut(Schema):
    year: int
    month: int
    official: bool
    notice: str | None
    workdays: int
    days: list[DayOut]


@router.get("/workdays", response={200: WorkdaysOut, **errors(400)}, summary="两个日期之间的工作日数")
def workdays(request: HttpRequest, query: Query[WorkdaysQuery]):
    return {"a": query.a, "b": query.b, "workdays": calendar().workdays_between(query.a, query.b)}


@router.get("/add", response={200: AddOut, **errors(400)}, summary="某日之后第 n 个工作日")
def add_workdays(request: HttpRequest, query: Query[AddQuery]):
    return {"d": query.d, "n": query.n, "date": calendar().add_workdays(query.d, query.n)}


@router.get("/month/{month}", response={200: MonthOut, **errors(400)}, summary="月历（节假日与调休）")
def month_view(request: HttpRequest, month: MonthPath):
    year, number = (int(part) for part in month.split("-"))
    work_calendar = calendar()
    days = work_calendar.month(year, number)
    return {
        "year": year,
        "month": number,
        "official": work_calendar.is_official(year),
        "notice": work_calendar.notice(year),
        "workdays": sum(day.workday for day in days),
        "days": days,
    }
