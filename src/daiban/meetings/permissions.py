"""Who may read and run dispatch meetings.

Note: the meeting reviews the whole district's portfolio, so the pages and the API are for the roles that
see every project (admin, leader, dispatcher); butlers and specialists learn of a meeting by notification
(and see the issues it raised on their issue pages). Dispatchers and admins write; leaders read.
"""

from __future__ import annotations

from daiban.accounts.models import ALL_PROJECT_ROLES, Role
from daiban.accounts.permissions import is_active_user

MEETING_READ_ROLES = tuple(ALL_PROJECT_ROLES)
MEETING_WRITE_ROLES = (Role.ADMIN, Role.DISPATCHER)


def can_view_meetings(*, actor) -> bool:
    return is_active_user(actor) and actor.has_role(*MEETING_READ_ROLES)


def can_manage_meetings(*, actor) -> bool:
    return is_active_user(actor) and actor.has_role(*MEETING_WRITE_ROLES)
