"""API of notifications: own list (?unread=1), mark one read, mark all read; someone else's is a 404."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from daiban.apitokens.services import token_create
from daiban.notifications.models import Kind, Notification
from daiban.notifications.services import notify

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications"


@pytest.fixture
def call(db):
    client, tokens = Client(), {}

    def send(method: str, path: str, user=None, **params):
        headers = {}
        if user is not None:
            tokens.setdefault(user.pk, token_create(actor=None, user=user)[1])
            headers["Authorization"] = f"Bearer {tokens[user.pk]}"
        if method == "GET":
            response = client.get(API + path, params, headers=headers)
        else:
            response = client.post(
                API + path, json.dumps({}), content_type="application/json", headers=headers
            )
        return response.status_code, response.json() if response.content else None

    return send


@pytest.fixture
def inbox(butler, other_butler, project):
    for key, kind in (("a", Kind.CASE_OVERDUE), ("b", Kind.MILESTONE_DUE)):
        notify(
            recipients=[butler],
            kind=kind,
            key=key,
            title=f"消息{key}",
            url=f"/projects/{project.pk}/",
            project=project,
        )
    notify(recipients=[other_butler], kind=Kind.CASE_WARNING, key="z", title="李四的消息")
    return {n.key: n for n in Notification.objects.all()}


def test_anonymous_is_401(call):
    assert call("GET", "")[0] == 401


def test_list_is_own_newest_first(call, butler, project, inbox):
    status, data = call("GET", "", butler)
    assert status == 200
    assert (data["count"], data["unread"]) == (2, 2)
    assert [item["title"] for item in data["items"]] == ["消息b", "消息a"]
    item = data["items"][1]
    assert item["kind"] == "case_overdue" and item["kind_label"] == "办件逾期"
    assert item["url"] == f"/projects/{project.pk}/" and item["project_id"] == project.pk
    assert item["read"] is False and item["read_at"] is None
    assert call("GET", "", butler, kind="milestone_due")[1]["count"] == 1


def test_mark_read_then_unread_filter(call, butler, inbox):
    status, data = call("POST", f"/{inbox['a'].pk}/read", butler)
    assert status == 200 and data["read"] is True and data["read_at"]
    status, data = call("GET", "", butler, unread=1)
    assert [item["title"] for item in data["items"]] == ["消息b"]
    assert data["unread"] == 1
    # Marking again changes nothing.
    inbox["a"].refresh_from_db()
    first_read = inbox["a"].read_at
    assert call("POST", f"/{inbox['a'].pk}/read", butler)[0] == 200
    inbox["a"].refresh_from_db()
    assert inbox["a"].read_at == first_read


def test_someone_elses_is_404(call, butler, inbox):
    status, data = call("POST", f"/{inbox['z'].pk}/read", butler)
    assert status == 404 and data["status"] == 404
    assert call("POST", "/999999/read", butler)[0] == 404
    inbox["z"].refresh_from_db()
    assert inbox["z"].read_at is None


def test_read_all(call, butler, other_butler, inbox):
    assert call("POST", "/read-all", butler) == (200, {"marked": 2})
    assert call("POST", "/read-all", butler) == (200, {"marked": 0})
    assert call("GET", "", other_butler, unread=1)[1]["count"] == 1
