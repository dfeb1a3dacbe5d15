"""`daiban tick [--date D]`: the daily run — every open case's clock and every project's traffic light."""

from __future__ import annotations

import argparse

from daiban.commands.calendar import parse_date


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("tick", help="每日评估：办件时限状态与项目红绿灯")
    parser.add_argument("--date", metavar="D", default=None, help="评估日期 YYYY-MM-DD（默认今天）")
    parser.add_argument(
        "--rules", metavar="NAME", default=None, help="红绿灯规则集（默认：管理员选定的规则集）"
    )
    parser.set_defaults(handler=handle_tick)


def handle_tick(args: argparse.Namespace) -> int:
    day = parse_date(args.date) if args.date else None
    from daiban.commands.django_setup import setup_django

    setup_django()
    from django.utils import timezone

    from daiban.daily import run_daily

    result = run_daily(today=day or timezone.localdate(), rule_set=args.rules)
    print("\n".join(result.lines()))
    return 0
