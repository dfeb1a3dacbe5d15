"""The first thing a user meets: / sends them to sign in, or to their home page."""

import pytest


@pytest.mark.django_db
def test_admin_sign_in_works_with_an_argon2_password(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="boss", password="a-long-password-1")
    assert user.password.startswith("argon2")
    page = client.get("/admin/login/")
    assert "csrfmiddlewaretoken" in page.content.decode()
    assert client.login(username="boss", password="a-long-password-1")
    assert client.get("/admin/").status_code == 200
