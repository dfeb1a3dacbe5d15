"""`daiban handbook PROJECT FILE.docx`: write a project's 《一项目一册》 as a Word document."""

from __future__ import annotations

import argparse
from pathlib import Path

from daiban.cli import CommandError
from daiban.commands.files import write_atomically

SYSTEM_USERNAME = "系统"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("handbook", help="生成项目的《一项目一册》Word 文档")
    parser.add_argument(
        "project", metavar="PROJECT", help="项目代码（如 2026-110115-89-01-012345）或项目编号"
    )
    parser.add_argument("output", metavar="FILE.docx", type=Path, help="输出的 Word 文件")
    parser.add_argument(
        "--user", default=None, metavar="NAME", help="按该用户的权限范围生成（默认：系统，可见全部项目）"
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from daiban.commands.django_setup import setup_django

    setup_django()
    from django.db import DatabaseError

    from daiban.projects.handbook_docx import handbook_docx_write

    if args.output.suffix.lower() != ".docx":
        raise CommandError(f"输出文件应以 .docx 结尾：{args.output}")
    try:
        user = acting_user(args.user)
        project = find_project(user, args.project)
        write_atomically(
            args.output, lambda stream: handbook_docx_write(user=user, project=project, stream=stream)
        )
    except DatabaseError as error:
        raise CommandError(f"无法读取数据库（请先运行 daiban init）：{error}") from None
    print(f"已生成《一项目一册》：{args.output}（{project.name}）")
    return 0


def acting_user(username: str | None):
    """The named active user, or an unsaved system user who sees every project (never written anywhere)."""
    from daiban.accounts.models import Role, User

    if username is None:
        return User(username=SYSTEM_USERNAME, full_name=SYSTEM_USERNAME, role=Role.ADMIN, is_active=True)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"找不到用户：{username}（或该用户已停用）")
    return user


def find_project(user, key: str):
    """The project by numeric id or by project code, within the user's scope; otherwise one clear error."""
    from daiban.core.ids import normalize_code
    from daiban.projects.selectors import project_for_user

    key = key.strip()
    projects = project_for_user(user)
    project = projects.filter(pk=int(key)).first() if key.isdigit() else None
    if project is None and key:
        project = projects.filter(project_code=normalize_code(key)).first()
    if project is None:
        raise CommandError(f"找不到项目：{key}（请给出项目代码或项目编号，且在您的权限范围内）")
    return project
