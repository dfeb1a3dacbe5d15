"""`daiban serve`: prepare the database and static files, then run gunicorn (never the dev server)."""

from __future__ import annotations

import argparse
import os
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="初始化并启动网站（gunicorn）")
    parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn 进程数，默认 2")
    parser.add_argument("--demo", action="store_true", help="数据库为空时载入演示数据并打印演示账号")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from daiban.commands.django_setup import setup_django
    from daiban.commands.init import prepare

    setup_django()
    prepare(demo=args.demo)
    print(f"daiban 已启动：http://{args.bind}/  （Ctrl-C 停止）", flush=True)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    os.execv(
        gunicorn,
        [
            gunicorn,
            "daiban.wsgi:application",
            "--bind",
            args.bind,
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
            "--capture-output",
        ],
    )
    return 0  # not reached
