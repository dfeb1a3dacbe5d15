"""`daiban meeting list` and `daiban meeting create --date D`: dispatch meetings from the command line.

Like `daiban import`, the command acts as the system (every project, no permission check) unless --user
names an active user, whose role and scope then apply.
"""

from __future__ import annotations

import argparse

from daiban.cli import CommandError
from daiban.commands.calendar import parse_date


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("meeting", help="调度会：列出、安排（生成默认议程）")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="列出调度会")
    listing.set_defaults(handler=handle_list)
    create = actions.add_parser("create", help="安排调度会并生成默认议程")
    create.add_argument("--date", metavar="D", required=True, help="会议日期 YYYY-MM-DD")
    create.add_argument(
        "--from", dest="date_from", metavar="D", default=None, help="统计起日（默认会前两周）"
    )
    create.add_argument("--to", dest="date_to", metavar="D", default=None, help="统计止日（默认会议前一天）")
    create.add_argument("--title", default=None, help="会议名称（默认：第N次重大项目调度会）")
    create.add_argument("--location", default="", help="地点")
    create.add_argument("--user", default=None, metavar="NAME", help="以该用户的身份安排（默认：系统）")
    create.set_defaults(handler=handle_create)


def _setup() -> None:
    from daiban.commands.django_setup import setup_django

    setup_django()


def handle_list(args: argparse.Namespace) -> int:
    _setup()
    from django.db import DatabaseError

    from daiban.accounts.selectors import system_user
    from daiban.meetings.selectors import meeting_list

    try:
        meetings = list(meeting_list(user=system_user()))
    except DatabaseError as error:
        raise CommandError(f"无法读取数据库（请先运行 daiban init）：{error}") from None
    if not meetings:
        print("还没有调度会")
        return 0
    for meeting in meetings:
        print(
            f"{meeting.pk:>4}  {meeting.held_on}  {meeting.get_status_display():<5}  "
            f"议题 {meeting.item_count:>4} 项  {meeting.title}"
        )
    return 0


def handle_create(args: argparse.Namespace) -> int:
    held_on = parse_date(args.date)
    date_from = parse_date(args.date_from) if args.date_from else None
    date_to = parse_date(args.date_to) if args.date_to else None
    _setup()
    from django.db import DatabaseError

    from daiban.commands.importing import _actor
    from daiban.meetings.services import meeting_create

    try:
        meeting = meeting_create(
            actor=_actor(args.user),
            held_on=held_on,
            period_from=date_from,
            period_to=date_to,
            title=args.title,
            location=args.location,
        )
    except DatabaseError as error:
        raise CommandError(f"无法写入数据库（请先运行 daiban init）：{error}") from None
    print(
        f"已安排“{meeting.title}”（{meeting.held_on}，统计期 {meeting.period_from} 至 {meeting.period_to}），"
        f"议程 {meeting.items.count()} 项：/meetings/{meeting.pk}/"
    )
    return 0
