"""Writes of the catalogue, the working-day calendar and the light rule set: administrators only, audited.

Every catalogue write validates the WHOLE catalogue as it would be after the write (core
``Catalogue.from_data``) before writing anything, so a bad edit is refused with the culprit named.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from daiban.accounts.permissions import require
from daiban.audit.services import BOOKKEEPING, create_tracked, soft_delete, update_versioned
from daiban.catalogue import selectors
from daiban.catalogue.convert import CONDITION_LABELS, build_catalogue
from daiban.catalogue.models import ApprovalItemRecord, CalendarDay, CalendarYear, LightRuleSetting
from daiban.catalogue.permissions import can_manage_catalogue
from daiban.core.calendar import DayOverride, WorkCalendar
from daiban.core.catalogue import Catalogue, CatalogueError
from daiban.core.errors import DomainError
from daiban.core.lights import load_rule_sets

ITEM_FIELDS = frozenset(field.name for field in ApprovalItemRecord._meta.concrete_fields) - BOOKKEEPING


def _require_admin(actor, what: str) -> None:
    require(can_manage_catalogue(actor=actor), f"只有管理员可以{what}")


# ---------------------------------------------------------------------------------------------- catalogue


def catalogue_check(
    *, item: ApprovalItemRecord | None = None, changes: Mapping[str, Any] | None = None, remove: bool = False
) -> Catalogue:
    """The catalogue as it would be with ``item`` changed by ``changes`` (a new item when it has no pk), or
    without it (``remove``). Raises CatalogueError naming the culprit; writes nothing."""
    rows = [row for row in ApprovalItemRecord.objects.all() if item is None or row.pk != item.pk]
    if item is not None and not remove:
        candidate = ApprovalItemRecord(**{name: getattr(item, name) for name in ITEM_FIELDS})
        for name, value in (changes or {}).items():
            setattr(candidate, name, value)
        rows.append(candidate)
    try:
        return build_catalogue(rows)
    except CatalogueError as error:
        message = str(error)
        for key, label in CONDITION_LABELS.items():  # the core names the key; the admin reads the label
            message = message.replace(f"的 {key} 有误", f"的{label}（{key}）有误")
        raise CatalogueError(f"事项库校验未通过：{message}") from None


@transaction.atomic
def catalogue_item_create(*, actor, **fields: Any) -> ApprovalItemRecord:
    """Add an item; refused (nothing written) if the catalogue with it is invalid."""
    _require_admin(actor, "修改事项库")
    _lock_catalogue()
    _check_fields(fields)
    catalogue_check(item=ApprovalItemRecord(**fields))
    item = create_tracked(ApprovalItemRecord, actor=actor, audit_note="事项库", **fields)
    selectors.forget()
    return item


@transaction.atomic
def catalogue_item_update(
    *, actor, item: ApprovalItemRecord, expected_version: int | None, **changes: Any
) -> ApprovalItemRecord:
    """Change an item (the code stays); refused (nothing written) if the catalogue after it is invalid."""
    _require_admin(actor, "修改事项库")
    _lock_catalogue()
    _check_fields(changes)
    if "code" in changes and changes["code"] != item.code:
        raise DomainError(f"事项“{item}”的编码创建后不能修改（已生成的办件以编码对应事项）")
    fresh = ApprovalItemRecord.objects.get(pk=item.pk)
    catalogue_check(item=fresh, changes=changes)
    item = update_versioned(fresh, actor=actor, expected_version=expected_version, changes=changes)
    selectors.forget()
    return item


@transaction.atomic
def catalogue_item_delete(*, actor, item: ApprovalItemRecord, expected_version: int | None = None) -> None:
    """Remove an item (soft delete); refused while another active item needs it as a prerequisite."""
    _require_admin(actor, "修改事项库")
    _lock_catalogue()
    catalogue_check(item=item, remove=True)
    soft_delete(item, actor=actor, expected_version=expected_version, audit_note="事项库")
    selectors.forget()


def _lock_catalogue() -> None:
    # Note: two admins could each add half of a cycle; locking every row makes the whole-catalogue check hold.
    list(ApprovalItemRecord.all_objects.select_for_update().order_by("pk").values_list("pk", flat=True))


def _check_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise DomainError(f"审批事项没有字段：{'、'.join(sorted(unknown))}")


# ---------------------------------------------------------------------------------------------- calendar

_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
_LINE = re.compile(rf"^{_DATE}(?:\s*(?:~|～|至|到|--|—)\s*{_DATE})?[\s,，、]*(.*)$")
_KIND = re.compile(r"^(放假|休息|上班|休|假|班|rest|work)[\s,，、:：]*(.*)$", re.IGNORECASE)
_WORK_WORDS = {"上班", "班", "work"}
_MAX_RANGE = 60


def parse_notice(text: str, *, year: int) -> list[DayOverride]:
    """The special days of one year's notice from lines such as ``2027-02-06 休 春节`` (a rest day),
    ``2027-02-14 班 春节调休上班`` (a working day) or ``2027-02-06~2027-02-12 休 春节`` (a range).
    Blank lines and lines starting with # are skipped. All mistakes are reported at once, by line."""
    days: dict[dt.date, tuple[int, DayOverride]] = {}
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip().replace("\u3000", " ")
        if not line or line.startswith("#"):
            continue
        try:
            parsed = _parse_line(line, year=year)
        except DomainError as error:
            errors.append(f"第 {number} 行：{error}")
            continue
        for override in parsed:
            if override.day in days:
                errors.append(f"第 {number} 行：{override.day} 与第 {days[override.day][0]} 行重复")
            days[override.day] = (number, override)
    if errors:
        shown = "；".join(errors[:10]) + ("；……" if len(errors) > 10 else "")
        raise DomainError(f"放假安排有误：{shown}")
    if not days:
        raise DomainError("放假安排中没有读到任何日期（每行如：2027-02-06 休 春节）")
    return [override for _, override in sorted(days.values(), key=lambda pair: pair[1].day)]


def _parse_line(line: str, *, year: int) -> list[DayOverride]:
    match = _LINE.match(line)
    if match is None:
        raise DomainError(f"“{line}”应以日期开头，如 2027-02-06 休 春节")
    first = _date(*match.groups()[0:3])
    last = _date(*match.groups()[3:6]) if match.group(4) else first
    kind = _KIND.match(match.group(7).strip())
    if kind is None:
        raise DomainError(f"“{line}”缺少“休”或“班”")
    name = kind.group(2).strip()
    if not name:
        raise DomainError(f"“{line}”缺少名称（如 春节、春节调休上班）")
    if not first <= last <= first + dt.timedelta(days=_MAX_RANGE):
        raise DomainError(f"日期范围 {first} 至 {last} 无效")
    for day in (first, last):
        if day.year != year:
            raise DomainError(f"{day} 不属于 {year} 年")
    workday = kind.group(1).lower() in _WORK_WORDS
    count = (last - first).days + 1
    return [DayOverride(first + dt.timedelta(days=k), workday, name) for k in range(count)]


def _date(year: str, month: str, day: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise DomainError(f"日期 {year}-{month}-{day} 不存在") from None


@transaction.atomic
def calendar_year_load(*, actor, year: int, notice: str, text: str, note: str = "") -> CalendarYear:
    """Load a year's 放假通知: its special days replace the year's (shipped or loaded) ones, and the year
    becomes official. Loading the same year again applies only the differences (each audited)."""
    _require_admin(actor, "载入放假安排")
    notice = (notice or "").strip()
    if not notice:
        raise DomainError("请填写通知文号（如 国办发明电〔2026〕X号）")
    days = parse_notice(text, year=year)
    WorkCalendar.default().with_year(year, days, notice=notice)  # the range check, before writing anything
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    fields = {"notice": notice, "loaded_at": timezone.now(), "note": note}
    audit_note = f"载入放假通知 {notice}"
    if row is None:
        row = create_tracked(CalendarYear, actor=actor, audit_note=audit_note, year=year, **fields)
    else:
        row = update_versioned(row, actor=actor, expected_version=None, changes=fields, audit_note=audit_note)
    _official_days_replace(actor=actor, year=year, days=days, audit_note=audit_note)
    selectors.forget()
    return row


def _official_days_replace(*, actor, year: int, days: Iterable[DayOverride], audit_note: str) -> None:
    existing = {
        row.day: row for row in CalendarDay.objects.select_for_update().filter(official=True, day__year=year)
    }
    for override in days:
        values = {"workday": override.workday, "name": override.name}
        row = existing.pop(override.day, None)
        if row is None:
            create_tracked(
                CalendarDay, actor=actor, audit_note=audit_note, day=override.day, official=True, **values
            )
        else:
            update_versioned(row, actor=actor, expected_version=None, changes=values, audit_note=audit_note)
    for row in existing.values():
        soft_delete(row, actor=actor, audit_note=audit_note)


@transaction.atomic
def calendar_year_delete(*, actor, calendar_year: CalendarYear, expected_version: int | None = None) -> None:
    """Withdraw a loaded notice: the year falls back to the shipped calendar (provisional if not shipped)."""
    _require_admin(actor, "修改工作日历")
    note = f"撤销 {calendar_year.year} 年放假安排"
    soft_delete(calendar_year, actor=actor, expected_version=expected_version, audit_note=note)
    days = CalendarDay.objects.select_for_update().filter(official=True, day__year=calendar_year.year)
    for row in days:
        soft_delete(row, actor=actor, audit_note=note)
    selectors.forget()


@transaction.atomic
def calendar_day_mark(*, actor, day: dt.date, workday: bool, name: str, note: str = "") -> CalendarDay:
    """Mark one day as a working or a rest day (a local 调休, a typhoon closure); it wins over the notice.
    An existing local change of that day is updated."""
    _require_admin(actor, "修改工作日历")
    check_in_range(day)
    values = {"workday": workday, "name": name.strip(), "note": note}
    row = CalendarDay.objects.select_for_update().filter(day=day, official=False).first()
    if row is None:
        row = create_tracked(CalendarDay, actor=actor, audit_note="标记日期", day=day, **values)
    else:
        row = update_versioned(row, actor=actor, expected_version=None, changes=values, audit_note="标记日期")
    selectors.forget()
    return row


@transaction.atomic
def calendar_day_update(
    *, actor, calendar_day: CalendarDay, expected_version: int | None, **changes: Any
) -> CalendarDay:
    _require_admin(actor, "修改工作日历")
    unknown = set(changes) - {"day", "workday", "name", "note"}
    if unknown:
        raise DomainError(f"工作日历调整没有可修改的字段：{'、'.join(sorted(unknown))}")
    if "day" in changes:
        check_in_range(changes["day"])
        if calendar_day.official and changes["day"].year != calendar_day.day.year:
            raise DomainError(f"放假通知中的日期只能在 {calendar_day.day.year} 年内修改")
    row = update_versioned(calendar_day, actor=actor, expected_version=expected_version, changes=changes)
    selectors.forget()
    return row


@transaction.atomic
def calendar_day_delete(*, actor, calendar_day: CalendarDay, expected_version: int | None = None) -> None:
    """Remove a day change: the day follows the notice (or the default calendar) again."""
    _require_admin(actor, "修改工作日历")
    soft_delete(calendar_day, actor=actor, expected_version=expected_version, audit_note="撤销日期调整")
    selectors.forget()


def check_in_range(day: dt.date) -> None:
    calendar = WorkCalendar.default()
    if not calendar.first <= day <= calendar.last:
        raise DomainError(f"日期 {day} 超出工作日历范围 {calendar.first} 至 {calendar.last}")


# ---------------------------------------------------------------------------------------------- light rules


@transaction.atomic
def light_rule_set_select(*, actor, name: str) -> LightRuleSetting:
    """Choose the traffic-light rule set the daily tick applies from the next run on."""
    _require_admin(actor, "修改红绿灯规则")
    rule_sets = load_rule_sets()
    if name not in rule_sets:
        raise DomainError(f"未知的红绿灯规则集“{name}”（可选：{'、'.join(rule_sets)}）")
    row = LightRuleSetting.objects.select_for_update().order_by("pk").first()
    if row is None:
        return create_tracked(LightRuleSetting, actor=actor, rule_set=name)
    return update_versioned(row, actor=actor, expected_version=None, changes={"rule_set": name})
