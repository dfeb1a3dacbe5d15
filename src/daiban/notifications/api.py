"""API of the caller's own notifications: list (optionally unread only), mark one read, mark all read.

Another user's notification is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from daiban.api.problems import errors
from daiban.api.schemas import Id, PageParams, page_of
from daiban.notifications.models import Kind, Notification
from daiban.notifications.selectors import notification_list
from daiban.notifications.services import notification_mark_read, notifications_mark_all_read

router = Router(tags=["消息通知"])


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    project_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    read: bool

    @staticmethod
    def resolve_kind_label(notification: Notification) -> str:
        return notification.get_kind_display()

    @staticmethod
    def resolve_read(notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationPageOut(Schema):
    count: int
    page: int
    page_size: int
    unread: int = Field(..., description="未读消息总数")
    items: list[NotificationOut]


class NotificationQuery(Schema):
    unread: bool = Field(False, description="只看未读（unread=1）")
    kind: Kind | None = Field(None, description="消息类型")


class ReadAllOut(Schema):
    marked: int = Field(..., description="本次标为已读的条数")


@router.get("", response={200: NotificationPageOut, **errors()}, summary="我的消息（最新在前，分页）")
def notification_index(request: HttpRequest, query: Query[NotificationQuery], page: Query[PageParams]):
    rows = notification_list(user=request.auth, unread=query.unread, kind=query.kind or "")
    unread = notification_list(user=request.auth, unread=True).count()
    return page_of(rows, page) | {"unread": unread}


@router.post("/read-all", response={200: ReadAllOut, **errors()}, summary="全部标为已读")
def notification_read_all(request: HttpRequest):
    return {"marked": notifications_mark_all_read(actor=request.auth)}


@router.post("/{notification_id}/read", response={200: NotificationOut, **errors(404)}, summary="标为已读")
def notification_read(request: HttpRequest, notification_id: Id):
    return notification_mark_read(actor=request.auth, pk=notification_id)
