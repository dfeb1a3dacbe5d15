"""`daiban init`: create or migrate the database and the admin user."""

from __future__ import annotations

import argparse
import getpass

from daiban.cli import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("init", help="建库/迁移数据库并创建管理员")
    parser.add_argument("--admin", default=None, help="管理员用户名（不给则交互询问）")
    parser.add_argument("--password", default=None, help="管理员密码（不给则交互询问）")
    parser.set_defaults(handler=handle)


def prepare(*, demo: bool = False) -> None:
    """Migrate, collect static files; with demo, load the demo district into an empty database."""
    from django.conf import settings
    from django.core.management import call_command

    settings.HOME.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if demo:
        from daiban.demo import demo_load_if_empty

        # Note: an empty database gets the demo district (217 projects) and one login per role; a database
        # with projects is left as it is and the demo logins that still work are printed.
        demo_load_if_empty(out=lambda line: print(line, flush=True))


def handle(args: argparse.Namespace) -> int:
    from daiban.commands.django_setup import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    prepare()
    try:
        username = args.admin or input("管理员用户名: ").strip()
        password = args.password or getpass.getpass("管理员密码: ")
    except EOFError:
        raise CommandError("没有可交互的终端：请用 --admin 和 --password 给出管理员账号") from None
    if not username:
        raise CommandError("管理员用户名不能为空")
    try:
        validate_password(password)
    except ValidationError as error:
        raise CommandError("；".join(error.messages)) from None
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = True
    if hasattr(user, "role"):
        user.role = "admin"
    user.set_password(password)
    user.save()
    print(f"{'已创建' if created else '已更新'}管理员 {username}；数据库已就绪")
    return 0
