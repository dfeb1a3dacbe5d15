"""`daiban import FILE [--dry-run]`: import a 项目清单 workbook, all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from daiban.cli import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("import", help="导入项目清单（Excel），有任何错误则全部不写入")
    parser.add_argument("file", metavar="FILE", type=Path, help="项目清单 .xlsx / .xls / .ods 文件")
    parser.add_argument("--dry-run", action="store_true", help="只检查并报告将新建/更新/未变的项目，不写入")
    parser.add_argument("--user", default=None, metavar="NAME", help="以该用户的身份和权限导入（默认：系统）")
    parser.add_argument(
        "--max-size", type=float, default=None, metavar="MB", help="文件大小上限（MB），默认 10"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="逐行列出新建/更新/未变")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from daiban.commands.django_setup import setup_django

    setup_django()
    from django.db import DatabaseError

    from daiban.projects.excel.importing import project_list_import

    max_bytes = int(args.max_size * 1024 * 1024) if args.max_size else None
    if max_bytes is not None and max_bytes <= 0:
        raise CommandError("--max-size 应为正数")
    try:
        actor = _actor(args.user)
        report = project_list_import(actor=actor, file=args.file, dry_run=args.dry_run, max_bytes=max_bytes)
    except DatabaseError as error:
        raise CommandError(f"无法读取数据库（请先运行 daiban init）：{error}") from None
    if not report.ok:
        print(report.summary(), file=sys.stderr)
        return 1
    if args.verbose:
        for outcome in report.rows:
            print(outcome)
    print(report.summary())
    return 0


def _actor(username: str | None):
    """None (the system) or the named active user, whose permissions and scope then apply."""
    if username is None:
        return None
    from daiban.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"找不到用户：{username}（或该用户已停用）")
    return user
