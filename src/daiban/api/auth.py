"""Who is calling: an API token (``Authorization: Bearer dbn_…``) or the signed-in browser session.

Note: ninja's own session auth checks CSRF before it knows whether there is a session at all, so an anonymous
POST would get 403 instead of 401 and a token request would never reach the token check. Here the token is
tried first, and CSRF is checked only for a request that really rides on a session.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from daiban.accounts.permissions import NotPermitted
from daiban.apitokens.services import token_authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TokenAuth(HttpBearer):
    """An API token created with ``daiban token create USERNAME``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return token_authenticate(key=token.strip())


class SessionAuth(APIKeyCookie):
    """The Django session of the pages; unsafe methods need the CSRF token in the ``X-CSRFToken`` header."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise NotPermitted(
                "CSRF 校验失败：使用登录会话调用接口时，请在请求头 X-CSRFToken 中提供 CSRF 令牌"
            )
        return user


def api_auth() -> list:
    return [TokenAuth(), SessionAuth()]
