"""Row scoping: who sees which project (out of scope is 'does not exist', never 'forbidden')."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from daiban.projects.models import Enterprise, Milestone, Project
from daiban.projects.permissions import can_edit_project
from daiban.projects.selectors import (
    enterprise_for_user,
    milestone_table,
    project_for_user,
    project_get,
    project_list_deleted,
    project_list_visible,
)
from daiban.projects.services import milestone_record, project_delete

pytestmark = pytest.mark.django_db

SCOPE = {
    "admin": {"mine", "other"},
    "leader": {"mine", "other"},
    "dispatcher": {"mine", "other"},
    "butler": {"mine"},
    "other_butler": {"other"},
    "specialist": {"mine"},
    "enterprise": {"mine"},
    "no_role": set(),
}


@pytest.mark.parametrize("role", sorted(SCOPE))
def test_scope_matrix(users, role, project, other_project):
    names = {project.pk: "mine", other_project.pk: "other"}
    visible = {names[pk] for pk in project_for_user(users[role]).values_list("pk", flat=True)}
    assert visible == SCOPE[role]
    for pk, name in names.items():
        if name in SCOPE[role]:
            assert project_get(user=users[role], pk=pk).pk == pk
        else:
            with pytest.raises(Project.DoesNotExist):
                project_get(user=users[role], pk=pk)


def test_anonymous_and_inactive_see_nothing(butler, project):
    assert not project_for_user(AnonymousUser()).exists()
    butler.is_active = False
    butler.save()
    assert not project_for_user(butler).exists()


def test_superuser_without_role_counts_as_admin(user_factory, project, other_project):
    root = user_factory(username="root", role="", is_superuser=True)
    assert project_for_user(root).count() == 2


def test_specialist_serving_twice_is_listed_once(project, specialist, user_factory):
    project.specialists.add(user_factory(username="another", role="specialist"))
    assert list(project_for_user(specialist)) == [project]


def test_enterprise_user_without_enterprise_sees_nothing(user_factory, project):
    # The database refuses an enterprise user without an enterprise; a no-role user sees nothing either.
    assert not project_for_user(user_factory(username="lost", role="")).exists()


def test_enterprise_scope(users, enterprise, other_enterprise, project, other_project):
    assert set(enterprise_for_user(users["enterprise"])) == {enterprise}
    assert set(enterprise_for_user(users["butler"])) == {enterprise}
    assert set(enterprise_for_user(users["leader"])) == {enterprise, other_enterprise}
    assert not enterprise_for_user(users["no_role"]).exists()
    with pytest.raises(Enterprise.DoesNotExist):
        enterprise_for_user(users["enterprise"]).get(pk=other_enterprise.pk)


def test_list_filters(dispatcher, project, other_project, project_factory):
    project_factory(name="往年项目", year=2025, category="continuing")
    assert set(project_list_visible(user=dispatcher, year=2026)) == {project, other_project}
    assert [p.name for p in project_list_visible(user=dispatcher, category="continuing")] == ["往年项目"]
    assert list(project_list_visible(user=dispatcher, search="京南")) == [project]
    assert list(project_list_visible(user=dispatcher, search="机器人")) == [other_project]


def test_deleted_projects_are_hidden_but_listed_for_restore(dispatcher, butler, project):
    project_delete(actor=dispatcher, project=project)
    assert not project_for_user(dispatcher).filter(pk=project.pk).exists()
    assert list(project_list_deleted(user=dispatcher)) == [project]
    assert not project_list_deleted(user=butler).exists()
    assert project_get(user=dispatcher, pk=project.pk, include_deleted=True).is_deleted


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("dispatcher", True),
        ("butler", True),
        ("other_butler", False),
        ("leader", False),
        ("specialist", False),
        ("enterprise", False),
        ("no_role", False),
    ],
)
def test_can_edit_project(users, project, role, allowed):
    assert can_edit_project(actor=users[role], project=project) is allowed


def test_milestone_table_lists_every_kind(milestone_kinds, butler, project, enterprise_user, other_butler):
    milestone_record(actor=butler, project=project, kind_code="signed", actual_on=dt.date(2026, 1, 5))
    rows = milestone_table(user=enterprise_user, project=project)
    assert [row.kind.name for row in rows] == ["签约", "注册", "拿地", "开工", "竣工", "投产", "达产"]
    assert rows[0].actual_on == dt.date(2026, 1, 5) and rows[1].milestone is None
    with pytest.raises(Project.DoesNotExist):
        milestone_table(user=other_butler, project=project)
    assert Milestone.objects.for_user(other_butler).count() == 0
