"""The Django admin: every data-layer model is registered in Chinese, and its edits are audited."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from daiban.audit.models import AuditEntry
from daiban.projects.models import Project

pytestmark = pytest.mark.django_db

APPS = {"accounts", "audit", "projects", "approvals", "investment"}
# Django's own AbstractUser fields carry translatable English names (shown in Chinese through gettext).
ENGLISH_OK = {"password", "email"}


@pytest.fixture
def superuser_client(client, user_factory):
    client.force_login(user_factory(username="root", is_superuser=True, is_staff=True, role="admin"))
    return client


def test_every_model_has_chinese_names():
    for model in admin.site._registry:
        if model._meta.app_label in APPS:
            assert not str(model._meta.verbose_name).isascii(), model
            for field in model._meta.get_fields():
                if hasattr(field, "verbose_name") and not field.auto_created and field.name not in ENGLISH_OK:
                    assert not str(field.verbose_name).isascii(), (model, field.name)


def test_changelists_render(superuser_client, project):
    for model in admin.site._registry:
        if model._meta.app_label in APPS:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert superuser_client.get(url).status_code == 200, url


def test_admin_edit_is_versioned_and_audited_and_delete_is_soft(superuser_client, project):
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(name="改名后的项目", specialists=[u.pk for u in project.specialists.all()])
    data = {k: v for k, v in data.items() if not isinstance(v, list) or k == "specialists"}
    data.update({"milestones-TOTAL_FORMS": 0, "milestones-INITIAL_FORMS": 0})
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.name == "改名后的项目" and project.version == 2
    entry = AuditEntry.objects.get(project=project, action="update")
    assert entry.changes["name"] == ["京南生物医药产业化基地", "改名后的项目"]

    delete_url = reverse("admin:projects_project_delete", args=[project.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert Project.all_objects.get(pk=project.pk).is_deleted


def test_the_admin_role_manages_every_table_without_being_superuser(client, user_factory, project):
    """The admin role is the permission: no per-model permission rows are needed; other staff get nothing."""
    client.force_login(user_factory(username="ops", role="admin", is_staff=True))
    for model in admin.site._registry:
        if model._meta.app_label in APPS:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code == 200
    client.force_login(user_factory(username="staffonly", role="dispatcher", is_staff=True))
    assert client.get(reverse("admin:projects_project_changelist")).status_code == 403
