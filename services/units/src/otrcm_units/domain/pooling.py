"""Rule: timed minutes of one date of service are pooled per code (and per code family).

Source: CMS Pub. 100-04 Ch. 5 §20.2 (total timed minutes of the day, per discipline; two visits on
one day are one day) and docs/billing-rules.md#1-units (§1-2). Untimed codes are 1 unit per line and add no minutes.
The same code reported in two visits is one code whose minutes are summed; 97129 and 97130 are one
family whose minutes are summed. This step also checks every line: known code, minutes not negative.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_units.domain.code_roles import CodeRole, CodeRoles
from otrcm_units.domain.errors import DuplicateLineId, NegativeMinutes, UnknownCode
from otrcm_units.domain.model import MinutesLine


class PooledDay:
    """A day's lines sorted into timed pool members and untimed line positions.

    Members are kept as parallel lists in first-seen order (``member_roles[k]``, ``member_minutes[k]``
    and ``member_lines[k]``, the positions of the input lines that reported member ``k``): a day is
    small, and lists are cheaper than one object per member on the hot path. ``has_family`` says
    whether a member is a code family whose units split between two billed codes.
    """

    __slots__ = (
        "has_family",
        "member_lines",
        "member_minutes",
        "member_roles",
        "total_timed_minutes",
        "untimed_indexes",
    )

    def __init__(
        self,
        member_roles: list[CodeRole],
        member_minutes: list[int],
        member_lines: list[list[int]],
        untimed_indexes: list[int],
        total_timed_minutes: int,
        has_family: bool,
    ) -> None:
        self.member_roles = member_roles
        self.member_minutes = member_minutes
        self.member_lines = member_lines
        self.untimed_indexes = untimed_indexes
        self.total_timed_minutes = total_timed_minutes
        self.has_family = has_family


def pool_timed_minutes_of_the_day(lines: Sequence[MinutesLine], roles: CodeRoles) -> PooledDay:
    """Sum each timed code's (or family's) minutes over every line of the day; set untimed lines aside.

    Raises :class:`UnknownCode` for a code the catalog does not list, :class:`NegativeMinutes` for a
    line below zero, :class:`DuplicateLineId` when two lines share an id.
    """
    lookup = roles.lookup
    positions: dict[str, int] = {}
    member_roles: list[CodeRole] = []
    member_minutes: list[int] = []
    member_lines: list[list[int]] = []
    untimed_indexes: list[int] = []
    total = 0
    has_family = False
    for index, line in enumerate(lines):
        role = lookup.get(line.code)
        if role is None:
            raise UnknownCode(line.line_id, line.code, roles.catalog_version)
        minutes = line.minutes
        if minutes < 0:
            raise NegativeMinutes(line.line_id, line.code, minutes)
        if not role.timed:
            untimed_indexes.append(index)
            continue
        total += minutes
        position = positions.get(role.pool_key)
        if position is None:
            positions[role.pool_key] = len(member_roles)
            member_roles.append(role)
            member_minutes.append(minutes)
            member_lines.append([index])
            if role.family_billing is not None:
                has_family = True
        else:
            member_minutes[position] += minutes
            member_lines[position].append(index)
    if len(lines) > 1:
        _refuse_duplicate_line_ids(lines)
    return PooledDay(member_roles, member_minutes, member_lines, untimed_indexes, total, has_family)


def _refuse_duplicate_line_ids(lines: Sequence[MinutesLine]) -> None:
    ids = {line.line_id for line in lines}
    if len(ids) == len(lines):
        return
    seen: set[str] = set()
    for line in lines:
        if line.line_id in seen:
            raise DuplicateLineId(line.line_id)
        seen.add(line.line_id)
