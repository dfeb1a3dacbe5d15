"""`daiban export KIND FILE`: write a workbook — projects | investment | overdue | template."""

from __future__ import annotations

import argparse
from pathlib import Path

from daiban.cli import CommandError
from daiban.commands.files import write_atomically

KINDS = {
    "projects": "项目清单",
    "investment": "月度投资报表",
    "overdue": "逾期办件清单",
    "template": "项目清单模板",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="导出 Excel：项目清单、月度投资报表、逾期办件、导入模板")
    parser.add_argument(
        "kind", metavar="KIND", choices=list(KINDS), help="projects | investment | overdue | template"
    )
    parser.add_argument("output", metavar="FILE", type=Path, help="输出的 .xlsx 文件")
    parser.add_argument(
        "--user", default=None, metavar="NAME", help="按该用户的权限范围导出（默认：系统，全部项目）"
    )
    parser.add_argument(
        "--year", type=int, default=None, help="projects：只导出该清单年度；investment：报表年度"
    )
    parser.add_argument("--month", type=int, default=None, help="investment：报表月份 1–12（默认本月）")
    parser.add_argument("--category", default=None, help="projects：只导出该项目类别（如 新开工）")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if args.output.suffix.lower() != ".xlsx":
        raise CommandError(f"输出文件应以 .xlsx 结尾：{args.output}")
    from daiban.commands.django_setup import setup_django

    setup_django()
    from django.db import DatabaseError

    exporter = {"projects": _projects, "investment": _investment, "overdue": _overdue, "template": _template}
    try:
        detail = exporter[args.kind](args)
    except DatabaseError as error:
        raise CommandError(f"无法读取数据库（请先运行 daiban init）：{error}") from None
    print(f"已导出{KINDS[args.kind]}：{args.output}{detail}")
    return 0


def _projects(args: argparse.Namespace) -> str:
    from daiban.projects.excel.exporting import projects_export

    actor, filters = _actor(args.user), _project_filters(args)
    count = write_atomically(
        args.output, lambda stream: projects_export(actor=actor, stream=stream, queryset_or_filters=filters)
    )
    return f"（{count} 个项目）"


def _investment(args: argparse.Namespace) -> str:
    from daiban.projects.excel.reports import investment_export

    actor, (year, month) = _actor(args.user), _year_month(args)
    write_atomically(
        args.output, lambda stream: investment_export(actor=actor, stream=stream, year=year, month=month)
    )
    return f"（{year}年1–{month}月）"


def _overdue(args: argparse.Namespace) -> str:
    from daiban.projects.excel.reports import overdue_export

    actor = _actor(args.user)
    count = write_atomically(args.output, lambda stream: overdue_export(actor=actor, stream=stream))
    return f"（{count} 件）"


def _template(args: argparse.Namespace) -> str:
    from daiban.projects.excel.template import template_write

    butlers, departments = _names()
    write_atomically(
        args.output, lambda stream: template_write(stream, butlers=butlers, departments=departments)
    )
    return ""


def _project_filters(args: argparse.Namespace) -> dict:
    from daiban.projects.choices import Category
    from daiban.projects.excel.cells import CellError, parse_choice

    filters: dict = {"year": args.year}
    if args.category:
        try:
            filters["category"] = parse_choice(args.category, list(Category.choices))
        except CellError as error:
            raise CommandError(f"项目类别{error}") from None
    return filters


def _year_month(args: argparse.Namespace) -> tuple[int, int]:
    from django.utils import timezone

    today = timezone.localdate()
    year, month = args.year or today.year, args.month or today.month
    if not 1 <= month <= 12:
        raise CommandError(f"月份应为 1–12：{month}")
    if not 2000 <= year <= 2100:
        raise CommandError(f"年度应在 2000–2100 之间：{year}")
    return year, month


def _names() -> tuple[list[str], list[str]]:
    """Butler and department names for the template's drop-downs; none when there is no database yet."""
    from django.db import DatabaseError

    from daiban.accounts.models import Department
    from daiban.projects.excel.resolve import butler_labels

    try:
        return sorted(set(butler_labels().values())), list(Department.objects.values_list("name", flat=True))
    except DatabaseError:
        return [], []


def _actor(username: str | None):
    """The named active user, or the system user who sees every project (never written anywhere)."""
    from daiban.accounts.models import User
    from daiban.accounts.selectors import system_user

    if username is None:
        return system_user()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"找不到用户：{username}（或该用户已停用）")
    return user
