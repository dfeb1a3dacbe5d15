"""`daiban report dispatch [--from D] [--to D] FILE`: the 调度报告 of a period as Word (.docx) or Excel."""

from __future__ import annotations

import argparse
from pathlib import Path

from daiban.cli import CommandError
from daiban.commands.calendar import parse_date
from daiban.commands.files import write_atomically


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="调度报告：导出 Word 或 Excel")
    parser.add_argument("kind", metavar="KIND", choices=["dispatch"], help="dispatch（调度报告）")
    parser.add_argument("output", metavar="FILE", type=Path, help="输出文件：.docx（Word）或 .xlsx（Excel）")
    parser.add_argument(
        "--from", dest="date_from", metavar="D", default=None, help="起始日期（默认截止日期前两周）"
    )
    parser.add_argument("--to", dest="date_to", metavar="D", default=None, help="截止日期（默认今天）")
    parser.add_argument(
        "--user", default=None, metavar="NAME", help="按该用户的权限范围统计（默认：系统，全部项目）"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    suffix = args.output.suffix.lower()
    if suffix not in (".docx", ".xlsx"):
        raise CommandError(f"输出文件应以 .docx 或 .xlsx 结尾：{args.output}")
    date_to = parse_date(args.date_to) if args.date_to else None
    date_from = parse_date(args.date_from) if args.date_from else None
    from daiban.commands.django_setup import setup_django

    setup_django()
    from django.db import DatabaseError

    from daiban.commands.exporting import _actor
    from daiban.meetings.report.figures import default_period, dispatch_report

    actor = _actor(args.user)
    default_from, default_to = default_period(today=date_to)
    date_from, date_to = date_from or default_from, date_to or default_to
    if date_from > date_to:
        raise CommandError(f"起始日期（{date_from}）不能晚于截止日期（{date_to}）")
    try:
        report = dispatch_report(user=actor, date_from=date_from, date_to=date_to)
    except DatabaseError as error:
        raise CommandError(f"无法读取数据库（请先运行 daiban init）：{error}") from None
    _write(args.output, report, suffix)
    figures = report.figures
    print(
        f"已导出调度报告：{args.output}（{date_from} 至 {date_to}；清单项目 {figures.project_count} 个，"
        f"红灯 {figures.light_count('red')} 个，黄灯 {figures.light_count('yellow')} 个，"
        f"逾期办件 {figures.overdue_total} 件）"
    )
    return 0


def _write(path: Path, report, suffix: str) -> None:
    """Whole or not at all, readable like any new file of the user (see ``write_atomically``)."""
    from daiban.meetings.report.excel import report_xlsx
    from daiban.meetings.report.word import report_docx

    if path.is_dir():
        raise CommandError(f"输出路径是目录：{path}")
    try:
        write_atomically(
            path, lambda stream: (report_docx if suffix == ".docx" else report_xlsx)(report, stream)
        )
    except OSError as error:
        raise CommandError(f"无法写入 {path}：{error.strerror or error}") from None
