"""Guards of the demo loader (never into a database with projects unless forced, never dated in the future)
and the clearing that ``--force`` does."""

from __future__ import annotations

from datetime import date

from daiban.core.calendar import WorkCalendar
from daiban.core.errors import DomainError
from daiban.demo.district import LOGIN_ROLES


def check_can_load(*, force: bool, as_of: date) -> None:
    """Refuse a database with projects (unless ``force``) and an as-of date after today (Asia/Shanghai)."""
    from daiban.projects.models import Project

    if as_of > WorkCalendar.default().today():
        raise DomainError(f"演示数据的截至日期 {as_of.isoformat()} 晚于今天，无法记录未来的办理情况")
    count = Project.all_objects.count()
    if count and not force:
        raise DomainError(
            f"数据库中已有 {count} 个项目，未载入演示数据（确需覆盖请加 --force，将清空现有业务数据）"
        )


def clear_for_demo() -> None:
    """Delete the business data and the users, keeping superusers that are not demo logins.

    Note: the big tables (children first, so foreign keys hold) are emptied with one DELETE each — no rows
    fetched, no signals — so a 10,000-project database clears in seconds; the audit trail goes too, as the
    data it describes is gone. Users go through the ORM, which also removes their admin log and groups.
    """
    from django.db import connection

    from daiban.accounts.models import Department, User
    from daiban.approvals.models import ApprovalCase, CaseSuspension
    from daiban.audit.models import AuditEntry
    from daiban.demo.operations import clear_operations
    from daiban.investment.models import InvestmentTarget, MonthlyInvestment
    from daiban.projects.models import Enterprise, Milestone, Project

    clear_operations()
    big = (
        AuditEntry,
        CaseSuspension,
        ApprovalCase,
        Milestone,
        MonthlyInvestment,
        Project.specialists.through,
    )
    with connection.cursor() as cursor:
        for model in big:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    InvestmentTarget.all_objects.all().delete()
    Project.all_objects.all().delete()
    kept = User.objects.filter(is_superuser=True).exclude(username__in=LOGIN_ROLES)
    kept.update(enterprise=None, department=None)
    User.objects.exclude(pk__in=list(kept.values_list("pk", flat=True))).delete()
    Enterprise.all_objects.all().delete()
    Department.all_objects.all().delete()
