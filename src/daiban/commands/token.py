"""`daiban token`: API tokens for scripts and other systems; the key is shown once, only its digest kept."""

from __future__ import annotations

import argparse

from daiban.cli import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("token", help="接口令牌：创建、列出、吊销")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    create = actions.add_parser("create", help="为用户创建接口令牌（令牌只显示这一次）")
    create.add_argument("username", metavar="USERNAME", help="用户名")
    create.add_argument("--name", default="", help="用途说明，例如“市平台对接”")
    create.set_defaults(handler=handle_create)

    listing = actions.add_parser("list", help="列出接口令牌（只显示前缀）")
    listing.add_argument("username", metavar="USERNAME", nargs="?", default=None, help="只列出该用户的令牌")
    listing.set_defaults(handler=handle_list)

    revoke = actions.add_parser("revoke", help="吊销接口令牌")
    revoke.add_argument("prefix", metavar="PREFIX", help="令牌前缀（见 daiban token list）")
    revoke.set_defaults(handler=handle_revoke)


def _setup() -> None:
    from daiban.commands.django_setup import setup_django

    setup_django()


def handle_create(args: argparse.Namespace) -> int:
    _setup()
    from django.contrib.auth import get_user_model

    from daiban.apitokens.services import token_create

    user = get_user_model().objects.filter(username=args.username.strip()).first()
    if user is None:
        raise CommandError(f"没有用户“{args.username}”")
    token, key = token_create(actor=None, user=user, name=args.name)
    print(key)
    print(f"已为 {user.username} 创建接口令牌 {token.prefix}…；请妥善保存，令牌不会再次显示。", flush=True)
    return 0


def handle_list(args: argparse.Namespace) -> int:
    _setup()
    from django.utils import timezone

    from daiban.apitokens.selectors import token_list

    for token in token_list(username=args.username):
        used = (
            f"{timezone.localtime(token.last_used_at):%Y-%m-%d %H:%M}" if token.last_used_at else "从未使用"
        )
        state = "已吊销" if token.revoked_at else "有效"
        print(f"{token.prefix}…\t{token.user.username}\t{state}\t{used}\t{token.name}")
    return 0


def handle_revoke(args: argparse.Namespace) -> int:
    _setup()
    from daiban.apitokens.selectors import token_by_prefix
    from daiban.apitokens.services import token_revoke

    token = token_revoke(actor=None, token=token_by_prefix(prefix=args.prefix))
    print(f"已吊销接口令牌 {token.prefix}…（{token.user.username}）")
    return 0
