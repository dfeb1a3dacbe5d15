"""`daiban issue list [--status S] [--overdue]` and `daiban issue show N`: coordination issues, read-only.

Like `daiban export`, the command reads as the system (every issue) unless --user names an active user, whose
role and scope then apply.
"""

from __future__ import annotations

import argparse

from daiban.cli import CommandError

STATUSES = ("open", "in_progress", "resolved", "closed", "active")
LIGHT_TEXT = {"red": "逾期", "yellow": "将到期", "green": "正常", "": "—"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("issue", help="协调事项：列出、查看（只读）")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="列出协调事项（默认按督办级别、到期日排序）")
    listing.add_argument(
        "--status",
        choices=STATUSES,
        default=None,
        help="open | in_progress | resolved | closed | active（未办结）",
    )
    listing.add_argument("--overdue", action="store_true", help="只列出已逾期未办结的")
    listing.add_argument(
        "--user", default=None, metavar="NAME", help="按该用户的权限范围（默认：系统，全部）"
    )
    listing.set_defaults(handler=handle_list)
    show = actions.add_parser("show", help="查看一个协调事项及其督办记录")
    show.add_argument("pk", metavar="N", type=int, help="事项编号")
    show.add_argument("--user", default=None, metavar="NAME", help="按该用户的权限范围（默认：系统）")
    show.set_defaults(handler=handle_show)


def _actor(username: str | None):
    from daiban.commands.django_setup import setup_django

    setup_django()
    from daiban.commands.exporting import _actor

    return _actor(username)


def handle_list(args: argparse.Namespace) -> int:
    actor = _actor(args.user)
    from django.db import DatabaseError

    from daiban.coordination.selectors import issue_light, issue_list_visible

    try:
        issues = issue_list_visible(
            user=actor, status=args.status, light="red" if args.overdue else None
        ).order_by("-level", "due_on", "pk")
        rows = [(issue, issue_light(issue)) for issue in issues]
    except DatabaseError as error:
        raise CommandError(f"无法读取数据库（请先运行 daiban init）：{error}") from None
    if not rows:
        print("没有符合条件的协调事项")
        return 0
    for issue, light in rows:
        level = f"督办{issue.level}级" if issue.level else "      "
        print(
            f"{issue.pk:>5}  {LIGHT_TEXT[light]:<3}  {issue.get_status_display():<3}  {level}  "
            f"到期 {issue.due_on}  {issue.department}  {issue.title}（{issue.project.name}）"
        )
    print(f"共 {len(rows)} 个")
    return 0


def handle_show(args: argparse.Namespace) -> int:
    actor = _actor(args.user)
    from django.db import DatabaseError

    from daiban.coordination.models import CoordinationIssue
    from daiban.coordination.selectors import issue_comments, issue_get, issue_holdings, issue_reading

    try:
        issue = issue_get(user=actor, pk=args.pk)
        reading = issue_reading(issue)
        holdings = list(issue_holdings(user=actor, issue=issue))
        comments = list(issue_comments(user=actor, issue=issue))
    except CoordinationIssue.DoesNotExist:
        raise CommandError(f"协调事项 {args.pk} 不存在或不在权限范围内") from None
    except DatabaseError as error:
        raise CommandError(f"无法读取数据库（请先运行 daiban init）：{error}") from None
    light = LIGHT_TEXT[reading.light]
    assignee = issue.assignee.display_name if issue.assignee else "—"
    lines = [
        f"#{issue.pk} {issue.title}",
        f"项目：{issue.project.name}",
        f"类别：{issue.get_category_display()}    状态：{issue.get_status_display()}    红绿灯：{light}",
        f"责任单位：{issue.department.name}    责任人：{assignee}",
        f"提出：{issue.raised_on}    时限：{issue.deadline_days} 个工作日    到期：{issue.due_on}"
        + (f"    已逾期 {reading.overdue_days} 个工作日" if reading.overdue_days and issue.is_active else ""),
    ]
    if issue.description:
        lines.append(f"描述：{issue.description}")
    if issue.resolution:
        lines.append(f"办理结果（{issue.resolved_on}）：{issue.resolution}")
    lines.append("督办记录：")
    for holding in holdings:
        end = f"至 {holding.ended_on}" if holding.ended_on else "至今"
        lines.append(
            f"  {holding.level} 级 {holding.level_name}：{holding.holder_label}（{holding.started_on} {end}，"
            f"本级到期 {holding.due_on}）"
        )
    for comment in comments:
        author = comment.created_by.display_name if comment.created_by else "系统"
        lines.append(f"评论 {comment.created_at:%Y-%m-%d} {author}：{comment.body}")
    print("\n".join(lines))
    return 0
