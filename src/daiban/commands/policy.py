"""`daiban policy list | match [--date D] | load-examples`: policies (惠企政策), matching and the examples."""

from __future__ import annotations

import argparse

from daiban.cli import CommandError
from daiban.commands.calendar import parse_date


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("policy", help="惠企政策：列表、匹配企业、导入示例政策")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="列出政策及其覆盖企业、兑现金额")
    listing.set_defaults(handler=handle_list)
    match = actions.add_parser("match", help="按企业和项目数据匹配政策并推送（每日评估的一部分）")
    match.add_argument("--date", metavar="D", default=None, help="评估日期 YYYY-MM-DD（默认今天）")
    match.set_defaults(handler=handle_match)
    examples = actions.add_parser("load-examples", help="导入示例政策（reference/policies.yaml，可重复执行）")
    examples.set_defaults(handler=handle_load_examples)


def _setup() -> None:
    from daiban.commands.django_setup import setup_django

    setup_django()


def handle_list(args: argparse.Namespace) -> int:
    _setup()
    from daiban.policies.selectors import PolicyFigures, policy_figures_all, policy_list

    policies = list(policy_list())
    if not policies:
        print("尚无政策（可运行 daiban policy load-examples 导入示例政策）")
        return 0
    figures = policy_figures_all(policies=policies)
    for policy in policies:
        f = figures.get(policy.pk, PolicyFigures())
        flags = "".join(
            f"[{label}]"
            for label, on in (
                ("示例", policy.is_example),
                ("免申即享", policy.no_application),
                ("规则有误", bool(policy.rule_error)),
                ("停用", not policy.is_active),
            )
            if on
        )
        valid = f"{policy.valid_from}~{policy.valid_to or '长期'}"
        print(
            f"{policy.pk:>4} {policy.name}{flags} {valid} 匹配 {f.matched_enterprises} 家，"
            f"已拨付 {f.paid_enterprises} 家，预计 {f.estimated} 万元，已拨付 {f.paid} 万元"
        )
        if policy.rule_error:
            print(f"     规则错误：{policy.rule_error}")
    return 0


def handle_match(args: argparse.Namespace) -> int:
    day = parse_date(args.date) if args.date else None
    _setup()
    from django.utils import timezone

    from daiban.policies.services import policy_tick

    print(policy_tick(today=day or timezone.localdate()))
    return 0


def handle_load_examples(args: argparse.Namespace) -> int:
    _setup()
    from django.db import DatabaseError

    from daiban.policies.services import policy_load_examples

    try:
        created, present = policy_load_examples(actor=None)
    except DatabaseError as error:
        raise CommandError(f"无法写入数据库（请先运行 daiban init）：{error}") from None
    print(f"已导入 {created} 项示例政策（{present} 项此前已存在，未改动）")
    return 0
