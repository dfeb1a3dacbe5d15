"""Reading the shipped milestone list (reference/milestones.yaml), for the seed migration and the loader."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from daiban.core.errors import DomainError


def read_milestone_kinds(path: Path | None = None) -> list[dict]:
    """[{code, name, order}, …] in order; raises DomainError on a malformed file."""
    if path is None:
        text = resources.files("daiban.reference").joinpath("milestones.yaml").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    rows = (yaml.safe_load(text) or {}).get("milestones") or []
    kinds = []
    for row in rows:
        if not isinstance(row, dict) or not {"code", "name", "order"} <= row.keys():
            raise DomainError(f"节点定义应包含 code、name、order：{row}")
        kinds.append({"code": str(row["code"]), "name": str(row["name"]), "order": int(row["order"])})
    codes = [kind["code"] for kind in kinds]
    if len(set(codes)) != len(codes):
        raise DomainError(f"节点代码重复：{codes}")
    return sorted(kinds, key=lambda kind: kind["order"])
