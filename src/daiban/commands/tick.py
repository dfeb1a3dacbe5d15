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

    from daiban.approvals.services import tick

    day = day or timezone.localdate()
    result = tick(today=day, rule_set=args.rules)
    print(
        f"{day.isoformat()} 评估办件 {result.cases} 个，新增逾期 {result.newly_overdue} 个；"
        f"评估项目 {result.projects} 个，红绿灯变化 {result.lights_changed} 个"
    )
    return 0
