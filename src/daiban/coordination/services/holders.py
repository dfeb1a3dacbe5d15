"""Who holds a level of the 督办 ladder for one issue: the label kept in the history and the people told.

Note: everything is read once into a ``Directory`` (staff users and departments are tens to hundreds of rows),
so the daily tick resolves the holders of thousands of issues without a query per issue.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from daiban.accounts.models import Department, User
from daiban.coordination.models import Holder
from daiban.coordination.selectors import LadderLevel

STAFF_ROLES = ("admin", "leader", "dispatcher", "butler", "specialist")


@dataclass(frozen=True)
class IssueRef:
    """What holder resolution needs of an issue (built from a model or from a values() row)."""

    pk: int
    project_id: int
    title: str
    department_id: int
    assignee_id: int | None
    butler_id: int | None

    @classmethod
    def of(cls, issue) -> IssueRef:
        return cls(
            issue.pk,
            issue.project_id,
            issue.title,
            issue.department_id,
            issue.assignee_id,
            issue.project.butler_id,
        )


@dataclass(frozen=True)
class Holding:
    label: str
    user: User | None  # the one person holding it, when there is exactly one
    recipients: tuple[User, ...]


@dataclass
class Directory:
    users: dict[int, User] = field(default_factory=dict)
    departments: dict[int, Department] = field(default_factory=dict)
    by_department: dict[int, list[User]] = field(default_factory=lambda: defaultdict(list))
    by_role: dict[str, list[User]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> Directory:
        directory = cls()
        directory.departments = {d.pk: d for d in Department.objects.all()}
        for user in User.objects.filter(is_active=True, role__in=STAFF_ROLES).order_by("pk"):
            directory.users[user.pk] = user
            directory.by_role[user.role].append(user)
            if user.department_id:
                directory.by_department[user.department_id].append(user)
        return directory

    def department_name(self, pk: int) -> str:
        department = self.departments.get(pk)
        return department.name if department else "责任单位"

    def specialists_of(self, department_id: int) -> list[User]:
        return [u for u in self.by_department.get(department_id, ()) if u.role == "specialist"]

    def holding(self, level: LadderLevel, issue: IssueRef) -> Holding:
        resolve = {
            Holder.SPECIALIST: self._specialist,
            Holder.BUTLER: self._butler,
            Holder.DEPARTMENT_HEAD: self._department_head,
            Holder.LEADER: self._leader,
            Holder.DISPATCHER: self._dispatcher,
        }.get(level.holder, self._dispatcher)
        return resolve(issue)

    def _specialist(self, issue: IssueRef) -> Holding:
        department = self.department_name(issue.department_id)
        assignee = self.users.get(issue.assignee_id) if issue.assignee_id else None
        if assignee is not None:
            return Holding(f"{department} {assignee.display_name}", assignee, (assignee,))
        people = self.specialists_of(issue.department_id)
        names = "、".join(u.display_name for u in people)
        return Holding(f"{department}（{names}）" if names else department, None, tuple(people))

    def _butler(self, issue: IssueRef) -> Holding:
        butler = self.users.get(issue.butler_id) if issue.butler_id else None
        if butler is None:
            return Holding("项目管家（未指定）", None, tuple(self.by_role["dispatcher"]))
        return Holding(f"项目管家 {butler.display_name}", butler, (butler,))

    def _department_head(self, issue: IssueRef) -> Holding:
        department = self.departments.get(issue.department_id)
        head = f" {department.head_name}" if department and department.head_name else ""
        people = list(self.by_department.get(issue.department_id, ()))
        # Note: a department head is a name, not a user: the department's users and the dispatchers are told.
        recipients = _unique([*people, *self.by_role["dispatcher"]])
        return Holding(f"{self.department_name(issue.department_id)} 负责人{head}", None, recipients)

    def _leader(self, issue: IssueRef) -> Holding:
        leaders = self.by_role["leader"]
        names = "、".join(u.display_name for u in leaders)
        user = leaders[0] if len(leaders) == 1 else None
        return Holding(f"区领导（{names}）" if names else "区领导", user, _unique([*leaders]))

    def _dispatcher(self, issue: IssueRef) -> Holding:
        return Holding("调度", None, tuple(self.by_role["dispatcher"]))


def _unique(users: list[User]) -> tuple[User, ...]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return tuple(seen.values())
