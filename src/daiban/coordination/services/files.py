"""Attachments of an issue: size and type checked here (by content, not only by the file name)."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import transaction

from daiban.accounts.permissions import require
from daiban.audit.services import create_tracked, soft_delete
from daiban.coordination import permissions
from daiban.coordination.models import IssueAttachment
from daiban.coordination.services.lifecycle import _issue_for_write
from daiban.core.errors import DomainError

# Extension → (content type, the bytes such a file starts with). docx/xlsx are ZIP packages.
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def check_upload(upload) -> str:
    """The content type of an acceptable upload; DomainError (Chinese) for a wrong type, size or content."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_TYPES:
        raise DomainError(
            f"不支持的文件类型“{extension or name}”，请上传 PDF、Word（docx）、Excel（xlsx）、JPG 或 PNG"
        )
    limit = max_bytes()
    if upload.size > limit:
        raise DomainError(f"文件“{name}”超过 {limit // (1024 * 1024)} MB 的上限")
    if upload.size == 0:
        raise DomainError(f"文件“{name}”是空文件")
    content_type, signatures = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise DomainError(f"文件“{name}”的内容与扩展名 {extension} 不符")
    return content_type


@transaction.atomic
def issue_attach(*, actor, issue, upload) -> IssueAttachment:
    """Store ``upload`` (an UploadedFile/File) under MEDIA_ROOT/issues/ as an attachment of ``issue``."""
    issue = _issue_for_write(actor, issue)
    require(permissions.can_attach_issue(actor=actor, issue=issue), "您不能为此事项上传附件")
    content_type = check_upload(upload)
    name = os.path.basename(upload.name)[:200]
    return create_tracked(
        IssueAttachment,
        actor=actor,
        issue=issue,
        file=upload,
        name=name,
        size=upload.size,
        content_type=content_type,
        validate=False,  # Note: full_clean would re-read the upload; the checks above are the rules.
    )


@transaction.atomic
def issue_attachment_delete(*, actor, attachment: IssueAttachment) -> IssueAttachment:
    """Hide an attachment (soft delete: the file stays for the audit trail)."""
    attachment = IssueAttachment.objects.for_user(actor).get(pk=attachment.pk)
    issue = _issue_for_write(actor, attachment.issue_id)
    allowed = attachment.created_by_id == actor.pk or permissions.can_close_issue(actor=actor, issue=issue)
    require(allowed, "只有上传人、调度或管理员可以删除附件")
    return soft_delete(attachment, actor=actor)
