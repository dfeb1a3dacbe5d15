"""The demo district as plain data: departments, people, enterprises and projects (pure: stdlib + core).

``build_district(scale=…, seed=…, as_of=…)`` is deterministic: the same arguments give the same district,
down to every date and amount. The loaders in ``daiban.demo.loader`` write it to the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from daiban.core.calendar import WorkCalendar
from daiban.core.errors import DomainError
from daiban.core.ids import USCC_CHARSET, uscc_with_check
from daiban.demo import names
from daiban.demo.progress import CaseActual

DEFAULT_SEED = 2026
DEFAULT_AS_OF = date(2026, 11, 23)
DEFAULT_PROJECTS = 217
DEFAULT_NEW_STARTS = 78
MIN_SCALE = 10
DEMO_PASSWORD = "daiban2026"
# The zone's list at its default size: 5000亿 of total investment, a 1000亿 fixed-asset target (万元).
TOTAL_INVESTMENT = Decimal(50_000_000)
TARGET = Decimal(10_000_000)
PACING = "strong_start"
# The headline login of each role, printed by `daiban demo` and `daiban serve --demo`.
LOGIN_ROLES = ("admin", "leader", "dispatcher", "butler", "specialist", "enterprise")
# Catalogue department codes (reference/catalogue.yaml) → full names: specialists are named after them.
APPROVAL_DEPARTMENTS = {
    "drc": "区发展和改革委员会",
    "planning": "市规划和自然资源委员会区分局",
    "housing": "区住房和城乡建设委员会",
    "ecology": "市生态环境局区分局",
    "water": "区水务局",
    "civil_defense": "区人民防空办公室",
    "services": "区政务服务管理局",
    "earthquake": "区地震局",
    "relics": "市文物局",
    "archives": "区城市建设档案馆",
    "realty": "区不动产登记中心",
    "finance": "区财政局",
}


@dataclass(frozen=True)
class DepartmentSpec:
    name: str
    short_name: str
    kind: str
    level: str
    phone: str
    head_name: str


@dataclass(frozen=True)
class UserSpec:
    username: str
    full_name: str
    role: str
    phone: str
    department: str | None = None  # department name
    enterprise: int | None = None  # index into District.enterprises
    superuser: bool = False


@dataclass(frozen=True)
class EnterpriseSpec:
    name: str
    uscc: str
    contact_name: str
    contact_phone: str
    industry: str
    registered_on: date
    address: str


@dataclass(frozen=True)
class MonthSpec:
    month: int
    amount: Decimal
    funds_in_place: Decimal


@dataclass
class ProjectSpec:
    index: int
    name: str
    category: str  # new_start / continuing
    industry_code: str
    enterprise: int  # index into District.enterprises
    location: str
    total_investment: Decimal
    annual_plan: Decimal
    facts: dict  # the handbook facts (core.catalogue.PROJECT_FACTS names) other than total_investment
    responsible_department: str
    butler: str = ""  # username
    specialists: tuple[str, ...] = ()  # usernames
    project_code: str = ""
    planned_start_on: date | None = None
    statistics_registered: bool = False
    milestones: dict[str, date] = field(default_factory=dict)  # milestone code → actual date
    cases: dict[str, CaseActual] = field(default_factory=dict)  # item code → facts as of the as-of date
    months: tuple[MonthSpec, ...] = ()
    role: str = ""  # showcase / fate:<state> / started / approving / ready / continuing / completed

    @property
    def industry(self) -> str:
        return names.INDUSTRIES[self.industry_code]


@dataclass
class District:
    seed: int
    as_of: date
    year: int
    departments: list[DepartmentSpec]
    users: list[UserSpec]
    enterprises: list[EnterpriseSpec]
    projects: list[ProjectSpec]
    target: Decimal
    pacing: str = PACING
    logins: dict[str, str] = field(default_factory=dict)  # role → username
    password: str = DEMO_PASSWORD


def project_counts(scale: int | None) -> tuple[int, int]:
    """(new starts, continuing) of a list of ``scale`` projects (default 78 + 139 = 217)."""
    total = DEFAULT_PROJECTS if scale is None else scale
    if total < MIN_SCALE:
        raise DomainError(f"演示数据规模至少为 {MIN_SCALE} 个项目，实际为 {total}")
    new = round(total * DEFAULT_NEW_STARTS / DEFAULT_PROJECTS)
    return new, total - new


def build_district(
    *, scale: int | None = None, seed: int = DEFAULT_SEED, as_of: date = DEFAULT_AS_OF, calendar=None
) -> District:
    """The whole demo district as data (see the module doc)."""
    from daiban.demo import portfolio

    calendar = calendar or WorkCalendar.default()
    new, continuing = project_counts(scale)
    total = new + continuing
    ratio = Decimal(total) / DEFAULT_PROJECTS
    district = District(
        seed=seed,
        as_of=as_of,
        year=as_of.year,
        departments=departments(random.Random(f"{seed}:departments")),
        users=[],
        enterprises=[],
        projects=[],
        target=(TARGET * ratio).quantize(Decimal(1)),
    )
    people = Staff.build(random.Random(f"{seed}:staff"), total)
    district.projects = portfolio.build_projects(
        district, new=new, continuing=continuing, calendar=calendar, total_investment=TOTAL_INVESTMENT * ratio
    )
    people.assign(district, random.Random(f"{seed}:teams"))
    district.users = people.users + enterprise_users(district, random.Random(f"{seed}:enterprise-users"))
    district.logins = people.logins | {"enterprise": "enterprise"}
    return district


# ------------------------------------------------------------------------------------------ departments


def departments(rng: random.Random) -> list[DepartmentSpec]:
    heads = names.person_names(rng, len(names.DEPARTMENTS))
    return [
        DepartmentSpec(
            name=name,
            short_name=short,
            kind=kind,
            level="city" if name.startswith("市") else "district",
            phone=f"010-6000{index:04d}",
            head_name=head,
        )
        for index, ((name, short, kind), head) in enumerate(zip(names.DEPARTMENTS, heads, strict=True))
    ]


# ------------------------------------------------------------------------------------------ staff


@dataclass
class Staff:
    """Admin, leaders, dispatchers, butlers and specialists; projects are given to them by ``assign``."""

    users: list[UserSpec]
    butlers: list[str]
    specialists: dict[str, list[str]]  # department name → usernames
    logins: dict[str, str]

    @classmethod
    def build(cls, rng: random.Random, projects: int) -> Staff:
        butler_count = max(3, round(projects / 18))
        per_department = max(1, round(projects / 110))
        leader_count, dispatcher_count = 3, max(2, round(projects / 100))
        total = (
            1 + leader_count + dispatcher_count + butler_count + per_department * len(APPROVAL_DEPARTMENTS)
        )
        people = iter(names.person_names(rng, total))
        phones = iter(range(1, total + 1))
        users = [UserSpec("admin", next(people), "admin", names.demo_phone(next(phones)), superuser=True)]
        for k in range(1, leader_count + 1):
            users.append(
                UserSpec(_numbered("leader", k), next(people), "leader", names.demo_phone(next(phones)))
            )
        for k in range(1, dispatcher_count + 1):
            phone = names.demo_phone(next(phones))
            users.append(
                UserSpec(_numbered("dispatcher", k), next(people), "dispatcher", phone, "区发展和改革委员会")
            )
        butlers = []
        for k in range(1, butler_count + 1):
            home = "区政务服务管理局" if k % 2 else "区投资促进服务中心"
            users.append(
                UserSpec(_numbered("butler", k), next(people), "butler", names.demo_phone(next(phones)), home)
            )
            butlers.append(users[-1].username)
        specialists: dict[str, list[str]] = {}
        for code, department in APPROVAL_DEPARTMENTS.items():
            for k in range(1, per_department + 1):
                username = "specialist" if (code, k) == ("planning", 1) else f"specialist_{code}_{k}"
                phone = names.demo_phone(next(phones))
                users.append(UserSpec(username, next(people), "specialist", phone, department))
                specialists.setdefault(department, []).append(username)
        logins = {role: role for role in LOGIN_ROLES if role != "enterprise"}
        return cls(users, butlers, specialists, logins)

    def assign(self, district: District, rng: random.Random) -> None:
        """A butler for each project (the showcase's is ``butler``), a specialist per approving department."""
        order = self.butlers[:]
        rng.shuffle(order)
        from daiban.demo.portfolio import handbook_of

        for spec in district.projects:
            spec.butler = "butler" if spec.role == "showcase" else order[spec.index % len(order)]
            wanted = [d for d in _departments_of(handbook_of(spec)) if d in self.specialists]
            picked = []
            for department in wanted[:3]:
                pool = self.specialists[department]
                picked.append(
                    "specialist" if spec.role == "showcase" and "specialist" in pool else rng.choice(pool)
                )
            spec.specialists = tuple(dict.fromkeys(picked))


def _departments_of(handbook) -> list[str]:
    """Approving departments of the handbook's open-ended work, the most involved first (规自, 住建 …)."""
    counts: dict[str, int] = {}
    for case in handbook.cases:
        counts[case.department] = counts.get(case.department, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))


def _numbered(base: str, k: int) -> str:
    return base if k == 1 else f"{base}{k}"


# ------------------------------------------------------------------------------------------ enterprises


def enterprise_users(district: District, rng: random.Random) -> list[UserSpec]:
    """One user per enterprise (the showcase's enterprise is ``enterprise``)."""
    showcase = next(spec.enterprise for spec in district.projects if spec.role == "showcase")
    people = names.person_names(rng, len(district.enterprises))
    users = []
    for index, (enterprise, person) in enumerate(zip(district.enterprises, people, strict=True)):
        username = "enterprise" if index == showcase else f"ent{index + 1:05d}"
        users.append(UserSpec(username, person, "enterprise", enterprise.contact_phone, enterprise=index))
    return users


def org_code(rng: random.Random, *, numeric: bool = False) -> str:
    """A 9-character organization code (GB 11714) with its check character: 8 body characters + 1."""
    if numeric:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    else:
        body = "MA" + "".join(rng.choice(USCC_CHARSET) for _ in range(6))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_uscc(rng: random.Random, kind: str, seen: set[str]) -> str:
    """A valid, unused USCC: ``kind`` "91" company, "12" public institution, "11" government organ."""
    while True:
        code = uscc_with_check(kind + names.REGION_CODE + org_code(rng, numeric=kind != "91"))
        if code not in seen:
            seen.add(code)
            return code


def registered_before(day: date, rng: random.Random) -> date:
    return day - timedelta(days=rng.randint(7, 40))
