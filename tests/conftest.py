"""Shared fixtures: factories (exposed as fixtures), one user per role, departments, enterprises, projects.

Factories write straight to the database (no audit entries, version 1): tests of services call the services.
"""

from __future__ import annotations

import os
from decimal import Decimal

import factory
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from daiban.core.ids import uscc_with_check

PASSWORD = "pass-12345"
# Note: hashed once, cheaply (PBKDF2 with 1 iteration, which the configured hashers verify), so factories
# never pay for Argon2; a real sign-in upgrades the hash as it would in production.
PASSWORD_HASH = PBKDF2PasswordHasher().encode(PASSWORD, "daibantests", iterations=1)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without a collectstatic manifest in tests (production keeps the hashed manifest)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures are keyed by the newest audit entry, which a rolled-back test leaves where it was:
    each test starts with an empty cache (in production the key only moves forward)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Department"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试部门{n}")
    short_name = factory.Sequence(lambda n: f"部门{n}")
    kind = "both"
    level = "district"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Enterprise"

    name = factory.Sequence(lambda n: f"测试科技有限公司{n}")
    uscc = factory.Sequence(lambda n: uscc_with_check(f"91110115MA{n:07d}"))
    contact_name = "王经理"
    contact_phone = "13800000000"


class UserFactory(factory.django.DjangoModelFactory):
    """Password "pass-12345"."""

    class Meta:
        model = "accounts.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = ""
    password = PASSWORD_HASH


class ProjectFactory(factory.django.DjangoModelFactory):
    """A new-start industrial project with complete handbook facts."""

    class Meta:
        model = "projects.Project"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试项目{n}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    category = "new_start"
    industry = "生物医药"
    year = 2026
    total_investment = Decimal("50000.00")
    annual_plan = Decimal("12000.00")
    investment_type = "social"
    approval_mode = "filing"
    land_supply_mode = "land_with_scheme"
    project_type = "industrial"
    eia_category = "table"
    building_area_m2 = Decimal("30000.00")

    @factory.post_generation
    def specialists(self, create, extracted, **kwargs):
        if create and extracted:
            self.specialists.set(extracted)


@pytest.fixture
def department_factory(db):
    return DepartmentFactory


@pytest.fixture
def enterprise_factory(db):
    return EnterpriseFactory


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def project_factory(db):
    return ProjectFactory


@pytest.fixture
def department(db):
    return DepartmentFactory(name="区规划和自然资源分局", short_name="规自", kind="approval")


@pytest.fixture
def responsible_department(db):
    return DepartmentFactory(name="区发展和改革委员会", short_name="发改", kind="both")


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="京南生物科技有限公司")


@pytest.fixture
def other_enterprise(db):
    return EnterpriseFactory(name="亦庄智造有限公司")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", full_name="管理员", role="admin", is_staff=True)


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", full_name="赵领导", role="leader")


@pytest.fixture
def dispatcher(db):
    return UserFactory(username="dispatcher", full_name="钱调度", role="dispatcher")


@pytest.fixture
def butler(db):
    return UserFactory(username="butler", full_name="张三", role="butler")


@pytest.fixture
def other_butler(db):
    return UserFactory(username="butler2", full_name="李四", role="butler")


@pytest.fixture
def specialist(db, department):
    return UserFactory(username="specialist", full_name="孙专员", role="specialist", department=department)


@pytest.fixture
def enterprise_user(db, enterprise):
    return UserFactory(username="ent", full_name="周企业", role="enterprise", enterprise=enterprise)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="norole", full_name="吴无角色", role="")


@pytest.fixture
def users(admin_user, leader, dispatcher, butler, other_butler, specialist, enterprise_user, no_role_user):
    """Every role by name, for permission matrices."""
    return {
        "admin": admin_user,
        "leader": leader,
        "dispatcher": dispatcher,
        "butler": butler,
        "other_butler": other_butler,
        "specialist": specialist,
        "enterprise": enterprise_user,
        "no_role": no_role_user,
    }


@pytest.fixture
def project(db, enterprise, butler, specialist, responsible_department):
    """张三's project of 京南生物, served by 孙专员."""
    return ProjectFactory(
        name="京南生物医药产业化基地",
        enterprise=enterprise,
        butler=butler,
        specialists=[specialist],
        responsible_department=responsible_department,
    )


@pytest.fixture
def other_project(db, other_enterprise, other_butler):
    """李四's project of another enterprise, with no specialist."""
    return ProjectFactory(name="亦庄机器人整机制造项目", enterprise=other_enterprise, butler=other_butler)


@pytest.fixture
def milestone_kinds(db):
    """The seeded milestone kinds (re-seeded: a transactional test's flush empties the table)."""
    from daiban.projects.services import milestone_kinds_sync

    milestone_kinds_sync()
    from daiban.projects.models import MilestoneKind

    return list(MilestoneKind.objects.order_by("order"))


# ------------------------------------------------------------------------------------------ browser tests
# Browser tests (``pytestmark = pytest.mark.browser``) drive Debian's chromium through playwright against the
# live test server. Run them alone with ``pytest -m browser``.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Skip browser tests without chromium; prepare the environment only when a browser test will run.

    Runs last, after ``-m`` deselection, so a run without browser tests keeps Django's async-safety check."""
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    # Note: playwright's sync API runs an event loop in this thread; Django then refuses ORM calls from it
    # unless told that the test thread is not really async.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server listens on 127.0.0.1 itself (not "localhost"): "nothing leaves 127.0.0.1" is checkable.
    os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
    if not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(
            reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)"
        )
        for item in browser_items:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def chromium():
    """One headless chromium per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server):
    """``open_(username, *, viewport=(1400, 900))`` -> a page signed in as ``username`` (``None``: anonymous),
    in its own browser context, with ``page.errors`` (console errors and page errors), ``page.requests``
    (every URL it requested) and ``page.base`` (the live server's URL)."""
    contexts = []

    def open_(username: str | None, *, viewport: tuple[int, int] = (1400, 900)):
        width, height = viewport
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.errors, page.requests = [], []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.base = live_server.url
        if username is not None:
            page.goto(f"{page.base}/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
        return page

    yield open_
    for context in contexts:
        context.close()
