"""Demo dispatch meetings: two held meetings (as_of − 28 and − 14 days) with decisions — coordination issues
raised through ``issue_raise`` and milestone commitments — the first's open items carried into the second,
their reports stored; and the next meeting as a draft with its default agenda.

Runs after the projects, lights and demo issues exist (``demo.operations``). Deterministic: the decided items
are the first of each agenda in order. Fast at --scale 10000: agendas are bulk inserted and only a few items
are decided.
"""

from __future__ import annotations

import datetime as dt

DECIDED_PER_MEETING = 4
SUMMARIES = (
    "会议听取了重大项目推进情况汇报，逐项研究了红黄灯项目和督办事项，明确了责任单位和完成时限。",
    "会议通报了上次会议议定事项落实情况，对结转议题逐项跟踪，要求各责任单位按期办结、及时反馈。",
)


def load(*, as_of: dt.date) -> None:
    from daiban.accounts.models import Role, User
    from daiban.coordination.services import issue_tick
    from daiban.meetings.services import meeting_create, meeting_hold, meeting_publish

    dispatcher = User.objects.filter(role=Role.DISPATCHER, is_active=True).order_by("pk").first()
    attendees = list(
        User.objects.filter(role__in=[Role.LEADER, Role.DISPATCHER], is_active=True).order_by("pk")
    )
    for number, days in enumerate((28, 14)):
        held_on = as_of - dt.timedelta(days=days)
        meeting = meeting_create(
            actor=dispatcher,
            held_on=held_on,
            location="区政府第一会议室",
            host="区委常委、常务副区长",
            attendees=attendees,
            attendees_note="区发改委、规自分局、住建委、生态环境局、水务局、各园区管委会",
        )
        meeting = meeting_publish(actor=dispatcher, meeting=meeting, expected_version=meeting.version)
        _decide(meeting, dispatcher, held_on)
        meeting.refresh_from_db()
        meeting_hold(
            actor=dispatcher, meeting=meeting, expected_version=meeting.version, summary=SUMMARIES[number]
        )
    # Note: the issues raised at the meetings are past their deadlines by now: let the ladder catch up, so
    # the next meeting's agenda lists them as escalated.
    issue_tick(today=as_of)
    meeting_create(actor=dispatcher, held_on=as_of + dt.timedelta(days=1), location="区政府第一会议室")


def _decide(meeting, actor, held_on: dt.date) -> None:
    from daiban.accounts.models import Department
    from daiban.meetings.models import AgendaItem, DecisionKind
    from daiban.meetings.services import DecisionInput, agenda_item_decide
    from daiban.projects.models import Milestone
    from daiban.projects.selectors import milestone_kind_list

    fallback = Department.objects.order_by("pk").first()
    kinds = list(milestone_kind_list())
    items = AgendaItem.objects.filter(meeting=meeting, project__isnull=False).select_related(
        "project", "project__responsible_department", "issue"
    )
    for number, item in enumerate(items.order_by("order", "pk")[:DECIDED_PER_MEETING]):
        project = item.project
        department = project.responsible_department or fallback
        if number % 2 == 0 and department is not None:
            decision = DecisionInput(
                kind=DecisionKind.ISSUE,
                text=f"{department.short_name or department.name}牵头协调“{project.name[:40]}”推进中的问题",
                department=department,
                deadline_days=5,
                category="other",
            )
        else:
            reached = set(
                Milestone.objects.filter(project=project, actual_on__isnull=False).values_list(
                    "kind_id", flat=True
                )
            )
            kind = next((kind for kind in kinds if kind.pk not in reached), None)
            if kind is None:
                continue
            decision = DecisionInput(
                kind=DecisionKind.MILESTONE_COMMITMENT,
                text=f"项目单位承诺 {held_on + dt.timedelta(days=45):%m月%d日} 前完成{kind.name}",
                milestone_code=kind.code,
                committed_on=held_on + dt.timedelta(days=45),
            )
        agenda_item_decide(
            actor=actor,
            item=item,
            expected_version=item.version,
            decisions=[decision],
            discussion="责任单位汇报了进展和存在的困难，会议研究提出了解决办法。",
            today=held_on,
        )


def clear() -> None:
    from daiban.meetings.models import AgendaItem, Decision, DispatchMeeting

    Decision.all_objects.all().delete()
    AgendaItem.all_objects.update(carried_from=None)
    AgendaItem.all_objects.all().delete()
    DispatchMeeting.all_objects.all().delete()
