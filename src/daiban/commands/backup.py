"""`daiban backup FILE`: a consistent copy of the whole database."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("backup", help="备份整个数据库到文件")
    parser.add_argument("file", type=Path, help="备份文件")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from daiban.commands.django_setup import setup_django

    setup_django()
    from daiban.backup import backup_write

    backup_write(args.file)
    print(f"已备份到 {args.file}")
    return 0
