"""API fixtures: a bearer token per user, a JSON client, a project with generated cases on a pinned day."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from daiban.apitokens.services import token_create
from daiban.approvals.services import cases_generate, common

# A Monday; March 2026 has no public holiday.
T0 = dt.date(2026, 3, 2)
API = "/api/v1"


class Api:
    """Calls /api/v1 as a user (by bearer token) or anonymously; returns (status, parsed JSON)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self._tokens: dict[int, str] = {}

    def token(self, user) -> str:
        if user.pk not in self._tokens:
            self._tokens[user.pk] = token_create(actor=None, user=user)[1]
        return self._tokens[user.pk]

    def call(self, method: str, path: str, user=None, body: Any = None, **params: Any):
        headers = {"Authorization": f"Bearer {self.token(user)}"} if user is not None else {}
        send: Callable = getattr(self.client, method.lower())
        if method.upper() == "GET":
            response = send(API + path, params, headers=headers)
        else:
            response = send(
                API + path, json.dumps(body or {}), content_type="application/json", headers=headers
            )
        data = response.json() if response.content else None
        return response.status_code, data, response

    def get(self, path: str, user=None, **params: Any):
        status, data, _ = self.call("GET", path, user, **params)
        return status, data

    def post(self, path: str, user=None, body: Any = None):
        status, data, _ = self.call("POST", path, user, body)
        return status, data

    def patch(self, path: str, user=None, body: Any = None):
        status, data, _ = self.call("PATCH", path, user, body)
        return status, data


@pytest.fixture
def api(db) -> Api:
    return Api(Client())


@pytest.fixture
def today(monkeypatch) -> dt.date:
    """The approval services' "today" pinned to T0 (a Monday in March 2026)."""
    monkeypatch.setattr(common, "today", lambda: T0)
    return T0


@pytest.fixture
def generated(project, today):
    """张三's project with its approval cases generated on T0."""
    cases_generate(actor=None, project=project)
    return project


def assert_problem(data: dict, status: int) -> None:
    """RFC 9457 shape with a Chinese detail."""
    assert data["status"] == status
    assert data["type"].startswith("urn:daiban:problem:")
    assert data["title"] and data["detail"]
    assert any("\u4e00" <= char <= "\u9fff" for char in data["detail"]), data["detail"]
