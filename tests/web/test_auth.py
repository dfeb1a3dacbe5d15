"""Sign-in, sign-out, throttling of repeated failures, role homes, and who may open which page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from daiban.web.models import LoginFailure

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345"  # tests/conftest.py

HOMES = {
    "admin": "/dashboard/",
    "leader": "/dashboard/",
    "dispatcher": "/dashboard/",
    "butler": "/todo/",
    "specialist": "/todo/",
    "enterprise": "/projects/",
}


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


@pytest.mark.parametrize("role", sorted(HOMES))
def test_each_role_signs_in_and_lands_on_its_home(client, users, role):
    response = sign_in(client, users[role].username)
    assert response.status_code == 302
    assert response.headers["Location"] == HOMES[role]
    assert client.get("/").headers["Location"] == HOMES[role]


def test_a_user_without_a_role_is_told_so_and_sees_no_page(client, users):
    response = sign_in(client, users["no_role"].username)
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 403 and "尚未分配角色" in home.content.decode()
    assert client.get("/projects/").status_code == 403


def test_the_sign_in_page_is_chinese_and_carries_a_csrf_token(client):
    page = client.get("/login/").content.decode()
    assert "用户名" in page and "密码" in page and "登录" in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_sign_in_without_the_csrf_token_is_refused(users):
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, users["leader"].username).status_code == 403


def test_a_wrong_password_says_so_in_chinese(client, users):
    response = sign_in(client, users["leader"].username, "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/", "/dashboard/", "/projects/", "/projects/export/", "/projects/import/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/")


def test_after_signing_in_the_user_returns_to_the_page_they_asked_for(client, users):
    response = client.post(
        "/login/", {"username": "leader", "password": PASSWORD, "next": "/projects/?light=red"}
    )
    assert response.headers["Location"] == "/projects/?light=red"


def test_a_next_pointing_elsewhere_is_ignored(client, users):
    response = client.post(
        "/login/", {"username": "leader", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/dashboard/"


def test_sign_out_is_a_post_and_ends_the_session(client, users):
    client.force_login(users["leader"])
    assert client.get("/logout/").status_code == 405  # a link elsewhere cannot sign the user out
    response = client.post("/logout/")
    assert response.status_code == 302 and response.headers["Location"] == "/login/"
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.parametrize(("role", "status"), [("leader", 200), ("dispatcher", 200), ("admin", 200),
                                              ("butler", 403), ("specialist", 403), ("enterprise", 403),
                                              ("no_role", 403)])  # fmt: skip
def test_only_leaders_dispatch_and_admins_open_the_dashboard(signed_in, role, status):
    assert signed_in(role).get("/dashboard/").status_code == status


def test_the_navigation_shows_what_the_role_may_open(signed_in):
    leader = signed_in("leader").get("/projects/").content.decode()
    assert 'href="/dashboard/"' in leader and 'href="/admin/"' not in leader
    assert "赵领导" in leader and "领导" in leader
    butler = signed_in("butler").get("/projects/").content.decode()
    assert 'href="/dashboard/"' not in butler and 'href="/todo/"' in butler
    admin = signed_in("admin").get("/projects/").content.decode()
    assert 'href="/admin/"' in admin


# ---------------------------------------------------------------------------------------------- throttling


def test_five_failures_lock_that_username_from_that_address_even_with_the_right_password(client, users):
    for _ in range(5):
        sign_in(client, "leader", "wrong-password")
    refused = sign_in(client, "leader")
    assert refused.status_code == 200
    assert "登录失败次数过多" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address, or another username from this address, is not locked.
    assert sign_in(Client(), "leader", REMOTE_ADDR="10.0.0.9").status_code == 302
    assert sign_in(Client(), "dispatcher").status_code == 302


def test_the_lock_lifts_once_the_failures_are_older_than_the_window(client, users):
    for _ in range(5):
        sign_in(client, "leader", "wrong-password")
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=16))
    assert sign_in(client, "leader").status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, users):
    for _ in range(4):
        sign_in(client, "LEADER", "wrong-password")  # usernames are counted case-insensitively
    assert sign_in(client, "leader").status_code == 302
    assert not LoginFailure.objects.exists()


def test_attempts_while_locked_do_not_extend_the_lock(client, users):
    for _ in range(5):
        sign_in(client, "leader", "wrong-password")
    for _ in range(3):
        sign_in(client, "leader", "wrong-password")
    assert LoginFailure.objects.count() == 5
