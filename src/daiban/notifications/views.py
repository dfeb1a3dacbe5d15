"""消息 (/inbox/): the signed-in user's own notifications — list, open (marks read), mark read, mark all read.

Every signed-in user has an inbox (enterprise users included); a notification of anyone else is a 404. Writes
are POST forms with CSRF; "open" marks the row read, then follows its link.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from daiban.notifications.models import Kind, Notification
from daiban.notifications.selectors import notification_list, unread_count
from daiban.notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 30
INBOX = "/inbox/"


def signed_in(view):
    """Anonymous → the sign-in page. No role is needed: a user's own messages are theirs whatever the role."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def _safe(request: HttpRequest, url: str, fallback: str = INBOX) -> str:
    """Only this site's own paths: a stored or posted link never sends the user elsewhere."""
    ok = url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    return url if ok else fallback


@require_GET
@signed_in
def inbox(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("show") == "unread"
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    rows = notification_list(user=request.user, unread=unread, kind=kind).select_related("project")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {key: value for key, value in (("show", "unread" if unread else ""), ("kind", kind)) if value}
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "notifications": page.object_list,
            # Note: like the unread chip beside it, the count of every kind (the kind filter is separate).
            "total": notification_list(user=request.user).count(),
            "unread": unread,
            "kind": kind,
            "kinds": Kind.choices,
            "page_query": urlencode(query),
            "here": request.get_full_path(),
        },
    )


def _mark(request: HttpRequest, pk: int) -> Notification:
    try:
        return notification_mark_read(actor=request.user, pk=pk)
    except Notification.DoesNotExist as error:
        raise Http404("消息不存在") from error


@require_POST
@signed_in
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read, then go where the notification points (the inbox if it points nowhere)."""
    notification = _mark(request, pk)
    return redirect(_safe(request, notification.url))


@require_POST
@signed_in
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read. htmx: the row again, and the header's count out of band; else back to the list."""
    notification = _mark(request, pk)
    if request.htmx:
        context = {"n": notification, "inbox_unread": unread_count(request.user), "oob": True}
        return render(request, "notifications/partials/read_response.html", context)
    return redirect(_safe(request, request.POST.get("next", "")))


@require_POST
@signed_in
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return redirect(_safe(request, request.POST.get("next", "")))
