"""The skeleton a user meets first: the home page and the admin sign-in."""

import pytest


@pytest.mark.django_db
def test_home_page_says_whether_today_is_a_working_day(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "重大项目全程代办系统" in text
    assert ("工作日" in text) or ("休息日" in text)


@pytest.mark.django_db
def test_admin_sign_in_works_with_an_argon2_password(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="boss", password="a-long-password-1")
    assert user.password.startswith("argon2")
    page = client.get("/admin/login/")
    assert "csrfmiddlewaretoken" in page.content.decode()
    assert client.login(username="boss", password="a-long-password-1")
    assert client.get("/admin/").status_code == 200
