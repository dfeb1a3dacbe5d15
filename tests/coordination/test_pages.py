"""The issue pages: list with filters and counts, detail with actions (htmx, version check), the new-issue
form, the project page's fragment, attachments; and who sees what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from daiban.coordination.models import CoordinationIssue, IssueStatus
from daiban.coordination.services import issue_start, issue_tick

D = dt.date
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def issue(raise_issue, water_specialist):
    return raise_issue(assignee=water_specialist)


@pytest.fixture
def others_issue(raise_issue, other_project, other_butler, water):
    return raise_issue(
        actor=other_butler, project=other_project, title="地块内高压线迁改", category="land", deadline_days=20
    )


def test_list_shows_counts_lights_and_filters(as_user, dispatcher, issue, others_issue, clock):
    issue_tick(today=D(2026, 3, 10))  # the first issue is overdue from 03-10 and escalated to level 1
    clock.set(D(2026, 3, 10))
    page = as_user(dispatcher).get("/issues/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "施工用水用电临时接入" in html and "地块内高压线迁改" in html
    assert "light-red" in html and "督办 1 级" in html
    red = as_user(dispatcher).get("/issues/", {"light": "red"}).content.decode()
    assert "施工用水用电临时接入" in red and "地块内高压线迁改" not in red
    escalated = as_user(dispatcher).get("/issues/", {"escalated": "1"}).content.decode()
    assert "地块内高压线迁改" not in escalated
    search = as_user(dispatcher).get("/issues/", {"q": "高压线"}).content.decode()
    assert "地块内高压线迁改" in search and "施工用水用电临时接入" not in search


def test_a_butler_sees_only_their_projects_issues(as_user, butler, issue, others_issue):
    html = as_user(butler).get("/issues/").content.decode()
    assert "施工用水用电临时接入" in html and "地块内高压线迁改" not in html
    assert as_user(butler).get(f"/issues/{others_issue.pk}/").status_code == 404
    response = as_user(butler).post(f"/issues/{others_issue.pk}/start/", {"version": 1})
    assert response.status_code == 404
    assert CoordinationIssue.objects.get(pk=others_issue.pk).status == IssueStatus.OPEN


def test_enterprise_users_have_no_issue_pages(as_user, enterprise_user, issue):
    assert as_user(enterprise_user).get("/issues/").status_code == 403
    assert as_user(enterprise_user).get(f"/issues/{issue.pk}/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client, issue):
    response = client.get(f"/issues/{issue.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_detail_shows_ladder_history_and_actions(as_user, butler, issue, clock):
    issue_tick(today=D(2026, 3, 10))
    clock.set(D(2026, 3, 10))
    html = as_user(butler).get(f"/issues/{issue.pk}/").content.decode()
    assert "施工用水用电临时接入" in html and "2026-03-09" in html
    assert "已逾期 1 个工作日" in html
    assert "项目管家 张三" in html and "区水务局 陈水务" in html  # who held it
    assert "rung-current" in html and "部门负责人" in html and "区领导" in html
    assert f'hx-post="/issues/{issue.pk}/start/"' in html
    assert "style=" not in html and "onclick" not in html


def test_htmx_action_and_conflict_message(as_user, butler, water_specialist, issue):
    issue_start(actor=water_specialist, issue=issue, expected_version=1)  # meanwhile, by 陈水务
    response = as_user(butler).post(
        f"/issues/{issue.pk}/resolve/", {"version": 1, "resolution": "已协调"}, **HTMX
    )
    assert response.status_code == 409
    assert "已被 陈水务" in response.content.decode()
    assert CoordinationIssue.objects.get(pk=issue.pk).status == IssueStatus.IN_PROGRESS
    response = as_user(butler).post(
        f"/issues/{issue.pk}/resolve/", {"version": 2, "resolution": "已协调"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="issue-page"' in html and "<html" not in html and "已协调" in html
    assert CoordinationIssue.objects.get(pk=issue.pk).status == IssueStatus.RESOLVED


def test_plain_post_redirects_back(as_user, butler, issue):
    response = as_user(butler).post(f"/issues/{issue.pk}/start/", {"version": 1})
    assert response.status_code == 302 and response["Location"] == f"/issues/{issue.pk}/"


def test_a_leader_may_not_start_an_issue(as_user, leader, issue):
    response = as_user(leader).post(f"/issues/{issue.pk}/start/", {"version": 1}, **HTMX)
    assert response.status_code == 403
    assert CoordinationIssue.objects.get(pk=issue.pk).status == IssueStatus.OPEN


def test_comment_and_attachment(as_user, butler, issue, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(butler)
    response = client.post(f"/issues/{issue.pk}/comments/", {"body": "已约水务局现场踏勘"}, **HTMX)
    assert response.status_code == 200 and "已约水务局现场踏勘" in response.content.decode()
    upload = SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    response = client.post(f"/issues/{issue.pk}/attachments/", {"file": upload}, **HTMX)
    assert response.status_code == 200 and "现场照片.png" in response.content.decode()
    attachment = issue.attachments.get()
    download = client.get(f"/issues/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert "attachment" in download["Content-Disposition"]
    bad = SimpleUploadedFile("病毒.exe", b"MZ")
    response = client.post(f"/issues/{issue.pk}/attachments/", {"file": bad}, **HTMX)
    assert response.status_code == 422 and "不支持的文件类型" in response.content.decode()


def test_attachment_of_another_butlers_issue_is_not_found(
    as_user, other_butler, issue, butler, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    as_user(butler).post(
        f"/issues/{issue.pk}/attachments/", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")}
    )
    attachment = issue.attachments.get()
    assert as_user(other_butler).get(f"/issues/attachments/{attachment.pk}/").status_code == 404


def test_new_issue_form(as_user, butler, project, water, water_specialist, clock):
    client = as_user(butler)
    form = client.get(f"/issues/new/?project={project.pk}")
    assert form.status_code == 200 and "新增协调事项" in form.content.decode()
    assert '<option value="" selected>不指定（由责任单位的服务专员办理）</option>' in form.content.decode()
    response = client.post(
        f"/issues/new/?project={project.pk}",
        {
            "project": project.pk,
            "title": "环评批复前置条件",
            "category": "environment",
            "department": water.pk,
            "assignee": water_specialist.pk,
            "deadline_days": 10,
            "description": "",
        },
    )
    issue = CoordinationIssue.objects.get(title="环评批复前置条件")
    assert response.status_code == 302 and response["Location"] == f"/issues/{issue.pk}/"
    assert (issue.due_on, issue.created_by, issue.assignee) == (D(2026, 3, 16), butler, water_specialist)
    invalid = client.post(f"/issues/new/?project={project.pk}", {"project": project.pk, "title": ""})
    assert invalid.status_code == 422


def test_new_issue_form_permissions(as_user, leader, other_butler, project):
    assert as_user(leader).get(f"/issues/new/?project={project.pk}").status_code == 403
    assert as_user(other_butler).get(f"/issues/new/?project={project.pk}").status_code == 404


def test_project_fragment(as_user, butler, leader, project, issue):
    html = as_user(butler).get(f"/issues/project/{project.pk}/").content.decode()
    assert "协调事项" in html and "施工用水用电临时接入" in html and "新增协调事项" in html
    assert "<html" not in html
    leader_html = as_user(leader).get(f"/issues/project/{project.pk}/").content.decode()
    assert "施工用水用电临时接入" in leader_html and "新增协调事项" not in leader_html


def test_project_fragment_for_enterprise_is_empty_and_out_of_scope_is_404(
    as_user, enterprise_user, other_butler, project, issue
):
    response = as_user(enterprise_user).get(f"/issues/project/{project.pk}/")
    assert (response.status_code, response.content) == (200, b"")
    assert as_user(other_butler).get(f"/issues/project/{project.pk}/").status_code == 404


def test_the_project_page_loads_the_fragment(as_user, butler, project, issue):
    html = as_user(butler).get(f"/projects/{project.pk}/").content.decode()
    assert f'hx-get="/issues/project/{project.pk}/"' in html


def test_admin_edits_the_ladder(as_user, admin_user, butler):
    from daiban.coordination.models import EscalationLevel

    client = as_user(admin_user)
    listing = client.get("/admin/coordination/escalationlevel/")
    assert listing.status_code == 200 and "部门负责人" in listing.content.decode()
    level = EscalationLevel.objects.get(order=1)
    response = client.post(
        f"/admin/coordination/escalationlevel/{level.pk}/change/",
        {"order": 1, "name": "项目管家", "holder": "butler", "extra_days": 5, "is_active": "on"},
    )
    assert response.status_code == 302
    level.refresh_from_db()
    assert (level.extra_days, level.version) == (5, 2)
    assert as_user(butler).get("/admin/coordination/escalationlevel/").status_code == 302


def test_a_project_out_of_scope_is_named_without_a_dead_link(
    as_user, butler, water_specialist, issue, project
):
    """The water department's specialist sees the issue assigned to it on 张三's project, but not that
    project's page (404): the list and the issue name the project without linking to it; 张三 gets
    the link."""
    link = f'href="/projects/{project.pk}/"'
    specialist = as_user(water_specialist)
    assert specialist.get(f"/projects/{project.pk}/").status_code == 404
    for url in ("/issues/", f"/issues/{issue.pk}/"):
        html = specialist.get(url).content.decode()
        assert project.name in html and link not in html
    owner = as_user(butler)
    for url in ("/issues/", f"/issues/{issue.pk}/"):
        assert link in owner.get(url).content.decode()
