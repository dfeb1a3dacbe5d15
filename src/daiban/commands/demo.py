"""`daiban demo [--scale N] [--seed S] [--force]`: load the demo district and print its logins."""

from __future__ import annotations

import argparse
import sys

from daiban.cli import CommandError
from daiban.commands.calendar import parse_date
from daiban.demo.district import MIN_SCALE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="载入演示数据（京南经济技术开发区）并打印演示账号")
    parser.add_argument(
        "--scale",
        type=_positive,
        default=None,
        metavar="N",
        help="项目个数（默认 217；如 10000 用于性能测试）",
    )
    parser.add_argument(
        "--seed", type=int, default=2026, metavar="S", help="随机种子（默认 2026，同种子数据相同）"
    )
    parser.add_argument(
        "--as-of", default=None, metavar="D", help="数据截至日期 YYYY-MM-DD（默认 2026-11-23）"
    )
    parser.add_argument(
        "--force", action="store_true", help="数据库已有项目时仍然载入：先清空现有项目、企业、部门和用户数据"
    )
    parser.set_defaults(handler=handle)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"项目个数应为正整数，实际为 {value}")
    return value


def handle(args: argparse.Namespace) -> int:
    as_of = parse_date(args.as_of) if args.as_of else None
    if args.scale is not None and args.scale < MIN_SCALE:
        raise CommandError(f"演示数据规模至少为 {MIN_SCALE} 个项目，实际为 {args.scale}")
    from daiban.commands.django_setup import setup_django
    from daiban.commands.init import prepare

    setup_django()
    prepare()
    from daiban.demo import demo_load, summary_lines

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    result = demo_load(scale=args.scale, seed=args.seed, as_of=as_of, force=args.force, progress=progress)
    print("\n".join(summary_lines(result)))
    return 0
