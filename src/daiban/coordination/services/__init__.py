"""The only writes of coordination issues: raise, lifecycle, comments, attachments, daily escalation."""

from daiban.coordination.services.files import check_upload, issue_attach, issue_attachment_delete
from daiban.coordination.services.lifecycle import (
    issue_close,
    issue_comment,
    issue_raise,
    issue_reopen,
    issue_resolve,
    issue_start,
)
from daiban.coordination.services.tick import IssueTickResult, issue_tick

__all__ = [
    "IssueTickResult",
    "check_upload",
    "issue_attach",
    "issue_attachment_delete",
    "issue_close",
    "issue_comment",
    "issue_raise",
    "issue_reopen",
    "issue_resolve",
    "issue_start",
    "issue_tick",
]
