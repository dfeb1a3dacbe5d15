"""项目清单: filters, sort, pages, columns, and an Excel export of exactly the listed projects — in scope."""

from __future__ import annotations

import io
import re

import pytest
import python_calamine

pytestmark = pytest.mark.django_db


def listed(client, query: str = "") -> list[str]:
    """Project names on the page, in order."""
    html = client.get("/projects/" + query).content.decode()
    return re.findall(r'<td><a href="/projects/\d+/">([^<]+)</a></td>', html)


def exported(client, query: str = "") -> list[str]:
    response = client.get("/projects/export/" + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_name("项目清单").to_python()
    column = rows[0].index("项目名称")
    return [row[column] for row in rows[1:] if row[column]]


ALL_2026 = {"京南生物医药产业化基地", "亦庄机器人整机制造项目", "绿色产业园项目", "储备项目"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL_2026 | {"旧项目"}),
        ("?year=2026", ALL_2026),
        ("?category=continuing", {"绿色产业园项目", "旧项目"}),
        ("?industry=新材料", {"绿色产业园项目"}),
        ("?milestone=started", {"京南生物医药产业化基地", "旧项目"}),
        ("?milestone=none", {"储备项目"}),
        ("?light=red", {"京南生物医药产业化基地", "旧项目"}),
        ("?light=red&year=2026", {"京南生物医药产业化基地"}),
        ("?light=none", {"储备项目"}),
        ("?q=机器人", {"亦庄机器人整机制造项目"}),
        ("?q=亦庄智造", {"亦庄机器人整机制造项目"}),  # the enterprise's name
        ("?overdue=1", {"京南生物医药产业化基地", "亦庄机器人整机制造项目"}),
        ("?light=bogus&year=abc", ALL_2026 | {"旧项目"}),  # invalid values are ignored
    ],
)
def test_filters_and_the_export_give_the_same_projects(signed_in, portfolio, query, expected):
    client = signed_in("dispatcher")
    assert set(listed(client, query)) == expected
    assert set(exported(client, query)) == expected


def test_filter_by_butler_and_by_responsible_department(signed_in, portfolio, butler, responsible_department):
    client = signed_in("leader")
    assert set(listed(client, f"?butler={butler.pk}")) == {"京南生物医药产业化基地", "旧项目"}
    assert set(listed(client, f"?department={responsible_department.pk}")) == {"京南生物医药产业化基地"}
    assert listed(client, f"?overdue_department={portfolio['shuiwu'].pk}") == ["京南生物医药产业化基地"]


def test_the_export_link_carries_the_filters_shown(signed_in, portfolio):
    html = signed_in("leader").get("/projects/?light=red&year=2026&sort=name&page=1").content.decode()
    link = re.search(r'href="(/projects/export/[^"]*)" id="export-link"', html).group(1).replace("&amp;", "&")
    assert link == "/projects/export/?year=2026&light=red"


def test_a_butler_sees_and_exports_only_their_own_projects(signed_in, portfolio, other_butler):
    client = signed_in("butler")
    assert set(listed(client)) == {"京南生物医药产业化基地", "旧项目"}
    assert set(exported(client)) == {"京南生物医药产业化基地", "旧项目"}
    # Asking for the other butler's projects directly gives nothing, not their rows.
    assert listed(client, f"?butler={other_butler.pk}") == []
    assert exported(client, f"?butler={other_butler.pk}") == []
    assert "亦庄机器人" not in client.get("/projects/?q=亦庄").content.decode()


def test_an_enterprise_and_a_specialist_see_only_their_projects(signed_in, portfolio):
    assert set(listed(signed_in("enterprise"))) == {"京南生物医药产业化基地"}
    assert set(listed(signed_in("specialist"))) == {"京南生物医药产业化基地"}


def test_sorting_by_a_column_and_reversing_it(signed_in, portfolio):
    client = signed_in("leader")
    by_plan = listed(client, "?year=2026&sort=name")
    assert by_plan == sorted(by_plan)
    assert listed(client, "?year=2026&sort=-name") == list(reversed(by_plan))
    by_light = listed(client, "?year=2026&sort=light")
    assert by_light[:2] == ["京南生物医药产业化基地", "亦庄机器人整机制造项目"]  # red, then yellow
    assert listed(client, "?sort=no-such-column")  # an unknown sort falls back to the default


def test_pages_of_the_chosen_size(signed_in, portfolio, project_factory):
    for index in range(25):
        project_factory(name=f"批量项目{index:02d}")
    client = signed_in("leader")
    first = listed(client, "?sort=name&size=20")
    second = listed(client, "?sort=name&size=20&page=2")
    assert len(first) == 20 and len(second) == 10
    assert not set(first) & set(second)
    html = client.get("/projects/?sort=name&size=20").content.decode()
    assert "第 1 / 2 页" in html and "page=2" in html


def headers(client, query: str = "") -> list[str]:
    html = client.get("/projects/" + query).content.decode()
    head = re.search(r'<table class="data" id="project-table">\s*<thead>(.*?)</thead>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]


def test_the_chosen_columns_are_shown_and_remembered(signed_in, portfolio):
    client = signed_in("leader")
    default = headers(client)
    assert "项目管家" in default and "项目代码" not in default
    assert headers(client, "?cols=&cols=project_code&cols=light") == ["项目代码", "项目名称", "红绿灯"]
    assert headers(client, "?light=red") == ["项目代码", "项目名称", "红绿灯"]  # remembered
    assert headers(client, "?cols=") == ["项目名称"]  # always shown


def test_each_row_links_to_its_project_page_and_shows_its_light(signed_in, portfolio):
    html = signed_in("leader").get("/projects/?year=2026&light=red").content.decode()
    assert f'<a href="/projects/{portfolio["mine"].pk}/">京南生物医药产业化基地</a>' in html
    assert '<span class="light light-red">红灯</span>' in html
    assert 'title="审批事项A1 逾期 10 工作日"' in html


def test_the_list_reads_a_constant_number_of_queries(signed_in, portfolio, project_factory,
                                                     django_assert_max_num_queries):  # fmt: skip
    client = signed_in("leader")
    for index in range(40):
        project_factory(name=f"批量项目{index:02d}")
    with django_assert_max_num_queries(20):
        assert client.get("/projects/?size=50").status_code == 200
