"""Coordination fixtures: a pinned "today", a responsible department with a specialist, issue helpers."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from daiban.coordination.services import issue_raise, lifecycle
from daiban.core.calendar import WorkCalendar

# A Monday in March 2026 (no public holiday that month).
T0 = dt.date(2026, 3, 2)


class Clock:
    """The services' "today", moved by the tests."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def set(self, day: dt.date) -> dt.date:
        self.day = day
        return day


@pytest.fixture
def clock(monkeypatch) -> Clock:
    state = Clock(T0)
    monkeypatch.setattr(lifecycle, "today", lambda: state.day)
    return state


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar.default()


@pytest.fixture
def water(department_factory):
    """The responsible department of the issues (区水务局), head 王局长."""
    return department_factory(name="区水务局", short_name="水务", head_name="王局长")


@pytest.fixture
def water_specialist(user_factory, water):
    return user_factory(username="water", full_name="陈水务", role="specialist", department=water)


@pytest.fixture
def raise_issue(project, butler, water, clock):
    """Raise an issue on 张三's project (as 张三 unless told), for 区水务局, 5 working days, on T0."""

    def make(**overrides):
        fields = {
            "actor": butler,
            "project": project,
            "title": "施工用水用电临时接入",
            "category": "utilities",
            "department": water,
            "deadline_days": 5,
            "description": "施工临时用水接入需协调市政管网。",
            "today": clock.day,
        }
        return issue_raise(**(fields | overrides))

    return make


@pytest.fixture
def as_user(client):
    """as_user(user) → the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


class Api:
    """Calls /api/v1 as a user by bearer token; returns (status, parsed JSON)."""

    def __init__(self, client) -> None:
        self.client = client
        self._tokens: dict[int, str] = {}

    def _headers(self, user) -> dict:
        from daiban.apitokens.services import token_create

        if user.pk not in self._tokens:
            self._tokens[user.pk] = token_create(actor=None, user=user)[1]
        return {"Authorization": f"Bearer {self._tokens[user.pk]}"}

    def get(self, path: str, user, **params):
        response = self.client.get("/api/v1" + path, params, headers=self._headers(user))
        return response.status_code, response.json()

    def post(self, path: str, user, body=None):
        response = self.client.post(
            "/api/v1" + path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self._headers(user),
        )
        return response.status_code, response.json()


@pytest.fixture
def api(db):
    from django.test import Client

    return Api(Client())
