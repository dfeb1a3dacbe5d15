"""Sign-in (with throttling), sign-out and the root redirect."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from daiban.web.access import home_url
from daiban.web.throttle import (
    client_address,
    login_blocked_until,
    login_failure_record,
    login_failures_clear,
)


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refusing a username+address with too many recent failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用。",
        "throttled": "登录失败次数过多，请于 %(until)s 后再试。",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        until = login_blocked_until(username=username, address=address)
        if until is not None:
            local = timezone.localtime(until).strftime("%H:%M")
            raise forms.ValidationError(
                self.error_messages["throttled"], code="throttled", params={"until": local}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_failure_record(username=username, address=address)
            raise
        login_failures_clear(username=username, address=address)
        return cleaned


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return home_url(self.request.user)


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET), so a link on another site cannot sign a user out."""


@require_GET
def root(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    home = home_url(request.user)
    if home == "/":
        return render(request, "web/no_role.html", status=403)
    return redirect(home)
