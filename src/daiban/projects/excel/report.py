"""What an import tells the user: counts, and every problem with its row and column as Excel shows them."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PROBLEMS_IN_SUMMARY = 200


@dataclass(frozen=True)
class ImportProblem:
    """One problem: ``row`` as Excel numbers it (1-based), ``column`` the header as written in the file."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return f"第 {self.row} 行 ‘{self.column}’ {self.message}"
        if self.row is not None:
            return f"第 {self.row} 行 {self.message}"
        if self.column:
            return f"‘{self.column}’ 列 {self.message}"
        return self.message


ACTIONS = {"create": "新建", "update": "更新", "unchanged": "未变"}


@dataclass(frozen=True)
class RowOutcome:
    """What the import does (or would do) with one valid row; ``changed`` names the columns that change."""

    row: int
    name: str
    action: str  # create | update | unchanged
    changed: tuple[str, ...] = ()

    def __str__(self) -> str:
        detail = f"（{'、'.join(self.changed)}）" if self.changed else ""
        return f"第 {self.row} 行 {ACTIONS[self.action]}：{self.name}{detail}"


@dataclass
class ImportReport:
    """The result of one import. Nothing is written unless ``ok`` and not ``dry_run``.

    When there are problems the counts describe the valid rows only (what would have happened to them).
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportProblem] = field(default_factory=list)
    dry_run: bool = False
    sheet: str = ""
    new_enterprises: int = 0
    rows: list[RowOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(ImportProblem(row, column, message))

    def summary(self) -> str:
        counts = f"新建 {self.created} 个，更新 {self.updated} 个，未变 {self.unchanged} 个"
        if self.new_enterprises:
            counts += f"；新登记企业 {self.new_enterprises} 家"
        if self.ok:
            return f"试导入通过（未写入）：将{counts}" if self.dry_run else f"导入成功：{counts}"
        verdict = "试导入未通过" if self.dry_run else "导入失败"
        lines = [f"{verdict}：发现 {len(self.errors)} 个问题，未写入任何数据"]
        lines += [str(problem) for problem in self.errors[:MAX_PROBLEMS_IN_SUMMARY]]
        if len(self.errors) > MAX_PROBLEMS_IN_SUMMARY:
            lines.append(f"……另有 {len(self.errors) - MAX_PROBLEMS_IN_SUMMARY} 个问题未列出")
        return "\n".join(lines)
