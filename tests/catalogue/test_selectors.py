"""What the running system reads: the seeded catalogue is the shipped one; the cached catalogue and calendar
follow every change at the cost of one tiny query per request at most."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from daiban.catalogue import selectors, services
from daiban.catalogue.convert import shipped_item_fields
from daiban.catalogue.models import ApprovalItemRecord
from daiban.catalogue.selectors import active_catalogue, work_calendar
from daiban.core.calendar import WorkCalendar
from daiban.core.catalogue import load_catalogue

from .conftest import record

pytestmark = pytest.mark.django_db


def test_the_seeded_catalogue_is_the_shipped_one():
    shipped, seeded = load_catalogue(), active_catalogue()
    assert [item.code for item in seeded] == [item.code for item in shipped]
    assert list(map(limits, seeded)) == list(map(limits, shipped))
    assert seeded.items == shipped.items  # every field, conditions included
    assert ApprovalItemRecord.objects.count() == len(shipped_item_fields())


def limits(item) -> tuple:
    return (
        item.statutory_days,
        item.statutory_unit,
        item.extension_days,
        item.promised_days,
        item.promised_unit,
    )


def test_an_empty_table_means_the_shipped_catalogue():
    ApprovalItemRecord.all_objects.all().delete()
    assert active_catalogue().items == load_catalogue().items


def test_the_seeded_calendar_is_the_shipped_one():
    day = dt.date(2026, 2, 14)
    assert work_calendar().add_workdays(day, 10) == WorkCalendar.default().add_workdays(day, 10)
    assert work_calendar().is_official(2026) and not work_calendar().is_official(2027)


def test_the_cache_is_kept_until_a_row_changes(admin_user):
    first = active_catalogue()
    assert active_catalogue() is first
    services.catalogue_item_update(
        actor=admin_user, item=record("gov_proposal"), expected_version=None, promised_days=8
    )
    second = active_catalogue()
    assert second is not first and second.item("gov_proposal").promised_days == 8
    # A change written behind the services' back (with its version bumped) is seen as well.
    ApprovalItemRecord.objects.filter(code="gov_proposal").update(promised_days=7, version=3)
    assert active_catalogue().item("gov_proposal").promised_days == 7


def test_one_tiny_query_per_request_at_most(admin_user):
    work_calendar(), active_catalogue()  # built
    selectors.request_memo_start()
    try:
        with CaptureQueriesContext(connection) as queries:
            for _ in range(50):
                work_calendar().add_workdays(dt.date(2026, 3, 2), 5)
                active_catalogue().item("gov_proposal")
        assert len(queries) == 2  # one fingerprint each for the calendar and the catalogue
        services.calendar_day_mark(actor=admin_user, day=dt.date(2026, 3, 4), workday=False, name="台风停工")
        assert work_calendar().add_workdays(dt.date(2026, 3, 3), 1) == dt.date(2026, 3, 5)  # a write forgets
    finally:
        selectors.request_memo_end()


def test_the_api_serves_the_edited_catalogue(admin_user, butler):
    services.catalogue_item_update(
        actor=admin_user,
        item=record("gov_proposal"),
        expected_version=None,
        name="政府投资项目建议书审批（新）",
    )
    client = Client()
    client.force_login(butler)
    item = client.get("/api/v1/catalogue/gov_proposal").json()
    assert item["name"] == "政府投资项目建议书审批（新）"
