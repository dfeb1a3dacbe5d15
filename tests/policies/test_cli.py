"""`daiban policy load-examples | match | list`."""

from __future__ import annotations

from decimal import Decimal

import pytest

from daiban.cli import main as cli_main
from daiban.policies.models import Policy, PolicyMatch
from daiban.projects.models import Project

pytestmark = pytest.mark.django_db


def test_load_examples_match_and_list(project, capsys):
    Project.objects.filter(pk=project.pk).update(equipment_investment=Decimal(6000), area="河西")
    assert cli_main(["policy", "load-examples"]) == 0
    assert "已导入 6 项示例政策" in capsys.readouterr().out
    assert cli_main(["policy", "load-examples"]) == 0
    assert "已导入 0 项示例政策（6 项此前已存在" in capsys.readouterr().out
    assert cli_main(["policy", "match", "--date", "2026-06-01"]) == 0
    assert "惠企政策：评估 6 项政策，新匹配 1 家企业" in capsys.readouterr().out
    hexi = Policy.objects.get(code="hexi-industrial-land")
    assert PolicyMatch.objects.get(policy=hexi).estimated_benefit == Decimal("300.00")  # 1% of 5亿, capped
    assert cli_main(["policy", "list"]) == 0
    out = capsys.readouterr().out
    assert "河西片区产业空间补助[示例]" in out and "匹配 1 家" in out and "[免申即享]" in out
    assert cli_main(["policy", "match", "--date", "2026-02-30"]) == 1
