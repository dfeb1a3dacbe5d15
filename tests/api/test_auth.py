"""Who may call the API: a bearer token, the signed-in session (with CSRF on writes), nobody else (401)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from daiban.apitokens.models import ApiToken
from daiban.apitokens.services import token_create, token_revoke
from daiban.cli import main

from .conftest import API, assert_problem

pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_problem_with_a_bearer_challenge(api, project):
    status, data, response = api.call("GET", f"/projects/{project.pk}")
    assert status == 401
    assert_problem(data, 401)
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_write_is_401_not_a_csrf_403(api, project):
    status, data = api.patch(f"/projects/{project.pk}", body={"version": 1, "name": "x"})
    assert status == 401 and data["status"] == 401


def test_a_token_authenticates_and_records_its_last_use(api, butler, project):
    token, key = token_create(actor=None, user=butler, name="测试")
    assert token.last_used_at is None and key.startswith("dbn_")
    response = api.client.get(f"{API}/projects/{project.pk}", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_only_the_digest_of_a_token_is_stored(butler):
    token, key = token_create(actor=None, user=butler)
    assert key not in (token.key_hash, token.prefix) and len(token.key_hash) == 64


@pytest.mark.parametrize("header", ["Bearer dbn_not-a-token", "Bearer ", "Token abc", "Basic Zm9vOmJhcg=="])
def test_a_bad_token_is_401(api, project, header):
    response = api.client.get(f"{API}/projects/{project.pk}", headers={"Authorization": header})
    assert response.status_code == 401


def test_revoked_token_and_inactive_user_are_401(api, butler, project):
    token, key = token_create(actor=None, user=butler)
    headers = {"Authorization": f"Bearer {key}"}
    assert api.client.get(f"{API}/projects/{project.pk}", headers=headers).status_code == 200
    butler.is_active = False
    butler.save()
    assert api.client.get(f"{API}/projects/{project.pk}", headers=headers).status_code == 401
    butler.is_active = True
    butler.save()
    token_revoke(actor=None, token=token)
    assert api.client.get(f"{API}/projects/{project.pk}", headers=headers).status_code == 401


def test_session_reads_and_writes_with_csrf(butler, project):
    client = Client(enforce_csrf_checks=True)
    client.force_login(butler)
    assert client.get(f"{API}/projects/{project.pk}").status_code == 200
    body = json.dumps({"version": project.version, "location": "经开区科创街 1 号"})

    refused = client.patch(f"{API}/projects/{project.pk}", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    client.get("/api/v1/docs")  # any page that renders a CSRF token sets the cookie
    csrf = client.cookies["csrftoken"].value
    response = client.patch(
        f"{API}/projects/{project.pk}", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 200, response.content
    assert response.json()["location"] == "经开区科创街 1 号"


def test_a_token_write_needs_no_csrf(api, butler, project):
    api.client = Client(enforce_csrf_checks=True)
    status, data = api.patch(
        f"/projects/{project.pk}", butler, {"version": project.version, "location": "东区"}
    )
    assert status == 200 and data["location"] == "东区"


def test_token_cli_creates_lists_and_revokes(butler, capsys, project):
    assert main(["token", "create", butler.username, "--name", "市平台对接"]) == 0
    key = capsys.readouterr().out.splitlines()[0]
    client = Client()
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get(f"{API}/projects/{project.pk}", headers=headers).status_code == 200

    assert main(["token", "list", butler.username]) == 0
    listing = capsys.readouterr().out
    assert key[:10] in listing and "有效" in listing and key not in listing

    assert main(["token", "revoke", key[:10]]) == 0
    assert client.get(f"{API}/projects/{project.pk}", headers=headers).status_code == 401
    assert ApiToken.objects.get().revoked_at <= timezone.now()


def test_token_cli_errors_are_one_line(db, capsys):
    assert main(["token", "create", "nobody"]) == 1
    assert "没有用户" in capsys.readouterr().err
    assert main(["token", "revoke", "dbn_zzz"]) == 1
    assert "没有前缀" in capsys.readouterr().err
