"""Raising an issue and its lifecycle: who may, what is checked, versions, comments, attachments."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from daiban.accounts.permissions import NotPermitted
from daiban.audit.models import AuditEntry
from daiban.audit.services import ConcurrentEditError
from daiban.coordination.models import CoordinationIssue, IssueHolding, IssueStatus
from daiban.coordination.services import (
    issue_attach,
    issue_close,
    issue_comment,
    issue_reopen,
    issue_resolve,
    issue_start,
)
from daiban.core.errors import DomainError
from daiban.notifications.models import Notification
from daiban.projects.models import Project

D = dt.date


def test_raise_computes_due_date_records_holding_and_tells_the_assignee(
    raise_issue, water_specialist, butler
):
    issue = raise_issue(assignee=water_specialist)
    assert issue.due_on == D(2026, 3, 9)  # 5 working days after Monday 03-02
    assert (issue.status, issue.level, issue.created_by, issue.version) == (IssueStatus.OPEN, 0, butler, 1)
    holding = IssueHolding.objects.get(issue=issue)
    assert (holding.level, holding.holder, holding.started_on, holding.due_on) == (
        0,
        water_specialist,
        D(2026, 3, 2),
        D(2026, 3, 9),
    )
    assert holding.holder_label == "区水务局 陈水务"
    note = Notification.objects.get(recipient=water_specialist)
    assert (note.kind, note.key, note.url) == (
        "issue_assigned",
        f"issue:{issue.pk}:assigned",
        f"/issues/{issue.pk}/",
    )
    assert AuditEntry.objects.filter(
        model_label="coordination.coordinationissue", object_id=str(issue.pk)
    ).exists()


def test_raise_without_assignee_tells_the_department_specialists(
    raise_issue, water_specialist, user_factory, water
):
    colleague = user_factory(username="water2", full_name="林水务", role="specialist", department=water)
    issue = raise_issue()
    assert set(
        Notification.objects.filter(key=f"issue:{issue.pk}:assigned").values_list("recipient", flat=True)
    ) == {
        water_specialist.pk,
        colleague.pk,
    }
    assert IssueHolding.objects.get(issue=issue).holder_label == "区水务局（陈水务、林水务）"


def test_raise_across_national_day(raise_issue):
    issue = raise_issue(today=D(2026, 9, 29), deadline_days=5)
    assert issue.due_on == D(2026, 10, 12)


@pytest.mark.parametrize("role", ["butler", "specialist", "dispatcher", "admin"])
def test_the_team_dispatch_and_admin_may_raise(raise_issue, users, role):
    assert raise_issue(actor=users[role]).pk


@pytest.mark.parametrize("role", ["leader", "enterprise"])
def test_others_who_see_the_project_may_not_raise(raise_issue, users, role):
    with pytest.raises(NotPermitted):
        raise_issue(actor=users[role])


@pytest.mark.parametrize("role", ["other_butler", "no_role"])
def test_raising_on_a_project_out_of_scope_is_not_found(raise_issue, users, role):
    with pytest.raises(Project.DoesNotExist):
        raise_issue(actor=users[role])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "标题"),
        ("category", "weather", "类别"),
        ("deadline_days", 0, "办理时限"),
        ("deadline_days", 999, "办理时限"),
        ("department", None, "责任单位"),
    ],
)
def test_raise_refuses_bad_input(raise_issue, field, value, message):
    with pytest.raises(DomainError, match=message):
        raise_issue(**{field: value})
    assert not CoordinationIssue.objects.exists()


def test_lifecycle_open_progress_resolved_closed(raise_issue, water_specialist, butler, clock):
    issue = raise_issue(assignee=water_specialist)
    issue = issue_start(actor=water_specialist, issue=issue, expected_version=1)
    assert (issue.status, issue.version) == (IssueStatus.IN_PROGRESS, 2)
    clock.set(D(2026, 3, 5))
    issue = issue_resolve(
        actor=water_specialist, issue=issue, expected_version=2, resolution="已接入临时水表"
    )
    assert (issue.status, issue.resolved_on, issue.resolution) == (
        IssueStatus.RESOLVED,
        D(2026, 3, 5),
        "已接入临时水表",
    )
    with pytest.raises(NotPermitted):  # closing is the raiser's call
        issue_close(actor=water_specialist, issue=issue, expected_version=3)
    issue = issue_close(actor=butler, issue=issue, expected_version=3)
    assert (issue.status, issue.closed_on) == (IssueStatus.CLOSED, D(2026, 3, 5))
    notes = list(
        AuditEntry.objects.filter(
            object_id=str(issue.pk), model_label="coordination.coordinationissue"
        ).values_list("note", flat=True)
    )
    assert {"开始办理", "办结", "关闭"} <= set(notes)


def test_reopen_clears_the_result_and_keeps_it_in_the_thread(raise_issue, water_specialist, butler, clock):
    issue = raise_issue(assignee=water_specialist)
    issue = issue_resolve(actor=water_specialist, issue=issue, expected_version=1, resolution="已协调")
    issue = issue_reopen(actor=butler, issue=issue, expected_version=2, reason="现场仍未通水")
    assert (issue.status, issue.resolution, issue.resolved_on) == (IssueStatus.IN_PROGRESS, "", None)
    assert "现场仍未通水" in issue.comments.get().body and "已协调" in issue.comments.get().body
    issue = issue_resolve(actor=water_specialist, issue=issue, expected_version=3, resolution="好了")
    with pytest.raises(DomainError, match="原因"):
        issue_reopen(actor=butler, issue=issue, expected_version=4, reason=" ")


def test_transitions_in_the_wrong_state_are_refused(raise_issue, water_specialist, butler):
    issue = raise_issue(assignee=water_specialist)
    with pytest.raises(DomainError, match="已解决"):
        issue_close(actor=butler, issue=issue, expected_version=1)
    with pytest.raises(DomainError, match="重新打开"):
        issue_reopen(actor=butler, issue=issue, expected_version=1, reason="x")
    with pytest.raises(DomainError, match="办理结果"):
        issue_resolve(actor=butler, issue=issue, expected_version=1, resolution="  ")
    issue_start(actor=butler, issue=issue, expected_version=1)
    with pytest.raises(DomainError, match="待办"):
        issue_start(actor=butler, issue=issue, expected_version=2)


def test_resolution_date_cannot_precede_raising_or_be_in_the_future(raise_issue, butler):
    issue = raise_issue()
    with pytest.raises(DomainError, match="早于"):
        issue_resolve(
            actor=butler, issue=issue, expected_version=1, resolution="x", resolved_on=D(2026, 3, 1)
        )
    with pytest.raises(DomainError, match="晚于今天"):
        issue_resolve(
            actor=butler, issue=issue, expected_version=1, resolution="x", resolved_on=D(2026, 3, 3)
        )


def test_stale_version_is_a_conflict_naming_who_changed_it(raise_issue, water_specialist, butler):
    issue = raise_issue(assignee=water_specialist)
    issue_start(actor=water_specialist, issue=issue, expected_version=1)
    with pytest.raises(ConcurrentEditError, match="陈水务"):
        issue_resolve(actor=butler, issue=issue, expected_version=1, resolution="已办")
    assert CoordinationIssue.objects.get(pk=issue.pk).status == IssueStatus.IN_PROGRESS


@pytest.mark.parametrize("role", ["leader", "other_butler"])
def test_who_may_not_work_an_issue(raise_issue, users, role, water_specialist):
    issue = raise_issue(assignee=water_specialist)
    with pytest.raises((NotPermitted, CoordinationIssue.DoesNotExist)):
        issue_start(actor=users[role], issue=issue, expected_version=1)


def test_the_departments_specialist_works_an_issue_of_a_project_they_do_not_serve(
    raise_issue, water_specialist
):
    issue = raise_issue()  # no assignee: 区水务局's specialists hold it
    assert (
        issue_start(actor=water_specialist, issue=issue, expected_version=1).status == IssueStatus.IN_PROGRESS
    )


def test_comments(raise_issue, leader, enterprise_user):
    issue = raise_issue()
    comment = issue_comment(actor=leader, issue=issue, body="请水务局本周内解决。")
    assert (comment.created_by, comment.body) == (leader, "请水务局本周内解决。")
    with pytest.raises(DomainError):
        issue_comment(actor=leader, issue=issue, body="   ")
    with pytest.raises(CoordinationIssue.DoesNotExist):
        issue_comment(actor=enterprise_user, issue=issue, body="我们也想说")


def _docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("水务局复函")
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_attach_a_real_docx(raise_issue, butler, media):
    issue = raise_issue()
    upload = SimpleUploadedFile("复函.docx", _docx_bytes())
    attachment = issue_attach(actor=butler, issue=issue, upload=upload)
    assert attachment.name == "复函.docx"
    assert attachment.file.name.startswith("issues/")
    assert (media / attachment.file.name).exists()
    with attachment.file.open("rb") as handle:
        assert Document(handle).paragraphs[0].text == "水务局复函"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("脚本.exe", b"MZ\x90\x00", "不支持"),
        ("伪装.pdf", b"<html>not a pdf</html>", "不符"),
        ("空.png", b"", "空文件"),
    ],
)
def test_attach_refuses_wrong_types_and_content(raise_issue, butler, media, name, content, message):
    issue = raise_issue()
    with pytest.raises(DomainError, match=message):
        issue_attach(actor=butler, issue=issue, upload=SimpleUploadedFile(name, content))
    assert not issue.attachments.exists()


def test_attach_refuses_files_over_the_limit(raise_issue, butler, media, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    issue = raise_issue()
    big = SimpleUploadedFile("大图.png", b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024))
    with pytest.raises(DomainError, match="1 MB"):
        issue_attach(actor=butler, issue=issue, upload=big)


def test_leader_may_not_attach(raise_issue, leader, media):
    issue = raise_issue()
    with pytest.raises(NotPermitted):
        issue_attach(actor=leader, issue=issue, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))


def test_attachment_delete_by_uploader_or_dispatch_only(
    raise_issue, butler, water_specialist, dispatcher, media
):
    from daiban.coordination.services import issue_attachment_delete

    issue = raise_issue(assignee=water_specialist)
    attachment = issue_attach(actor=butler, issue=issue, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    with pytest.raises(NotPermitted):
        issue_attachment_delete(actor=water_specialist, attachment=attachment)
    issue_attachment_delete(actor=dispatcher, attachment=attachment)
    assert not issue.attachments(manager="objects").exists()
