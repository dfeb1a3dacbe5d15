"""The Word handbook (一项目一册) of one project: cover with the service team, summary, the tailored approval
items by stage, materials, the agency plan with its critical path, and the milestone chain (一链式).

Everything is read through the selectors, scoped by the user: the same numbers as the pages and the API.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.utils import timezone

from daiban.approvals.selectors import cases_for_project, project_gantt
from daiban.projects.handbook_docx.sections import STAR, HandbookData, TeamMember, write_sections
from daiban.projects.handbook_docx.word import new_document
from daiban.projects.models import Project
from daiban.projects.selectors import milestone_table, project_get

__all__ = ["STAR", "handbook_docx_write"]


def handbook_docx_write(
    *, user, project: Project, stream: IO[bytes], issued_on: dt.date | None = None
) -> None:
    """Write the handbook (.docx) to ``stream``; out of the user's scope raises Project.DoesNotExist."""
    data = _collect(user, project, issued_on or timezone.localdate())
    document = new_document(f"{data.project.name} 一项目一册")
    write_sections(document, data)
    document.save(stream)


def _collect(user, project: Project, issued_on: dt.date) -> HandbookData:
    project = project_get(user=user, pk=project.pk)
    return HandbookData(
        project=project,
        team=_team(project),
        cases=cases_for_project(user=user, project=project),
        gantt=project_gantt(user=user, project=project),
        milestones=milestone_table(user=user, project=project),
        issued_on=issued_on,
        today=timezone.localdate(),
    )


def _team(project: Project) -> list[TeamMember]:
    """The butler, then the specialists by department and name."""
    members = [("项目管家", project.butler)] if project.butler else []
    specialists = project.specialists.select_related("department").order_by(
        "department__name", "full_name", "pk"
    )
    members += [("服务专员", user) for user in specialists]
    return [
        TeamMember(role, user.display_name, user.department.name if user.department else "", user.phone)
        for role, user in members
    ]
