"""The demo district (演示数据): a realistic, deterministic zone to show and to benchmark daiban.

``demo_load()`` builds the district as data (``district.build_district``: the same seed and as-of date give
the same data), writes it in bulk (``bulk``) with the scripted projects' histories recorded through the
services (``narrate``), then runs the daily tick as of that date so every stored clock and light is set.
``demo_load_if_empty()`` is what ``daiban serve --demo`` calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from daiban.demo.district import (
    DEFAULT_AS_OF,
    DEFAULT_SEED,
    DEMO_PASSWORD,
    LOGIN_ROLES,
    build_district,
)

ROLE_LABELS = {
    "admin": "管理员",
    "leader": "领导",
    "dispatcher": "调度",
    "butler": "项目管家",
    "specialist": "服务专员",
    "enterprise": "企业",
}


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    full_name: str
    password: str = DEMO_PASSWORD

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


@dataclass(frozen=True)
class DemoResult:
    projects: int
    new_starts: int
    continuing: int
    cases: int
    users: int
    enterprises: int
    total_investment: Decimal  # 万元
    target: Decimal  # 万元
    as_of: date
    seconds: float
    logins: tuple[DemoLogin, ...] = field(default_factory=tuple)


def demo_load(
    *,
    scale: int | None = None,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Load the demo district (``scale`` projects, default 217) as of ``as_of`` (default 2026-11-23).

    Refuses (DomainError) a database that already has projects unless ``force``, which first clears the
    business data and the users (``clearing.clear_for_demo``). One transaction: all or nothing.
    """
    from django.db import transaction

    from daiban.approvals.services import tick
    from daiban.demo import bulk, clearing, narrate, operations

    started = time.perf_counter()
    as_of = as_of or DEFAULT_AS_OF
    clearing.check_can_load(force=force, as_of=as_of)
    district = build_district(scale=scale, seed=seed, as_of=as_of)
    with transaction.atomic():
        if force:
            clearing.clear_for_demo()
        projects, users = bulk.load_in_bulk(district, progress=progress)
        narrate.narrate(district, projects, users)
        tick(today=as_of)
        operations.load_operations(as_of=as_of)
    return _result(district, time.perf_counter() - started)


def demo_load_if_empty(*, out: Callable[[str], None] = print) -> DemoResult | None:
    """For ``daiban serve --demo``: load the demo into a database without projects and print the logins;
    with projects already there, print the demo logins that still work."""
    from daiban.projects.models import Project

    if Project.all_objects.exists():
        logins = demo_logins()
        if logins:
            out("数据库中已有项目，未重新载入演示数据。演示账号：")
            for line in login_lines(logins):
                out(line)
        return None
    out("正在载入演示数据（京南经济技术开发区，217 个项目）……")
    result = demo_load(progress=out)
    for line in summary_lines(result):
        out(line)
    return result


def demo_logins() -> tuple[DemoLogin, ...]:
    """The headline demo logins present in the database that still have the demo password.

    Note: argon2 verification is slow by design, so each distinct stored hash is verified once (the demo
    users share one hash unless someone changed a password)."""
    from django.contrib.auth.hashers import check_password

    from daiban.accounts.models import User

    users = {user.username: user for user in User.objects.filter(username__in=LOGIN_ROLES, is_active=True)}
    valid = {
        encoded: check_password(DEMO_PASSWORD, encoded) for encoded in {u.password for u in users.values()}
    }
    return tuple(
        DemoLogin(role, users[role].username, users[role].display_name)
        for role in LOGIN_ROLES
        if role in users and valid[users[role].password]
    )


def login_lines(logins: tuple[DemoLogin, ...]) -> list[str]:
    return [
        f"  {login.role_label:　<5}{login.username:<12}{login.password}　（{login.full_name}）"
        for login in logins
    ]


def summary_lines(result: DemoResult) -> list[str]:
    yi = (result.total_investment / 10_000).quantize(Decimal(1))
    target = (result.target / 10_000).quantize(Decimal(1))
    return [
        f"演示数据已载入（截至 {result.as_of.isoformat()}）：项目 {result.projects} 个"
        f"（新开工 {result.new_starts}、续建 {result.continuing}），总投资 {yi} 亿元，"
        f"年度投资目标 {target} 亿元；办件 {result.cases} 个，用户 {result.users} 个，"
        f"企业 {result.enterprises} 家。",
        f"用时 {result.seconds:.1f} 秒。演示账号（密码均为 {DEMO_PASSWORD}）：",
        *login_lines(result.logins),
    ]


def _result(district, seconds: float) -> DemoResult:
    from daiban.approvals.models import ApprovalCase

    new = sum(spec.category == "new_start" for spec in district.projects)
    return DemoResult(
        projects=len(district.projects),
        new_starts=new,
        continuing=len(district.projects) - new,
        cases=ApprovalCase.objects.count(),
        users=len(district.users),
        enterprises=len(district.enterprises),
        total_investment=sum((spec.total_investment for spec in district.projects), Decimal(0)),
        target=district.target,
        as_of=district.as_of,
        seconds=seconds,
        logins=demo_logins(),
    )


__all__ = ["DemoLogin", "DemoResult", "demo_load", "demo_load_if_empty", "demo_logins", "summary_lines"]
