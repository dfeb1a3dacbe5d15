"""Shared fixtures: factories (exposed as fixtures), one user per role, departments, enterprises, projects.

Factories write straight to the database (no audit entries, version 1): tests of services call the services.
"""

from __future__ import annotations

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
