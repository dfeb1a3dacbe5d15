"""The project page: sections, scope (404 for everything of another butler's project), recorded events that
re-plan and answer with the new dates, concurrent edits refused with who changed what, the Word handbook."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest

from daiban.approvals.models import ApprovalCase
from daiban.approvals.services import (
    case_record_acceptance,
    case_record_submission,
    cases_generate,
    common,
)
from daiban.core.calendar import WorkCalendar
from daiban.investment.models import MonthlyInvestment
from daiban.projects.models import Milestone

pytestmark = pytest.mark.django_db

T0 = dt.date(2026, 3, 2)  # a Monday; March 2026 has no public holiday
CAL = WorkCalendar.default()
CASE_ACTIONS = ("submission", "acceptance", "suspend", "resume", "extend", "decision")
FRAGMENTS = ("header", "milestones", "cases", "gantt", "investment", "audit")


@pytest.fixture
def today(monkeypatch):
    """The approval services' "today", pinned so plans and clocks do not depend on the date tests run."""
    state = {"day": T0}
    monkeypatch.setattr(common, "today", lambda: state["day"])
    return state


@pytest.fixture
def generated(project, milestone_kinds, today):
    cases_generate(actor=None, project=project)
    return project


def case_of(project, code: str) -> ApprovalCase:
    return ApprovalCase.objects.get(project=project, item_code=code)


def accept(case: ApprovalCase, on: dt.date) -> ApprovalCase:
    case = case_record_submission(actor=None, case=case, expected_version=case.version, submitted_on=on)
    return case_record_acceptance(actor=None, case=case, expected_version=case.version, accepted_on=on)


def gantt_rows(response) -> dict[str, dict]:
    """The Gantt data of the response, by item code."""
    return {row["code"]: row for row in chart_data(response, "gantt-data")["rows"]}


def chart_data(response, element_id: str) -> dict:
    """The data a chart draws, read from the data-json attribute of its element in the response."""
    match = re.search(rf'id="{element_id}" class="hidden" data-json="([^"]*)"', response.text)
    assert match, f"the response carries #{element_id}"
    return json.loads(html.unescape(match.group(1)))


def htmx_post(client, url: str, data: dict):
    return client.post(url, data, headers={"HX-Request": "true"})


# ------------------------------------------------------------------------------------------ reading


def test_the_butler_sees_every_section_of_his_project(client, generated, butler, specialist):
    client.force_login(butler)
    relic = accept(case_of(generated, "cultural_relic_survey"), T0)
    response = client.get(f"/projects/{generated.pk}/")
    assert response.status_code == 200
    text = response.text
    for expected in (
        generated.name,
        "京南生物科技有限公司",  # enterprise
        "孙专员",  # the team
        "一链式节点",
        "签约",
        "立项用地规划许可",  # cases by stage
        "审批计划甘特图",
        "操作记录",
        f"/projects/{generated.pk}/handbook.docx",
        'id="investment-data"',
    ):
        assert expected in text, expected
    assert "剩余 20 个工作日" in text  # the relic survey's clock: promised 20 working days from T0
    rows = gantt_rows(response)
    assert rows["cultural_relic_survey"]["accepted"] == T0.isoformat()
    assert any(row["current"][2] for row in rows.values())  # the critical path is marked
    assert all(row["conventional"] and row["agency"] for row in rows.values())
    assert f"/projects/{generated.pk}/fragments/audit/" in text  # the trail loads right after the page
    forms_url = f"/projects/{generated.pk}/fragments/cases/{relic.pk}/"
    assert forms_url in text  # its 办理 loads the recording forms when opened
    forms = client.get(forms_url).text
    assert relic.version > 1 and f'value="{relic.version}"' in forms  # forms carry the version
    assert 'data-action="decision"' in forms and 'data-action="suspend"' in forms
    assert 'data-action="submission"' not in forms  # only what can be recorded next


def test_the_editors_load_their_forms_when_opened(client, generated, butler):
    client.force_login(butler)
    text = client.get(f"/projects/{generated.pk}/").text
    for name, form in (("milestone_editor", "milestone-row"), ("investment_editor", "inv-row")):
        url = f"/projects/{generated.pk}/fragments/{name}/"
        assert url in text and f'<form class="{form}"' not in text, name  # loaded on opening, not before
        editor = client.get(url).text
        assert f'<form class="{form}"' in editor and "csrfmiddlewaretoken" in editor, name


def test_clock_labels_show_overdue_and_suspended(client, generated, butler, today):
    client.force_login(butler)
    land = accept(case_of(generated, "land_use_planning_permit"), T0)  # promised 5 working days
    today["day"] = CAL.add_workdays(T0, 9)
    htmx_post(
        client,
        f"/projects/{generated.pk}/cases/{land.pk}/suspend/",
        {"version": land.version, "start": CAL.add_workdays(T0, 2), "reason": "supplement"},
    )
    relic = accept(case_of(generated, "cultural_relic_survey"), T0)
    text = client.get(f"/projects/{generated.pk}/").text
    assert "已挂起（补正）" in text
    assert "剩余 11 个工作日" in text  # relic: 20 promised, 9 used
    land = case_of(generated, "land_use_planning_permit")
    htmx_post(
        client,
        f"/projects/{generated.pk}/cases/{land.pk}/resume/",
        {"version": land.version, "end": CAL.add_workdays(T0, 3)},
    )
    text = client.get(f"/projects/{generated.pk}/").text
    assert "逾期 2 个工作日" in text  # 5 days + 2 suspended (T0+2..T0+3) → due T0+7, today T0+9
    assert relic.pk


def test_leader_reads_but_gets_no_forms_and_may_not_record(client, generated, leader):
    client.force_login(leader)
    response = client.get(f"/projects/{generated.pk}/")
    assert response.status_code == 200 and f"/projects/{generated.pk}/fragments/cases/" not in response.text
    assert "fragments/milestone_editor/" not in response.text
    assert "fragments/investment_editor/" not in response.text
    case = case_of(generated, "cultural_relic_survey")
    assert 'class="case-form"' not in client.get(f"/projects/{generated.pk}/fragments/cases/{case.pk}/").text
    for name in ("milestone_editor", "investment_editor"):
        assert "<form" not in client.get(f"/projects/{generated.pk}/fragments/{name}/").text, name
    response = htmx_post(
        client,
        f"/projects/{generated.pk}/cases/{case.pk}/submission/",
        {"version": case.version, "submitted_on": T0},
    )
    assert response.status_code == 403 and "没有办理" in response.text
    assert case_of(generated, "cultural_relic_survey").submitted_on is None


def test_fragments_render_their_section(client, generated, butler):
    client.force_login(butler)
    for name in FRAGMENTS:
        response = client.get(f"/projects/{generated.pk}/fragments/{name}/")
        assert response.status_code == 200, name
        assert f'id="project-{name}"' in response.text, name
    assert client.get(f"/projects/{generated.pk}/fragments/nothing/").status_code == 404


def test_handbook_downloads_as_word(client, generated, butler):
    client.force_login(butler)
    response = client.get(f"/projects/{generated.pk}/handbook.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


def test_anonymous_is_sent_to_sign_in(client, generated):
    response = client.get(f"/projects/{generated.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# ------------------------------------------------------------------------------------------ scope


def _every_request(project, case):
    base = f"/projects/{project.pk}"
    gets = [f"{base}/", f"{base}/handbook.docx"] + [f"{base}/fragments/{name}/" for name in FRAGMENTS]
    gets += [f"{base}/fragments/milestone_editor/", f"{base}/fragments/investment_editor/"]
    gets.append(f"{base}/fragments/cases/{case.pk}/")
    posts = [(f"{base}/cases/{case.pk}/{action}/", {"version": case.version}) for action in CASE_ACTIONS]
    posts += [
        (f"{base}/milestones/signed/", {"version": "", "planned_on": T0}),
        (f"{base}/investment/", {"year": 2026, "month": 1, "amount": 1, "funds_in_place": 1, "version": ""}),
    ]
    return gets, posts


def test_another_butlers_project_is_404_everywhere(client, generated, other_butler):
    case = case_of(generated, "cultural_relic_survey")
    client.force_login(other_butler)
    gets, posts = _every_request(generated, case)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert htmx_post(client, url, data).status_code == 404, url
        assert client.post(url, data).status_code == 404, url
    assert case_of(generated, "cultural_relic_survey").version == case.version
    assert not Milestone.objects.filter(project=generated).exists()
    assert not MonthlyInvestment.objects.filter(project=generated).exists()


def test_a_case_of_another_project_is_404_under_this_one(client, generated, other_project, butler):
    cases_generate(actor=None, project=other_project)
    foreign = case_of(other_project, "cultural_relic_survey")
    client.force_login(butler)
    url = f"/projects/{generated.pk}/cases/{foreign.pk}/submission/"
    assert htmx_post(client, url, {"version": foreign.version, "submitted_on": T0}).status_code == 404
    assert client.get(f"/projects/{generated.pk}/fragments/cases/{foreign.pk}/").status_code == 404


# ------------------------------------------------------------------------------------------ recording


def test_recording_a_decision_replans_the_successors_in_the_response(client, generated, butler, today):
    client.force_login(butler)
    accepted_on = CAL.add_workdays(T0, 5)
    today["day"] = accepted_on
    relic = accept(case_of(generated, "cultural_relic_survey"), accepted_on)
    before = gantt_rows(client.get(f"/projects/{generated.pk}/"))["land_transfer_contract"]["current"]
    assert before[0] == CAL.add_workdays(accepted_on, 20).isoformat()  # waits for the relic survey

    decided_on = today["day"] = CAL.add_workdays(accepted_on, 3)
    response = htmx_post(
        client,
        f"/projects/{generated.pk}/cases/{relic.pk}/decision/",
        {"version": relic.version, "decided_on": decided_on, "result": "approved"},
    )
    assert response.status_code == 200
    assert "已记录“考古调查勘探”的办结" in response.text
    after = gantt_rows(response)
    assert after["cultural_relic_survey"]["current"][1] == decided_on.isoformat()
    assert after["land_transfer_contract"]["current"][0] < before[0]  # the successor moved up at once
    assert after["land_transfer_contract"]["current"][0] == CAL.add_workdays(decided_on, 10).isoformat()
    assert 'hx-swap-oob="true"' in response.text and 'id="project-audit"' in response.text
    stored = case_of(generated, "land_transfer_contract")
    assert stored.planned_start.isoformat() == after["land_transfer_contract"]["current"][0]
    assert f'<tr id="case-{relic.pk}"' in response.text and "按期办结" in response.text


def test_a_stale_version_is_refused_with_who_changed_what(client, generated, butler, specialist):
    case = case_of(generated, "cultural_relic_survey")
    seen = case.version
    case_record_submission(actor=specialist, case=case, expected_version=seen, submitted_on=T0)
    changed = case_of(generated, "cultural_relic_survey")
    client.force_login(butler)
    response = htmx_post(
        client,
        f"/projects/{generated.pk}/cases/{case.pk}/submission/",
        {"version": seen, "submitted_on": T0 - dt.timedelta(days=3)},
    )
    assert response.status_code == 409
    text = response.text
    assert "孙专员" in text and "申报日期" in text and "未保存" in text  # who and what
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)  # when
    fresh = case_of(generated, "cultural_relic_survey")
    assert (fresh.version, fresh.submitted_on) == (changed.version, T0)  # nothing changed


def test_a_rule_broken_is_explained_and_changes_nothing(client, generated, butler):
    client.force_login(butler)
    case = case_of(generated, "cultural_relic_survey")
    response = htmx_post(
        client,
        f"/projects/{generated.pk}/cases/{case.pk}/acceptance/",
        {"version": case.version, "accepted_on": T0},
    )
    assert response.status_code == 422 and "尚未记录申报" in response.text
    response = htmx_post(
        client, f"/projects/{generated.pk}/cases/{case.pk}/acceptance/", {"version": case.version}
    )
    assert response.status_code == 422 and "受理日期" in response.text
    assert case_of(generated, "cultural_relic_survey").version == case.version


def test_without_htmx_a_recorded_event_redirects_back_to_the_page(client, generated, butler):
    client.force_login(butler)
    case = case_of(generated, "cultural_relic_survey")
    url = f"/projects/{generated.pk}/cases/{case.pk}/submission/"
    response = client.post(url, {"version": case.version, "submitted_on": T0})
    assert response.status_code == 302 and response["Location"].startswith(f"/projects/{generated.pk}/")
    assert case_of(generated, "cultural_relic_survey").submitted_on == T0
    page = client.get(response["Location"])
    assert "已记录" in page.text


def test_forms_need_the_csrf_token(generated, butler):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(butler)
    case = case_of(generated, "cultural_relic_survey")
    url = f"/projects/{generated.pk}/cases/{case.pk}/submission/"
    assert client.post(url, {"version": case.version, "submitted_on": T0}).status_code == 403
    page = client.get(f"/projects/{generated.pk}/").text
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post(
        url,
        {"version": case.version, "submitted_on": T0},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 200


def test_recording_a_milestone_moves_the_chain(client, generated, butler):
    client.force_login(butler)
    response = htmx_post(
        client,
        f"/projects/{generated.pk}/milestones/signed/",
        {"version": "", "actual_on": T0, "planned_on": T0},
    )
    assert response.status_code == 200 and "已记录“签约”节点" in response.text
    assert 'class="step step-current" data-code="signed"' in response.text
    assert "当前节点：签约" in response.text  # the header, out of band
    milestone = Milestone.objects.get(project=generated, kind__code="signed")
    # A second person who still sees no milestone is refused, naming the first.
    response = htmx_post(
        client, f"/projects/{generated.pk}/milestones/signed/", {"version": "", "planned_on": T0}
    )
    assert response.status_code == 409 and "张三" in response.text
    assert Milestone.objects.get(pk=milestone.pk).version == milestone.version


def test_reporting_monthly_investment_updates_the_chart_data(client, generated, butler):
    client.force_login(butler)
    url = f"/projects/{generated.pk}/investment/"
    data = {"version": "", "year": 2026, "month": 2, "amount": "1500.50", "funds_in_place": "800"}
    response = htmx_post(client, url, data)
    assert response.status_code == 200
    months = chart_data(response, "investment-data")["months"]
    assert months[1]["amount"] == "1500.50" and months[1]["cumulative"] == "1500.50"
    row = MonthlyInvestment.objects.get(project=generated, year=2026, month=2)
    stale = htmx_post(client, url, data | {"amount": "9"})  # still "no row"
    assert stale.status_code == 409
    fixed = htmx_post(client, url, data | {"amount": "1600", "version": row.version})
    assert fixed.status_code == 200
    assert MonthlyInvestment.objects.get(pk=row.pk).amount == 1600
    assert htmx_post(client, url, data | {"amount": "-1"}).status_code == 422


def test_an_extension_is_granted_once(client, generated, butler):
    client.force_login(butler)
    land = accept(case_of(generated, "land_use_planning_permit"), T0)  # may be extended by 10 days
    url = f"/projects/{generated.pk}/cases/{land.pk}/extend/"
    response = htmx_post(client, url, {"version": land.version, "days": 10})
    assert response.status_code == 200 and "已延期 10 天" in response.text
    assert "剩余 15 个工作日" in response.text  # 5 promised + 10
    land = case_of(generated, "land_use_planning_permit")
    again = htmx_post(client, url, {"version": land.version, "days": 5})
    assert again.status_code == 422 and "只能批准一次" in again.text
    assert case_of(generated, "land_use_planning_permit").extension_days_granted == 10
