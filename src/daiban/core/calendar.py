"""The working-day calendar of mainland China (工作日历).

Semantics
* Approval time limits count working days: statutory holidays are excluded (行政许可法 art. 82).
  A 调休 weekend day is a working day; a weekday given as 调休 rest is not.
* A period does not count the day it starts on (民法典 art. 201): ``add_workdays(d, n)`` is the n-th
  working day *after* d, and ``workdays_between(a, b)`` counts the half-open interval (a, b].
* A period counted in natural days (自然日) that ends on a rest day ends on the next working day instead
  (民法典 art. 203): ``natural_deadline``.

Sources: ``daiban/reference/holidays.json``, generated once by ``scripts/gen_holidays.py`` from the
``holidays`` package (``holidays.China``), with the State Council General Office notice (国办发明电) of each
*official* year. Later years are *provisional*: weekends plus the statutory holidays the package computes, no
调休; ``is_official(year)`` is False for them. Admin overrides (a local 调休, a new year's notice) rebuild the
calendar; nothing in code changes.

After the build every query is O(1): a prefix sum of working days indexed by day offset from ``first`` and the
list of working days (for the inverse). A date outside ``first..last`` raises ``CalendarRangeError``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

from daiban.core.errors import DomainError

SHANGHAI = ZoneInfo("Asia/Shanghai")
KINDS = ("workday", "weekend", "holiday", "adjusted_workday", "adjusted_rest")


class CalendarRangeError(DomainError):
    """A date (or a result) outside the calendar's supported range."""


@dataclass(frozen=True)
class DayOverride:
    """A day that differs from the default; also the shape of the special days in the reference file.

    A weekday rest day whose name contains "调休" is a 调休 rest day (adjusted_rest), otherwise a holiday.
    """

    day: date
    workday: bool
    name: str = ""  # e.g. "春节", "春节调休上班"


@dataclass(frozen=True)
class DayInfo:
    """One day of a month view."""

    day: date
    workday: bool
    kind: str  # one of KINDS
    name: str
    official: bool


def _kind(day: date, workday: bool, name: str) -> str:
    weekend = day.weekday() >= 5
    if workday:
        return "adjusted_workday" if weekend else "workday"
    if weekend:
        return "holiday" if name else "weekend"
    return "holiday" if name and "调休" not in name else "adjusted_rest"


def _parse_day(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(f"工作日历数据中的日期 “{value}” 无效，应为 YYYY-MM-DD") from None


class WorkCalendar:
    """Working days between ``first`` and ``last`` (inclusive). Immutable; overrides give a new calendar."""

    first: date
    last: date

    def __init__(self, data: Mapping, overrides: Iterable[DayOverride] = ()) -> None:
        self._data = data
        self._overrides = tuple(overrides)
        self.first = _parse_day(data.get("first"))
        self.last = _parse_day(data.get("last"))
        if self.last < self.first:
            raise DomainError(f"工作日历范围无效：{self.first} 晚于 {self.last}")
        self._base = self.first.toordinal()
        self._size = self.last.toordinal() - self._base + 1
        self._years = {int(year): entry for year, entry in data.get("years", {}).items()}
        self._special = self._special_days()
        self._build_index()

    # -- construction -------------------------------------------------------------------------------------

    @classmethod
    @functools.cache
    def default(cls) -> WorkCalendar:
        """The shipped calendar (reference/holidays.json), built once per process."""
        text = resources.files("daiban.reference").joinpath("holidays.json").read_text(encoding="utf-8")
        return cls(json.loads(text))

    @classmethod
    def from_data(cls, data: Mapping, overrides: Iterable[DayOverride] = ()) -> WorkCalendar:
        """A calendar from data in the reference-file shape, with admin overrides applied on top."""
        return cls(data, overrides)

    def with_overrides(self, overrides: Iterable[DayOverride]) -> WorkCalendar:
        """A new calendar with these overrides added after the existing ones (a later override wins)."""
        return WorkCalendar(self._data, (*self._overrides, *overrides))

    def with_year(self, year: int, days: Iterable[DayOverride], *, notice: str) -> WorkCalendar:
        """A new calendar in which ``year`` follows a newly published notice: its special days are replaced
        by ``days`` and the year becomes official."""
        if not self.first.year <= year <= self.last.year:
            raise CalendarRangeError(f"{year} 年超出{self._range_text()}")
        days = tuple(days)
        stray = [o.day.isoformat() for o in days if o.day.year != year]
        if stray:
            raise DomainError(f"{year} 年的通知中含有其他年份的日期：{'、'.join(stray)}")
        entry = {
            "official": True,
            "notices": [{"number": notice}],
            "days": [{"day": o.day.isoformat(), "workday": o.workday, "name": o.name} for o in days],
        }
        years = {**self._data.get("years", {}), str(year): entry}
        return WorkCalendar({**self._data, "years": years}, self._overrides)

    def _special_days(self) -> dict[date, DayOverride]:
        special: dict[date, DayOverride] = {}
        for entry in self._years.values():
            for raw in entry.get("days", ()):
                day = _parse_day(raw.get("day"))
                if not isinstance(raw.get("workday"), bool):
                    raise DomainError(f"工作日历数据中 {day.isoformat()} 的 workday 应为 true 或 false")
                if self.first <= day <= self.last:
                    special[day] = DayOverride(day, raw["workday"], str(raw.get("name", "")))
        for override in self._overrides:
            day = override.day.date() if isinstance(override.day, datetime) else override.day
            special[self._check(day)] = DayOverride(day, override.workday, override.name)
        return special

    def _build_index(self) -> None:
        # _ord[i]: working days from first up to and including first + i; _dates[k - 1]: working day k.
        self._ord: list[int] = []
        self._dates: list[date] = []
        count = 0
        day = self.first
        for _ in range(self._size):
            override = self._special.get(day)
            if override.workday if override else day.weekday() < 5:
                count += 1
                self._dates.append(day)
            self._ord.append(count)
            day += timedelta(days=1)

    # -- errors ----------------------------------------------------------------------------------------------

    def _range_text(self) -> str:
        return f"工作日历范围 {self.first.isoformat()} 至 {self.last.isoformat()}"

    def _out_of_range(self, d: date) -> CalendarRangeError:
        return CalendarRangeError(f"日期 {d.isoformat()} 超出{self._range_text()}")

    def _index(self, d: date) -> int:
        i = d.toordinal() - self._base
        if 0 <= i < self._size:
            return i
        raise self._out_of_range(d)

    def _check(self, d: date) -> date:
        self._index(d)
        return d

    # -- years and notices ---------------------------------------------------------------------------------

    def is_official(self, year: int) -> bool:
        """True if the year follows a State Council notice; False for provisional or unknown years."""
        return bool(self._years.get(year, {}).get("official", False))

    def notice(self, year: int) -> str | None:
        """The notice number(s) of an official year, e.g. "国办发明电〔2025〕7号"; several joined by "、"."""
        numbers = [n["number"] for n in self._years.get(year, {}).get("notices", ()) if n.get("number")]
        return "、".join(numbers) if numbers and self.is_official(year) else None

    # -- working days -------------------------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        i = self._index(d)
        return self._ord[i] != (self._ord[i - 1] if i else 0)

    def ordinal(self, d: date) -> int:
        """Working days from ``first`` up to and including d (a rest day has the previous workday's)."""
        return self._ord[self._index(d)]

    def date_of(self, ordinal: int) -> date:
        """The working day whose ordinal is ``ordinal`` (1-based)."""
        if 1 <= ordinal <= len(self._dates):
            return self._dates[ordinal - 1]
        raise CalendarRangeError(
            f"第 {ordinal} 个工作日超出{self._range_text()}（工作日序号 1 至 {len(self._dates)}）"
        )

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; the negative of the count in (b, a] if b < a; 0 if equal."""
        base, size, ords = self._base, self._size, self._ord
        i = a.toordinal() - base
        j = b.toordinal() - base
        if 0 <= i < size and 0 <= j < size:
            return ords[j] - ords[i]
        raise self._out_of_range(b if 0 <= i < size else a)

    def add_workdays(self, d: date, n: int) -> date:
        """n > 0: the n-th working day after d (d not counted); n < 0: the |n|-th before d; n == 0: d."""
        i = self._index(d)
        if n == 0:
            return d
        before = self._ord[i - 1] if i else 0  # working days strictly before d
        target = self._ord[i] + n if n > 0 else before + n + 1
        if 1 <= target <= len(self._dates):
            return self._dates[target - 1]
        where = "后" if n > 0 else "前"
        raise CalendarRangeError(f"{d.isoformat()} {where}第 {abs(n)} 个工作日超出{self._range_text()}")

    def next_workday(self, d: date, *, inclusive: bool = False) -> date:
        """The first working day after d (or d itself if ``inclusive`` and d is a working day)."""
        if inclusive and self.is_workday(d):
            return d
        return self.add_workdays(d, 1)

    def previous_workday(self, d: date, *, inclusive: bool = False) -> date:
        """The last working day before d (or d itself if ``inclusive`` and d is a working day)."""
        if inclusive and self.is_workday(d):
            return d
        return self.add_workdays(d, -1)

    # -- natural days (自然日) ------------------------------------------------------------------------------

    def add_days(self, d: date, n: int) -> date:
        """d + n natural days; both d and the result must be in range."""
        i = self._index(d) + n
        if 0 <= i < self._size:
            return d + timedelta(days=n)
        raise CalendarRangeError(f"{d.isoformat()} 加 {n} 天超出{self._range_text()}")

    def days_between(self, a: date, b: date) -> int:
        """(b - a).days, both dates in range."""
        self._check(a)
        self._check(b)
        return (b - a).days

    def natural_deadline(self, d: date, n: int) -> date:
        """d + n natural days; if that is a rest day, the next working day (民法典 art. 203)."""
        return self.next_workday(self.add_days(d, n), inclusive=True)

    # -- views -------------------------------------------------------------------------------------------

    def day_info(self, d: date) -> DayInfo:
        workday = self.is_workday(d)
        special = self._special.get(d)
        name = special.name if special else ""
        return DayInfo(d, workday, _kind(d, workday, name), name, self.is_official(d.year))

    def month(self, year: int, month: int) -> list[DayInfo]:
        """Every day of the month, in order."""
        if not 1 <= month <= 12:
            raise DomainError(f"月份 {month} 无效，应为 1 至 12")
        if not self.first.year <= year <= self.last.year:
            raise CalendarRangeError(f"{year} 年 {month} 月超出{self._range_text()}")
        start = self._check(date(year, month, 1))
        end = date(year + month // 12, month % 12 + 1, 1)
        self._check(end - timedelta(days=1))
        return [self.day_info(start + timedelta(days=k)) for k in range((end - start).days)]

    def today(self) -> date:
        """Today in Asia/Shanghai."""
        return datetime.now(SHANGHAI).date()
