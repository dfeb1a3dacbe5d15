"""`daiban restore FILE`: replace the database's contents with a backup made by `daiban backup`."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("restore", help="用备份文件恢复整个数据库（覆盖现有数据）")
    parser.add_argument("file", type=Path, help="由 daiban backup 生成的备份文件")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from daiban.commands.django_setup import setup_django

    setup_django()
    from daiban.backup import backup_restore

    backup_restore(args.file)
    print(f"已从 {args.file} 恢复")
    return 0
