"""Sign-in and role requirements shared by every page (function views and class views alike).

Scoping of rows is not done here: each view reads through the selectors' ``for_user`` scope, so a row the
user may not see is simply not found (404). This module only decides who may open a page at all.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from daiban.accounts.models import ALL_PROJECT_ROLES, Role

DASHBOARD_ROLES = tuple(ALL_PROJECT_ROLES)
# Every role with a home page; a user without a role may sign in but sees nothing (no projects in scope).
ANY_ROLE = tuple(Role.values)


def has_page_role(user, roles: tuple[str, ...]) -> bool:
    return bool(user.is_authenticated and user.has_role(*roles))


def role_required(*roles: str) -> Callable:
    """Decorator: anonymous → sign-in page; signed in without one of ``roles`` → 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_page_role(request.user, roles):
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


class RoleRequiredMixin(LoginRequiredMixin):
    """Class-view form of ``role_required``: set ``roles`` on the view (default: any role)."""

    roles: tuple[str, ...] = ANY_ROLE

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_page_role(request.user, self.roles):
            raise PermissionDenied("您的角色无权访问此页面")
        return super().dispatch(request, *args, **kwargs)


def home_url(user) -> str:
    """Where a signed-in user starts: leaders and dispatch on the dashboard, staff on their to-do list,
    an enterprise on its projects; a user without a role on "/", which says so."""
    if user.has_role(*DASHBOARD_ROLES):
        return "/dashboard/"
    if user.has_role(Role.BUTLER, Role.SPECIALIST):
        return "/todo/"
    if user.has_role(*ANY_ROLE):
        return "/projects/"
    return "/"
