"""Saving a policy (a bad rule is kept with its error and never run) and loading the examples."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from daiban.accounts.permissions import require
from daiban.audit.services import create_tracked, update_versioned
from daiban.core.errors import DomainError
from daiban.core.policy import BENEFIT_KINDS, LEVELS, schema_for
from daiban.policies.models import Policy
from daiban.policies.permissions import can_edit_policy
from daiban.policies.services import common

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "reference" / "policies.yaml"
POLICY_FIELDS = [
    "code",
    "name",
    "issuer",
    "document_no",
    "valid_from",
    "valid_to",
    "description",
    "level",
    "benefit_kind",
    "rate",
    "cap",
    "fixed_amount",
    "base_fact",
    "rule",
    "no_application",
    "is_example",
    "is_active",
]


# ---------------------------------------------------------------------------------------------- policies


def _check_policy(fields: dict[str, Any]) -> None:
    """The parts of a policy that must be right before it is saved at all (the rule is checked apart)."""
    for name, label in (("name", "政策名称"), ("issuer", "发文单位"), ("valid_from", "有效期起")):
        if not fields.get(name):
            raise DomainError(f"{label}不能为空")
    if fields.get("level") not in dict(LEVELS):
        raise DomainError(f"适用对象应为：{'、'.join(label for _, label in LEVELS)}")
    kind = fields.get("benefit_kind")
    if kind not in dict(BENEFIT_KINDS):
        raise DomainError(f"兑现方式应为：{'、'.join(label for _, label in BENEFIT_KINDS)}")
    if kind == "fixed":
        if fields.get("fixed_amount") is None:
            raise DomainError("定额奖励需要填写定额（万元）")
        return
    if fields.get("rate") is None:
        raise DomainError("贴息或比例补助需要填写比例")
    schema = schema_for(fields["level"])
    base = fields.get("base_fact")
    bases = [name for name, field in schema.items() if field.type == "decimal"]
    if base not in bases:
        shown = "、".join(f"{name}（{schema[name].label}）" for name in bases) or "无"
        raise DomainError(f"计算基数应为以下数值字段之一：{shown}")


@transaction.atomic
def policy_save(
    *, actor, policy: Policy | None = None, expected_version: int | None = None, **fields: Any
) -> Policy:
    """Create (``policy=None``) or change a policy. A rule with an unknown field or a syntax error is SAVED
    with ``rule_error`` set (a Chinese message naming the defect) and is never evaluated until fixed."""
    require(actor is None or can_edit_policy(actor=actor), "只有管理员或调度可以维护惠企政策")
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise DomainError(f"未知的政策字段：{'、'.join(sorted(unknown))}")
    merged = {name: getattr(policy, name) for name in POLICY_FIELDS} if policy else {"level": "project"}
    merged |= fields
    for name in ("name", "issuer", "document_no", "code", "base_fact"):
        if isinstance(merged.get(name), str):
            merged[name] = merged[name].strip()
    _check_policy(merged)
    changes = {name: merged[name] for name in POLICY_FIELDS if name in merged}
    changes["rule_error"] = common.rule_check(rule=merged.get("rule") or "", level=merged["level"])
    if policy is None:
        return create_tracked(Policy, actor=actor, **changes)
    return update_versioned(policy, actor=actor, expected_version=expected_version, changes=changes)


@transaction.atomic
def policy_load_examples(*, actor=None, path: Path | None = None) -> tuple[int, int]:
    """Load the example policies (reference/policies.yaml) once: a policy whose code exists is left as an
    admin may have edited it. Returns (created, already present)."""
    require(actor is None or can_edit_policy(actor=actor), "只有管理员或调度可以导入示例政策")
    data = yaml.safe_load((path or EXAMPLES).read_text(encoding="utf-8"))
    existing = set(Policy.all_objects.exclude(code="").values_list("code", flat=True))
    created = 0
    for entry in data["policies"]:
        if entry["code"] in existing:
            continue
        fields = dict(entry)
        fields["rule"] = yaml.safe_dump(fields["rule"], allow_unicode=True, sort_keys=False)
        for name in ("rate", "cap", "fixed_amount"):
            if fields.get(name) is not None:
                fields[name] = Decimal(str(fields[name]))
        fields.setdefault("is_example", True)
        policy_save(actor=actor, **fields)
        created += 1
    return created, len(data["policies"]) - created
