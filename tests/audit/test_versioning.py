"""Optimistic concurrency, the field-level audit trail, soft delete and restore (every Tracked model)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from daiban.audit.models import AuditEntry
from daiban.audit.services import ConcurrentEditError, create_tracked, restore, soft_delete, update_versioned
from daiban.core.errors import DomainError
from daiban.projects.models import Enterprise, Project

pytestmark = pytest.mark.django_db


def test_create_is_audited_with_values(butler, enterprise):
    project = create_tracked(
        Project, actor=butler, name="新项目", enterprise=enterprise, total_investment=Decimal("100.50")
    )
    entry = AuditEntry.objects.get(model_label="projects.project", object_id=str(project.pk))
    assert entry.action == "create"
    assert entry.project_id == project.pk
    assert entry.actor == butler and entry.actor_name == "张三"
    assert entry.changes["total_investment"] == [None, "100.50"]
    assert entry.changes["enterprise"] == [None, "京南生物科技有限公司"]
    assert project.version == 1 and project.created_by == butler


def test_update_bumps_version_and_records_old_and_new(project, dispatcher):
    updated = update_versioned(
        project,
        actor=dispatcher,
        expected_version=1,
        changes={
            "annual_plan": Decimal("15000"),
            "planned_start_on": dt.date(2026, 3, 1),
            "name": project.name,
        },
    )
    assert updated.version == 2
    assert updated.updated_by == dispatcher
    entry = AuditEntry.objects.get(project=project, action="update")
    # Only real changes, values JSON-safe (Decimal and date as strings).
    assert entry.changes == {"annual_plan": ["12000.00", "15000"], "planned_start_on": [None, "2026-03-01"]}
    project.refresh_from_db()
    assert project.annual_plan == Decimal("15000.00") and project.version == 2


def test_stale_version_is_refused_naming_who_and_when(project, butler, dispatcher):
    update_versioned(project, actor=butler, expected_version=1, changes={"location": "亦庄新城"})
    with pytest.raises(ConcurrentEditError) as refused:
        update_versioned(project, actor=dispatcher, expected_version=1, changes={"location": "马驹桥"})
    project.refresh_from_db()
    when = timezone.localtime(project.updated_at).strftime("%Y-%m-%d %H:%M")
    assert str(refused.value) == f"该记录已被 张三 于 {when} 修改，请刷新后重试"
    assert isinstance(refused.value, DomainError)
    assert project.location == "亦庄新城" and project.version == 2
    assert AuditEntry.objects.filter(project=project, action="update").count() == 1


def test_no_change_writes_nothing(project, butler):
    same = update_versioned(project, actor=butler, expected_version=1, changes={"name": project.name})
    assert same.version == 1
    assert not AuditEntry.objects.filter(project=project).exists()


def test_many_to_many_change_is_versioned_and_audited(project, dispatcher, other_butler, specialist):
    updated = update_versioned(
        project, actor=dispatcher, expected_version=1, changes={"specialists": [specialist, other_butler]}
    )
    assert updated.version == 2
    entry = AuditEntry.objects.get(project=project, action="update")
    assert entry.changes == {"specialists": [["孙专员"], ["孙专员", "李四"]]}


def test_invalid_change_is_refused_in_chinese(project, butler):
    with pytest.raises(DomainError, match="总投资"):
        update_versioned(
            project, actor=butler, expected_version=1, changes={"total_investment": Decimal("-1")}
        )
    with pytest.raises(DomainError, match="没有字段"):
        update_versioned(project, actor=butler, expected_version=1, changes={"colour": "red"})
    with pytest.raises(DomainError, match="不能直接修改"):
        update_versioned(project, actor=butler, expected_version=1, changes={"version": 7})


def test_soft_delete_hides_and_restore_brings_back(project, dispatcher):
    soft_delete(project, actor=dispatcher, expected_version=1)
    assert not Project.objects.filter(pk=project.pk).exists()
    hidden = Project.all_objects.get(pk=project.pk)
    assert hidden.is_deleted and hidden.deleted_by == dispatcher and hidden.version == 2
    with pytest.raises(DomainError, match="已被删除"):
        update_versioned(hidden, actor=dispatcher, expected_version=2, changes={"location": "x"})

    restore(hidden, actor=dispatcher)
    back = Project.objects.get(pk=project.pk)
    assert back.deleted_at is None and back.version == 3
    actions = list(
        AuditEntry.objects.filter(project=project).order_by("at", "id").values_list("action", flat=True)
    )
    assert actions == ["delete", "restore"]


def test_stale_delete_is_refused(project, butler, dispatcher):
    update_versioned(project, actor=butler, expected_version=1, changes={"location": "亦庄"})
    with pytest.raises(ConcurrentEditError):
        soft_delete(project, actor=dispatcher, expected_version=1)
    assert Project.objects.filter(pk=project.pk).exists()


def test_related_access_still_sees_a_deleted_row(project, dispatcher, enterprise):
    soft_delete(enterprise, actor=dispatcher)
    assert not Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert Project.objects.get(pk=project.pk).enterprise.name == "京南生物科技有限公司"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two real connections need PostgreSQL")
def test_two_connections_at_once_one_wins(project_factory, user_factory):
    """Two users save the same version at the same moment on two connections: one is refused, none lost."""
    project = project_factory(name="并发项目", enterprise=None)
    first = user_factory(username="first", full_name="甲", role="dispatcher")
    second = user_factory(username="second", full_name="乙", role="dispatcher")
    outcomes: dict[str, object] = {}
    first_has_lock = threading.Event()

    def edit(user, location, hold_lock):
        from django.db import transaction

        try:
            with transaction.atomic():
                update_versioned(project, actor=user, expected_version=1, changes={"location": location})
                if hold_lock:
                    first_has_lock.set()
                    # Keep the row locked a moment so the second writer really waits on it.
                    threading.Event().wait(0.3)
            outcomes[user.username] = "saved"
        except ConcurrentEditError as error:
            outcomes[user.username] = error
        finally:
            first_has_lock.set()
            connections.close_all()

    one = threading.Thread(target=edit, args=(first, "甲的地点", True))
    one.start()
    first_has_lock.wait(10)
    two = threading.Thread(target=edit, args=(second, "乙的地点", False))
    two.start()
    one.join(20)
    two.join(20)

    assert outcomes["first"] == "saved"
    assert isinstance(outcomes["second"], ConcurrentEditError)
    assert "甲" in str(outcomes["second"])
    project.refresh_from_db()
    assert project.location == "甲的地点" and project.version == 2
