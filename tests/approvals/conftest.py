"""Approval-case fixtures: a pinned "today" and a project with its generated cases."""

from __future__ import annotations

import datetime as dt

import pytest

from daiban.approvals.models import ApprovalCase
from daiban.approvals.services import cases_generate, common
from daiban.core.calendar import WorkCalendar

# A Monday; March 2026 has no public holiday, so its working days are its weekdays.
T0 = dt.date(2026, 3, 2)


class Clock:
    """The services' "today", moved by the tests."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def set(self, day: dt.date) -> dt.date:
        self.day = day
        return day

    def workdays_later(self, n: int) -> dt.date:
        return self.set(WorkCalendar.default().add_workdays(self.day, n))


@pytest.fixture
def clock(monkeypatch) -> Clock:
    state = Clock(T0)
    monkeypatch.setattr(common, "today", lambda: state.day)
    return state


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar.default()


@pytest.fixture
def generated(project, clock):
    """The project's cases, generated on T0 (no milestone: the plan starts on T0)."""
    cases_generate(actor=None, project=project)
    return project


def case_of(project, code: str) -> ApprovalCase:
    return ApprovalCase.objects.get(project=project, item_code=code)
