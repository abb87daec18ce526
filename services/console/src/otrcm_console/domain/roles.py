"""Who may do what in the console. A biller works the worklist and records fixes; a supervisor also approves
corrections (replacement and void claims held for approval); an administrator also manages the console's users."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    BILLER = "biller"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Permission(StrEnum):
    READ = "read"
    FIX = "fix"
    APPROVE = "approve"
    MANAGE_USERS = "manage_users"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.BILLER: frozenset({Permission.READ, Permission.FIX}),
    Role.SUPERVISOR: frozenset({Permission.READ, Permission.FIX, Permission.APPROVE}),
    Role.ADMIN: frozenset(Permission),
}


def may(role: str, permission: Permission) -> bool:
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False
