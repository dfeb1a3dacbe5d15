"""The demo district's projects: names, owners, handbook facts, money, approval history, milestones and
monthly investment (pure: stdlib + core).

Every project gets a *role* that decides where it stands on the as-of date:

* ``showcase`` — the precision-machinery smart factory whose permits came in exactly 47 working days;
* ``fate:<state>`` — a project whose 建设工程规划许可证 is scripted to be overdue, near its due date,
  suspended, running normally or decided late, so every clock state appears even in a ten-project demo;
* new starts: ``started`` (permits done, ground broken this year), ``ready`` (permits done, not yet
  started), ``approving`` (approvals under way);
* continuing: ``continuing`` (under construction since an earlier year), ``completed`` (completed this year,
  acceptance approvals under way).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from daiban.core.calendar import WorkCalendar
from daiban.core.catalogue import PROJECT_FACTS, load_catalogue
from daiban.core.handbook import Handbook, tailor
from daiban.core.pacing import preset
from daiban.demo import names
from daiban.demo.district import District, EnterpriseSpec, ProjectSpec, make_uscc
from daiban.demo.history import build_history, monthly_investment

PLAN_SHARE_OF_TARGET = Decimal("0.88")  # the list's annual plans make up most of the zone's target
FATED = ("overdue", "warning", "suspended", "normal")
SHOWCASE_NAME = "京南精工精密减速器智能工厂项目"
SHOWCASE_ENTERPRISE = "北京京南精工精密制造有限公司"
PLACEHOLDER_REGISTERED = date(2000, 1, 1)


def build_projects(
    district: District, *, new: int, continuing: int, calendar: WorkCalendar, total_investment: Decimal
) -> list[ProjectSpec]:
    rng = random.Random(f"{district.seed}:projects")
    roles = _roles(new, continuing, rng)
    industries = ["robot", *_industries(len(roles) - 1, rng)]
    totals = _totals(industries, total_investment, rng)
    seen_usccs: set[str] = set()
    namer = _Namer()
    specs = []
    for index, (role, industry, total) in enumerate(zip(roles, industries, totals, strict=True)):
        prng = random.Random(f"{district.seed}:project:{index}")
        specs.append(_project(district, index, role, industry, total, prng, seen_usccs, namer))
    _annual_plans(specs, district.target * PLAN_SHARE_OF_TARGET, rng)
    curve = preset(district.pacing)
    for spec in specs:
        prng = random.Random(f"{district.seed}:history:{spec.index}")
        build_history(spec, handbook_of(spec), calendar, district.as_of, prng)
        spec.months = monthly_investment(spec, curve, district.as_of, prng)
    _registration_dates(district, specs)
    return specs


def _registration_dates(district: District, specs: list[ProjectSpec]) -> None:
    """A company set up for its project registered on the project's 注册 milestone."""
    for spec in sorted(specs, key=lambda spec: spec.milestones.get("registered") or district.as_of):
        enterprise = district.enterprises[spec.enterprise]
        registered = spec.milestones.get("registered")
        if not (enterprise.uscc.startswith("91") and enterprise.industry and registered):
            continue
        if enterprise.registered_on == PLACEHOLDER_REGISTERED or registered < enterprise.registered_on:
            district.enterprises[spec.enterprise] = replace(enterprise, registered_on=registered)


# ------------------------------------------------------------------------------------------ roles, industries


def _roles(new: int, continuing: int, rng: random.Random) -> list[str]:
    """Scripted roles first (showcase, fates, one late decision), then the rest shuffled."""
    fated = [f"fate:{fate}" for fate in FATED][: max(0, new - 1)]
    rest_new = new - 1 - len(fated)
    started, ready = round(rest_new * 0.74), round(rest_new * 0.08)
    completed = round((continuing - 1) * 0.22)
    rest = ["started"] * started + ["ready"] * ready + ["approving"] * (rest_new - started - ready)
    rest += ["completed"] * completed + ["continuing"] * (continuing - 1 - completed)
    rng.shuffle(rest)
    return ["showcase", *fated, "fate:late", *rest]


def _industries(count: int, rng: random.Random) -> list[str]:
    """Industries in the proportions of INDUSTRY_WEIGHTS (largest remainder), shuffled."""
    weights = names.INDUSTRY_WEIGHTS
    whole = sum(weights.values())
    shares = {code: Decimal(count * weight) / whole for code, weight in weights.items()}
    counts = {code: int(share) for code, share in shares.items()}
    by_remainder = sorted(weights, key=lambda code: (counts[code] - shares[code], code))
    for code in by_remainder[: count - sum(counts.values())]:
        counts[code] += 1
    result = [code for code in weights for _ in range(counts[code])]
    rng.shuffle(result)
    return result


def is_new_start(role: str) -> bool:
    return role in ("showcase", "started", "ready", "approving") or role in {f"fate:{f}" for f in FATED}


# ------------------------------------------------------------------------------------------ money


def _totals(industries: list[str], total: Decimal, rng: random.Random) -> list[Decimal]:
    """Total investment per project (万元): log-uniform per industry, a few giants, scaled to ``total``."""
    raw = []
    for code in industries[1:]:
        low, high = names.INVESTMENT_RANGE[code]
        value = low * (high / low) ** rng.random()
        if code in names.INDUSTRIAL and rng.random() < 0.06:
            value *= 4  # a flagship: a fab, a vehicle plant
        raw.append(value)
    showcase = Decimal(38_000)
    factor = float(total - showcase) / sum(raw)
    return [showcase, *[max(Decimal(1000), _round(Decimal(value * factor), 100)) for value in raw]]


def _annual_plans(specs: list[ProjectSpec], budget: Decimal, rng: random.Random) -> None:
    """This year's plan per project, shares of its total by where it stands, scaled to ``budget``."""
    share = {"continuing": (0.12, 0.32), "completed": (0.05, 0.15), "started": (0.08, 0.25)}
    share |= {"showcase": (0.39, 0.40), "fate:late": (0.12, 0.32)}
    raw = [float(spec.total_investment) * rng.uniform(*share.get(spec.role, (0.03, 0.10))) for spec in specs]
    factor = float(budget) / sum(raw)
    for spec, value in zip(specs, raw, strict=True):
        plan = _round(Decimal(value * factor), 10)
        spec.annual_plan = min(max(plan, Decimal(100)), _round(spec.total_investment * Decimal("0.6"), 10))


def _two_digits(value: Decimal) -> Decimal:
    """Rounded to two significant digits (18 000 m², 350 000 m²), as project lists state areas."""
    step = 10 ** max(0, len(str(int(value))) - 2)
    return _round(value, step)


def _round(value: Decimal, step: int) -> Decimal:
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


# ------------------------------------------------------------------------------------------ one project


class _Namer:
    """Unique project names: a repeated name becomes 二期, 三期 …"""

    PHASES = "二三四五六七八九"

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, name: str) -> str:
        count = self.seen.get(name, 0)
        self.seen[name] = count + 1
        if count == 0:
            return name
        phase = f"{self.PHASES[count - 1]}期" if count <= len(self.PHASES) else f"{count + 1}期"
        return f"{name.removesuffix('项目').removesuffix('工程')}（{phase}）"


def _project(
    district: District,
    index: int,
    role: str,
    industry: str,
    total: Decimal,
    rng: random.Random,
    seen_usccs: set[str],
    namer: _Namer,
) -> ProjectSpec:
    if role == "showcase":
        enterprise = _showcase_enterprise(district, rng, seen_usccs)
        name, facts = SHOWCASE_NAME, _showcase_facts()
    else:
        enterprise, x = _owner(district, industry, rng, seen_usccs)
        name = namer(_name(industry, x, rng))
        facts = _facts(industry, total, rng)
    road, other = rng.sample(names.ROADS, 2)
    location = f"{names.ZONE}{road}与{other}交叉口{rng.choice('东西南北')}侧"
    if industry in names.PUBLIC and industry not in ("road", "tunnel"):
        location = f"{names.ZONE}{rng.choice(names.PLACES)}地区{rng.choice(names.LAND_PARCELS)}地块"
    return ProjectSpec(
        index=index,
        name=name,
        category="new_start" if is_new_start(role) else "continuing",
        industry_code=industry,
        enterprise=enterprise,
        location=location,
        total_investment=total,
        annual_plan=Decimal(0),
        facts=facts,
        responsible_department=names.RESPONSIBLE[industry],
        role=role,
    )


def _showcase_enterprise(district: District, rng: random.Random, seen: set[str]) -> int:
    district.enterprises.append(
        EnterpriseSpec(
            name=SHOWCASE_ENTERPRISE,
            uscc=make_uscc(rng, "91", seen),
            contact_name="陈立新",
            contact_phone=names.demo_phone(8000),
            industry=names.INDUSTRIES["robot"],
            registered_on=date(2026, 1, 8),
            address=f"{names.ZONE}科创十三街18号",
        )
    )
    return len(district.enterprises) - 1


def _owner(district: District, industry: str, rng: random.Random, seen: set[str]) -> tuple[int, str]:
    """(enterprise index, the word that names the project): a company, or a public project unit."""
    if industry in names.PUBLIC:
        owner, kind = rng.choice(names.PUBLIC_OWNERS[industry])
        place = rng.choice(names.PLACES)
        for index, enterprise in enumerate(district.enterprises):
            if enterprise.name == owner:
                return index, place
        district.enterprises.append(_enterprise(owner, kind, "", rng, seen, date(2012, 6, 1)))
        return len(district.enterprises) - 1, place
    words = names.ENTERPRISE_WORDS["services" if industry == "services" else industry]
    taken = {enterprise.name for enterprise in district.enterprises}
    while True:
        brand = names.brand(rng)
        name = f"北京{brand}{rng.choice(words)}{rng.choice(names.ENTERPRISE_FORMS)}"
        if name not in taken:
            break
    district.enterprises.append(_enterprise(name, "91", names.INDUSTRIES[industry], rng, seen, None))
    return len(district.enterprises) - 1, brand


def _enterprise(
    name: str, kind: str, industry: str, rng: random.Random, seen: set[str], registered: date | None
) -> EnterpriseSpec:
    contact = names.person_names(rng, 1)[0]
    return EnterpriseSpec(
        name=name,
        uscc=make_uscc(rng, kind, seen),
        contact_name=contact,
        contact_phone=names.demo_phone(rng.randint(1, 7999)),
        industry=industry,
        registered_on=registered or PLACEHOLDER_REGISTERED,  # a company's is set from its 注册 milestone
        address=f"{names.ZONE}{rng.choice(names.ROADS)}{rng.randint(1, 99)}号",
    )


def _name(industry: str, x: str, rng: random.Random) -> str:
    template = rng.choice(names.PROJECT_TEMPLATES[industry])
    if industry in ("road", "tunnel"):
        x, y, z = rng.sample(names.ROADS, 3)
        return template.format(x=x, y=y, z=z)
    return template.format(x=x, y=rng.choice(names.LAND_PARCELS), z="")


def _showcase_facts() -> dict:
    return {
        "investment_type": "social",
        "approval_mode": "filing",
        "land_supply_mode": "land_with_scheme",
        "low_risk": True,
        "regional_assessment_done": True,
        "project_type": "industrial",
        "eia_category": "registration",
        "needs_energy_review": False,
        "needs_civil_air_defense": False,
        "special_fire_project": False,
        "building_area_m2": Decimal(18_600),
    }


def _facts(industry: str, total: Decimal, rng: random.Random) -> dict:
    """Believable handbook facts for a project of this industry and size."""
    big = total >= 100_000
    area = _two_digits(total * Decimal(str(rng.uniform(0.5, 1.5))))
    if industry in names.PUBLIC:
        return _public_facts(industry, big, area, rng)
    services = industry == "services"
    modes = ("listing", "own_land") if services else ("land_with_scheme", "listing", "standard_factory")
    modes_weights = (70, 30) if services else (35, 25, 20)
    if not services:
        modes, modes_weights = (*modes, "lease_then_transfer", "own_land"), (*modes_weights, 15, 5)
    land = rng.choices(modes, modes_weights)[0]
    heavy = industry in ("ic", "bio", "materials", "energy")
    approval = industry in ("auto", "ic") and big and rng.random() < 0.3
    low_risk = (
        not services and not big and land in ("standard_factory", "land_with_scheme") and rng.random() < 0.5
    )
    return {
        "investment_type": "social",
        "approval_mode": "approval" if approval else "filing",
        "land_supply_mode": land,
        "low_risk": low_risk,
        "regional_assessment_done": rng.random() < (0.6 if services else 0.75),
        "project_type": ("residential" if rng.random() < 0.2 else rng.choice(("office", "commercial")))
        if services
        else "industrial",
        "eia_category": rng.choices(("report", "table", "registration"), (4, 6, 0) if heavy else (0, 6, 4))[0]
        if not services
        else rng.choice(("table", "registration")),
        "needs_energy_review": big and rng.random() < 0.7,
        "needs_civil_air_defense": services or rng.random() < 0.3,
        "special_fire_project": rng.random() < (0.6 if services else 0.4 if heavy else 0.1),
        "building_area_m2": area,
    }


def _public_facts(industry: str, big: bool, area: Decimal, rng: random.Random) -> dict:
    buildings = industry in ("school", "hospital", "housing")
    project_type = {"school": "public_service", "hospital": "public_service", "housing": "residential"}
    eia = {"water": ("report", "table"), "road": ("table",), "tunnel": ("table",), "hospital": ("table",)}
    return {
        "investment_type": "government",
        "approval_mode": "examination",
        "land_supply_mode": "allocation" if industry != "housing" or rng.random() < 0.6 else "listing",
        "low_risk": False,
        "regional_assessment_done": rng.random() < 0.6,
        "project_type": project_type.get(industry, "infrastructure"),
        "eia_category": rng.choice(eia.get(industry, ("table", "registration"))),
        "needs_energy_review": buildings and big,
        "needs_civil_air_defense": buildings,
        "special_fire_project": industry in ("school", "hospital"),
        "building_area_m2": area if buildings else Decimal(0),
    }


@lru_cache(maxsize=1)
def _condition_values() -> dict[str, frozenset]:
    """Every fact a catalogue condition reads → the values it compares it with."""
    values: dict[str, set] = {}

    def walk(spec) -> None:
        if isinstance(spec, dict) and "field" in spec:
            value = spec.get("value")
            found = values.setdefault(spec["field"], set())
            found.update(value if isinstance(value, list | tuple) else [value])
        elif isinstance(spec, dict):
            for part in spec.values():
                walk(part)
        elif isinstance(spec, list | tuple):
            for part in spec:
                walk(part)

    for item in load_catalogue().items:
        for condition in (item.applies_when, item.commitment_when, item.waived_when):
            if condition is not None:
                walk(condition.to_spec())
    return {name: frozenset(found) for name, found in values.items()}


def _signature(name: str, value):
    """What the catalogue's conditions can tell apart about one fact: the value itself, or for a number
    where it lies against each threshold; nothing for a fact no condition reads."""
    compared = _condition_values().get(name)
    if compared is None:
        return None
    if PROJECT_FACTS[name].type in ("decimal", "int"):
        return tuple((value < Decimal(str(t)), value == Decimal(str(t))) for t in sorted(compared, key=str))
    return value


_handbooks: dict[tuple, Handbook] = {}


def handbook_of(spec: ProjectSpec) -> Handbook:
    """The project's handbook, cached by what the catalogue's conditions can tell apart about its facts
    (most projects share a handful of handbooks). Note: a cached handbook's ``facts`` are the first such
    project's."""
    facts = {**spec.facts, "total_investment": spec.total_investment}
    key = tuple(sorted((name, _signature(name, value)) for name, value in facts.items()))
    handbook = _handbooks.get(key)
    if handbook is None:
        handbook = _handbooks[key] = tailor(load_catalogue(), facts)
    return handbook
