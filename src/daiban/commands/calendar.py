"""`daiban calendar`: working-day arithmetic and a month view of the working-day calendar."""

from __future__ import annotations

import argparse
import re
from datetime import date

from daiban.cli import CommandError
from daiban.core.calendar import DayInfo, WorkCalendar

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_INT = re.compile(r"[+-]?\d{1,7}")
WEEKDAYS = "一二三四五六日"
MARKS = {"holiday": "休", "adjusted_rest": "休", "adjusted_workday": "班"}
KIND_LABELS = {
    "holiday": "节假日",
    "adjusted_rest": "调休休息",
    "adjusted_workday": "调休上班",
    "weekend": "周末",
    "workday": "工作日",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("calendar", help="工作日历：工作日计算与月历")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    workdays = actions.add_parser("workdays", help="A 之后至 B（含 B）的工作日数")
    workdays.add_argument("start", metavar="A", help="起始日期 YYYY-MM-DD（不计入）")
    workdays.add_argument("end", metavar="B", help="截止日期 YYYY-MM-DD（计入）")
    workdays.set_defaults(handler=handle_workdays)

    add = actions.add_parser("add", help="D 之后第 N 个工作日（N 为负数则向前）")
    add.add_argument("day", metavar="D", help="日期 YYYY-MM-DD（不计入）")
    add.add_argument("count", metavar="N", help="工作日数，可为负数")
    add.set_defaults(handler=handle_add)

    show = actions.add_parser("show", help="显示某月的月历（默认本月）")
    show.add_argument("month", metavar="YYYY-MM", nargs="?", default=None, help="月份，如 2026-02")
    show.set_defaults(handler=handle_show)


def parse_date(text: str) -> date:
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise CommandError(f"日期 “{text}” 无效，应为 YYYY-MM-DD（如 2026-02-14）")


def parse_int(text: str) -> int:
    if _INT.fullmatch(text):
        return int(text)
    raise CommandError(f"工作日数 “{text}” 无效，应为整数（如 20 或 -5）")


def parse_month(text: str) -> tuple[int, int]:
    match = _MONTH.fullmatch(text)
    if match and 1 <= int(match.group(2)) <= 12 and int(match.group(1)) >= 1:
        return int(match.group(1)), int(match.group(2))
    raise CommandError(f"月份 “{text}” 无效，应为 YYYY-MM（如 2026-02）")


def handle_workdays(args: argparse.Namespace) -> int:
    start, end = parse_date(args.start), parse_date(args.end)
    print(WorkCalendar.default().workdays_between(start, end))
    return 0


def handle_add(args: argparse.Namespace) -> int:
    day, count = parse_date(args.day), parse_int(args.count)
    print(WorkCalendar.default().add_workdays(day, count).isoformat())
    return 0


def handle_show(args: argparse.Namespace) -> int:
    calendar = WorkCalendar.default()
    year, month = parse_month(args.month) if args.month else calendar.today().timetuple()[:2]
    print("\n".join(render_month(calendar, year, month)))
    return 0


def render_month(calendar: WorkCalendar, year: int, month: int) -> list[str]:
    """A Monday-first grid with 班/休 marks, a legend, the month's special days and its working-day count."""
    days = calendar.month(year, month)
    lines = [f"{year}年{month}月 工作日历", "".join(f"  {name} " for name in WEEKDAYS).rstrip()]
    lines += _grid(days)
    lines.append("图例：班 = 调休上班　休 = 节假日或调休休息　未标注的周六、周日为周末休息")
    specials = [info for info in days if info.kind not in ("workday", "weekend")]
    lines += [_special_line(info) for info in specials]
    lines.append(f"本月工作日：{sum(info.workday for info in days)} 天")
    if calendar.is_official(year):
        lines.append(f"依据：{calendar.notice(year)}（国务院办公厅部分节假日安排的通知）")
    else:
        lines.append(
            f"暂行：{year} 年尚无国务院办公厅放假安排通知，本月只按周末和法定节假日计算（未含调休），"
            "以正式通知为准。"
        )
    return lines


def _grid(days: list[DayInfo]) -> list[str]:
    # Each cell is five display columns: a right-aligned day number and a two-column CJK mark (or spaces).
    cells = ["     "] * days[0].day.weekday()
    cells += [f"{info.day.day:>3}{MARKS.get(info.kind, '  ')}" for info in days]
    return ["".join(cells[k : k + 7]).rstrip() for k in range(0, len(cells), 7)]


def _special_line(info: DayInfo) -> str:
    when = f"{info.day.month}月{info.day.day}日 周{WEEKDAYS[info.day.weekday()]}"
    return f"  {when}  {KIND_LABELS[info.kind]}  {info.name}".rstrip()
