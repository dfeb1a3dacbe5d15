from decimal import Decimal

import pytest

from daiban.policies.models import MatchStatus, Policy, PolicyMatch
from daiban.policies.services import policy_load_examples
from daiban.projects.services import project_update

from .conftest import TODAY, make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(project, other_project, equipment_policy):
    for row in (project, other_project):
        project_update(actor=None, project=row, expected_version=None, equipment_investment=Decimal(3000))
    return PolicyMatch.objects.get(project=project)


def test_list_shows_examples_flags_and_reach(signed_in, matched):
    policy_load_examples(actor=None)
    page = signed_in("leader").get("/policies/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "示例" in html and "免申即享" in html and "新纳统入统奖励" in html
    assert "设备购置贷款贴息" in html and "180.00" in html  # 2 enterprises × 90
    assert "新建政策" not in html  # leaders read, dispatchers edit


def test_detail_shows_rule_trace_and_payout_forms(signed_in, matched):
    html = signed_in("dispatcher").get(f"/policies/{matched.policy_id}/").content.decode()
    assert "产业领域 等于 生物医药" in html  # the rule, readably
    assert "✓" in html and "京南生物科技有限公司" in html and "亦庄智造有限公司" in html
    assert f'hx-post="/policies/match/{matched.pk}/apply/"' in html


def test_detail_of_bad_rule_shows_the_error(signed_in, db):
    policy = make_policy(rule="{field: turnover, op: ge, value: 1}")
    html = signed_in("butler").get(f"/policies/{policy.pk}/").content.decode()
    assert 'id="rule-error"' in html and "未知字段" in html and "turnover" in html


def test_enterprise_sees_only_its_own_enterprise_on_a_policy(signed_in, matched):
    html = signed_in("enterprise").get(f"/policies/{matched.policy_id}/").content.decode()
    assert "京南生物科技有限公司" in html and "亦庄智造有限公司" not in html
    assert "记录兑现" not in html


def test_project_fragment_for_the_enterprise(signed_in, matched, other_project):
    client = signed_in("enterprise")
    response = client.get(f"/policies/project/{matched.project_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "惠企政策" in html and "设备购置贷款贴息" in html and "90.00" in html and "需申报" in html
    assert client.get(f"/policies/project/{other_project.pk}/").status_code == 404


def test_htmx_payout_returns_the_row(signed_in, matched):
    client = signed_in("dispatcher")
    url = f"/policies/match/{matched.pk}/apply/"
    response = client.post(url, {"version": matched.version, "applied_on": TODAY}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已记录申报" in response.content.decode()
    assert PolicyMatch.objects.get(pk=matched.pk).status == MatchStatus.APPLIED
    stale = client.post(url, {"version": matched.version, "applied_on": TODAY}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "已被" in stale.content.decode()
    pay = client.post(
        f"/policies/match/{matched.pk}/pay/",
        {"version": matched.version + 1, "paid_on": TODAY, "paid_amount": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert pay.status_code == 422 and "不能记录拨付" in pay.content.decode()


def test_payout_out_of_scope_is_404(signed_in, matched):
    response = signed_in("other_butler").post(
        f"/policies/match/{matched.pk}/apply/", {"version": matched.version, "applied_on": TODAY}
    )
    assert response.status_code == 404


def test_new_policy_with_unknown_field_is_saved_with_error(signed_in, db):
    client = signed_in("admin")
    assert client.get("/policies/new/").status_code == 200
    form = {
        "name": "测试政策",
        "issuer": "区科委",
        "valid_from": "2026-01-01",
        "level": "project",
        "benefit_kind": "fixed",
        "fixed_amount": "10",
        "rule": "{field: revenue, op: ge, value: 100}",
        "is_active": "on",
    }
    response = client.post("/policies/new/", form, follow=True)
    policy = Policy.objects.get(name="测试政策")
    assert "未知字段 'revenue'" in policy.rule_error
    assert "规则有误" in response.content.decode()


def test_edit_needs_admin_or_dispatcher(signed_in, equipment_policy):
    assert signed_in("butler").get(f"/policies/{equipment_policy.pk}/edit/").status_code == 403
    assert signed_in("dispatcher").get(f"/policies/{equipment_policy.pk}/edit/").status_code == 200


def test_admin_loads_examples_from_the_page(signed_in, db):
    response = signed_in("admin").post("/policies/load-examples/", follow=True)
    assert "已导入 6 项示例政策" in response.content.decode()
    assert signed_in("leader").post("/policies/load-examples/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get("/policies/").status_code == 302
