"""What the units rules need to know about each code, read once from the code catalog.

The catalog (``otrcm_shared.refdata``, sources named in ``code_catalog.json``) says whether a code is
timed and which family it belongs to. This module turns one catalog version into a flat lookup so
that calculating a day costs one dictionary read per line, and caches it per catalog object.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from otrcm_shared.refdata import CodeCatalog, CodeFamily, CodeInfo


@dataclass(frozen=True, slots=True)
class FamilyBilling:
    """How a family's units are billed: the first unit of the day under one code, the rest under another.

    Source: CPT 2020, 97129 (cognitive function intervention, first 15 minutes, once a day) with its
    add-on 97130 (each additional 15 minutes); catalog roles ``first_of_day`` and ``add_on``.
    """

    family: str
    first_of_day_code: str
    add_on_code: str


@dataclass(frozen=True, slots=True)
class CodeRole:
    """One code as the units rules see it.

    ``pool_key`` groups codes whose minutes count as one code: the code itself, or the family name for
    codes of a family (97129 and 97130 are one pool member). ``pool_label`` names that member in
    traces and explanations ("97110", "97129/97130").
    """

    code: str
    timed: bool
    pool_key: str
    pool_label: str
    family_billing: FamilyBilling | None


class CodeRoles:
    """Every code of one catalog version, precomputed for the units rules."""

    __slots__ = ("_roles", "catalog_version")

    def __init__(self, catalog: CodeCatalog) -> None:
        self.catalog_version: str = catalog.version
        infos = [catalog.get(code) for code in catalog.codes]
        families: dict[str, list[CodeInfo]] = {}
        for info in infos:
            if info.family is not None and info.timed:
                families.setdefault(info.family, []).append(info)
        self._roles: dict[str, CodeRole] = {}
        for info in infos:
            family = info.family if info.timed else None
            members = families.get(family) if family is not None else None
            if family is None or members is None:
                role = CodeRole(info.code, info.timed, info.code, info.code, None)
            else:
                role = CodeRole(
                    info.code, True, f"family:{family}", _family_label(members), _family_billing(family, members)
                )
            self._roles[info.code] = role

    def role_of(self, code: str) -> CodeRole | None:
        """The code's role, or ``None`` when the catalog does not list it."""
        return self._roles.get(code)

    @property
    def lookup(self) -> dict[str, CodeRole]:
        """The code -> role table itself, for loops that read it once per line (read-only by contract)."""
        return self._roles


def _family_order(info: CodeInfo) -> tuple[int, str]:
    rank = {CodeFamily.FIRST_OF_DAY: 0, CodeFamily.ADD_ON: 1}.get(info.family_role, 2)
    return (rank, info.code)


def _family_label(members: list[CodeInfo]) -> str:
    return "/".join(info.code for info in sorted(members, key=_family_order))


def _family_billing(family: str, members: list[CodeInfo]) -> FamilyBilling | None:
    """The family's split, when the catalog names one first-of-day code and one add-on code."""
    first = [info.code for info in members if info.family_role is CodeFamily.FIRST_OF_DAY]
    add_on = [info.code for info in members if info.family_role is CodeFamily.ADD_ON]
    if len(first) == 1 and len(add_on) == 1:
        return FamilyBilling(family, first[0], add_on[0])
    return None


_ROLES_BY_CATALOG: WeakKeyDictionary[CodeCatalog, CodeRoles] = WeakKeyDictionary()
_last_used: tuple[CodeCatalog | None, CodeRoles | None] = (None, None)


def code_roles_of(catalog: CodeCatalog) -> CodeRoles:
    """The precomputed roles of ``catalog``, built on first use and kept while the catalog lives.

    Days usually come in runs against one catalog, so the last one used is checked first (and
    kept alive by that shortcut until another catalog is used).
    """
    global _last_used
    last_catalog, last_roles = _last_used
    if catalog is last_catalog and last_roles is not None:
        return last_roles
    roles = _ROLES_BY_CATALOG.get(catalog)
    if roles is None:
        roles = CodeRoles(catalog)
        _ROLES_BY_CATALOG[catalog] = roles
    _last_used = (catalog, roles)
    return roles
