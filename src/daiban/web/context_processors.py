"""What every page's frame needs: the navigation for the signed-in user's role."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from daiban.accounts.models import ALL_PROJECT_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, path, roles that see it; None = every signed-in user)
_NAV = (
    ("驾驶舱", "/dashboard/", ALL_PROJECT_ROLES),
    ("项目清单", "/projects/", None),
    ("我的待办", "/todo/", frozenset({Role.BUTLER, Role.SPECIALIST, Role.DISPATCHER, Role.ADMIN})),
    ("协调事项", "/issues/", frozenset(Role) - {Role.ENTERPRISE}),
    ("调度会", "/meetings/", ALL_PROJECT_ROLES),
    ("惠企政策", "/policies/", None),
    ("系统管理", "/admin/", frozenset({Role.ADMIN})),
)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": ()}
    items = tuple(
        NavItem(label, url, request.path.startswith(url))
        for label, url, roles in _NAV
        if roles is None or user.has_role(*roles)
    )
    return {"nav_items": items, "role_label": role_label(user)}


def role_label(user) -> str:
    if user.role:
        return user.get_role_display()
    return "管理员" if user.is_superuser else "未分配角色"
