"""Reads of the catalogue, the working-day calendar and the light rule set the running system uses.

``work_calendar()`` and ``active_catalogue()`` are built from their rows once and kept in the process; each
call compares a fingerprint of the rows (row count, latest change, sum of versions — one tiny query) with the
one the cached value was built from, so an admin's change in any server process is seen by every other one on
its next request. Within one request the check runs at most once (the memo is reset by the request signals
and by every write of catalogue.services).

Note: a fingerprint rather than a counter bumped on write: it also follows rows rolled back or flushed
(tests), and never confuses two different states that happen to share a counter value.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection

from daiban.catalogue.convert import build_catalogue
from daiban.catalogue.models import ApprovalItemRecord, CalendarDay, CalendarYear, LightRuleSetting
from daiban.core.calendar import DayOverride, WorkCalendar
from daiban.core.catalogue import Catalogue, load_catalogue
from daiban.core.lights import load_rule_sets

T = TypeVar("T")
DEFAULT_RULE_SET = "default"

_built: dict[str, tuple[Any, Any]] = {}  # name -> (fingerprint, value), shared by the process's threads
_request = threading.local()  # .memo: {name: value} during a request, None outside one


def request_memo_start(**_: Any) -> None:
    _request.memo = {}


def request_memo_end(**_: Any) -> None:
    _request.memo = None


def forget() -> None:
    """After a write: the next read in this request checks the fingerprint again."""
    if getattr(_request, "memo", None):
        _request.memo = {}


def _fingerprint(models: tuple[type, ...]) -> tuple:
    parts = ", ".join(
        f"(SELECT COUNT(*) FROM {t}), (SELECT MAX(updated_at) FROM {t}), (SELECT SUM(version) FROM {t})"
        for t in (connection.ops.quote_name(model._meta.db_table) for model in models)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")  # table names from the models, no user input
        return tuple(str(value) for value in cursor.fetchone())


def _fresh(name: str, models: tuple[type, ...], build: Callable[[], T]) -> T:
    memo = getattr(_request, "memo", None)
    if memo is not None and name in memo:
        return memo[name]
    key = _fingerprint(models)
    entry = _built.get(name)
    if entry is None or entry[0] != key:
        entry = _built[name] = (key, build())
    if memo is not None:
        memo[name] = entry[1]
    return entry[1]


# ---------------------------------------------------------------------------------------------- calendar


def work_calendar() -> WorkCalendar:
    """The shipped calendar with the loaded notices (their years official) and the admins' day changes."""
    return _fresh("calendar", (CalendarYear, CalendarDay), _build_calendar)


def _build_calendar() -> WorkCalendar:
    calendar = WorkCalendar.default()
    years = list(CalendarYear.objects.order_by("year"))
    official: dict[int, list[DayOverride]] = defaultdict(list)
    local = []
    for row in CalendarDay.objects.order_by("day"):
        override = DayOverride(row.day, row.workday, row.name)
        (official[row.day.year] if row.official else local).append(override)
    for year in years:
        calendar = calendar.with_year(year.year, official[year.year], notice=year.notice)
    return calendar.with_overrides(local) if local else calendar


# ---------------------------------------------------------------------------------------------- catalogue


def active_catalogue() -> Catalogue:
    """The catalogue every handbook is tailored from: the active rows, validated.

    Note: a table without any row (never seeded, or emptied by a test's flush) means the shipped catalogue.
    """
    return _fresh("catalogue", (ApprovalItemRecord,), _build_catalogue)


def _build_catalogue() -> Catalogue:
    if not ApprovalItemRecord.all_objects.exists():
        return load_catalogue()
    return build_catalogue(ApprovalItemRecord.objects.all())


# ---------------------------------------------------------------------------------------------- light rules


def active_rule_set_name() -> str:
    """The rule set the daily tick applies (``default`` until an admin chooses another)."""
    name = LightRuleSetting.objects.order_by("pk").values_list("rule_set", flat=True).first()
    return name or DEFAULT_RULE_SET


def rule_set_choices() -> list[tuple[str, str]]:
    """(name, "name — title") of every shipped rule set, for the admin's choice."""
    return [
        (name, f"{name} — {rules.title}" if rules.title else name) for name, rules in load_rule_sets().items()
    ]
