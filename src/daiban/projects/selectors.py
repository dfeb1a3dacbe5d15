"""Reads of projects, enterprises and milestones, always scoped by what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from daiban.projects.models import Enterprise, Milestone, MilestoneKind, Project


def project_for_user(user) -> QuerySet[Project]:
    """The one scope of projects (live rows); every project read starts here."""
    return Project.objects.for_user(user)


def project_list_visible(
    *, user, year: int | None = None, category: str | None = None, search: str | None = None
) -> QuerySet[Project]:
    projects = project_for_user(user).select_related("enterprise", "butler", "responsible_department")
    if year is not None:
        projects = projects.filter(year=year)
    if category:
        projects = projects.filter(category=category)
    if search:
        term = search.strip()
        projects = projects.filter(
            Q(name__icontains=term) | Q(project_code__icontains=term) | Q(enterprise__name__icontains=term)
        )
    return projects


def project_get(*, user, pk: int, include_deleted: bool = False) -> Project:
    """One project in the user's scope; out of scope (or deleted) raises Project.DoesNotExist → 404."""
    manager = Project.all_objects if include_deleted else Project.objects
    related = ("enterprise", "butler", "responsible_department")
    project = manager.for_user(user).select_related(*related).get(pk=pk)
    # Note: remembers whose scope it was read in, so the selectors a page calls next need not read it again.
    project._scoped_for = user.pk
    return project


def project_in_scope(*, user, project: Project | int, include_deleted: bool = False) -> Project:
    """``project`` itself if ``project_get`` read it for this user, else read now (out of scope → 404).

    Every selector that takes a project starts here: a page reads its project once, not once per section.
    """
    if (
        isinstance(project, Project)
        and getattr(project, "_scoped_for", None) == user.pk
        and (include_deleted or not project.is_deleted)
    ):
        return project
    return project_get(user=user, pk=getattr(project, "pk", project), include_deleted=include_deleted)


def project_list_deleted(*, user) -> QuerySet[Project]:
    """Soft-deleted projects the user could restore (admins and dispatchers)."""
    if not user.has_role("admin", "dispatcher"):
        return Project.all_objects.none()
    return Project.all_objects.for_user(user).deleted().select_related("deleted_by")


def enterprise_for_user(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.for_user(user)


def enterprise_get(*, user, pk: int) -> Enterprise:
    return enterprise_for_user(user).get(pk=pk)


def enterprise_find_by_uscc(*, uscc: str) -> Enterprise | None:
    """Unscoped lookup by (normalized) USCC, including deleted rows — for get-or-create in services."""
    return Enterprise.all_objects.filter(uscc=uscc).first()


def milestone_kind_list() -> QuerySet[MilestoneKind]:
    return MilestoneKind.objects.filter(is_active=True).order_by("order", "id")


@dataclass(frozen=True)
class MilestoneRow:
    kind: MilestoneKind
    milestone: Milestone | None

    @property
    def planned_on(self):
        return self.milestone.planned_on if self.milestone else None

    @property
    def actual_on(self):
        return self.milestone.actual_on if self.milestone else None


def milestone_table(
    *, user, project: Project, kinds: list[MilestoneKind] | None = None
) -> list[MilestoneRow]:
    """Every active milestone kind in order (``kinds`` when the caller has read them), with the project's
    milestone (or None) — the 一链式 chain."""
    project = project_in_scope(user=user, project=project)
    milestones = Milestone.objects.filter(project=project).order_by()  # no default ordering: no join
    recorded = {milestone.kind_id: milestone for milestone in milestones}
    kinds = milestone_kind_list() if kinds is None else kinds
    return [MilestoneRow(kind, recorded.get(kind.pk)) for kind in kinds]
