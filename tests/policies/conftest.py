"""Policies fixtures: a policy saved through the service, a day inside its validity, signed-in clients."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client

from daiban.apitokens.services import token_create
from daiban.policies.services import policy_save

TODAY = dt.date(2026, 6, 1)
EQUIPMENT_RULE = """\
all:
  - {field: industry, op: eq, value: 生物医药}
  - {field: equipment_investment, op: ge, value: 1000}
"""


def make_policy(**fields):
    defaults = {
        "name": "设备购置贷款贴息",
        "issuer": "区经济和信息化局",
        "valid_from": dt.date(2026, 1, 1),
        "valid_to": dt.date(2027, 12, 31),
        "level": "project",
        "benefit_kind": "interest_subsidy",
        "rate": Decimal("0.03"),
        "cap": Decimal("2000"),
        "base_fact": "equipment_investment",
        "rule": EQUIPMENT_RULE,
    }
    return policy_save(actor=None, **(defaults | fields))


@pytest.fixture
def equipment_policy(db):
    return make_policy()


class Api:
    """Calls /api/v1 as a user by bearer token; returns (status, parsed JSON)."""

    def __init__(self) -> None:
        self.client = Client()
        self.tokens: dict[int, str] = {}

    def _headers(self, user) -> dict[str, str]:
        if user is None:
            return {}
        if user.pk not in self.tokens:
            self.tokens[user.pk] = token_create(actor=None, user=user)[1]
        return {"Authorization": f"Bearer {self.tokens[user.pk]}"}

    def get(self, path: str, user=None, **params):
        response = self.client.get("/api/v1" + path, params, headers=self._headers(user))
        return response.status_code, response.json()

    def post(self, path: str, user=None, body=None):
        response = self.client.post(
            "/api/v1" + path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self._headers(user),
        )
        return response.status_code, response.json()


@pytest.fixture
def api(db) -> Api:
    return Api()


@pytest.fixture
def signed_in(client, users):
    def sign_in(role: str):
        client.force_login(users[role])
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _pinned_day(monkeypatch):
    """The policies' "today" (re-evaluation after an edit, date checks) pinned to TODAY."""
    from daiban.policies.services import common

    monkeypatch.setattr(common, "current_day", lambda: TODAY)
