"""Which procedure modifiers a line may carry: shape, an allow-list per code family, and pairings.

Sources: docs/billing-rules.md#3-discipline-modifiers (GO/GP/GN: one discipline per line), §4 (KX), §6 (CO is the OT
assistant modifier, CQ the PT one), §8 (59 and X{EPSU}); the allow-lists are data
(``data/modifier_policy.json``, each family naming its source), not code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

MODIFIER_SHAPE = re.compile(r"[0-9A-Z]{2}")
DISCIPLINE_MODIFIERS = frozenset({"GO", "GP", "GN"})
ASSISTANT_MODIFIER_DISCIPLINE = {"CO": "GO", "CQ": "GP"}


def has_modifier_shape(modifier: str) -> bool:
    """Rule: a HCPCS/CPT modifier is exactly two upper-case letters or digits."""
    return MODIFIER_SHAPE.fullmatch(modifier) is not None


@dataclass(frozen=True, slots=True)
class ModifierFamily:
    """Codes that share one modifier allow-list: listed codes, or codes starting with a prefix."""

    name: str
    codes: frozenset[str]
    prefixes: tuple[str, ...]
    allowed: frozenset[str]

    def covers(self, code: str) -> bool:
        return code in self.codes or any(code.startswith(prefix) for prefix in self.prefixes)


@dataclass(frozen=True, slots=True)
class ModifierPolicy:
    """The allow-lists in effect: the first family that covers a code decides its modifiers."""

    version: str
    families: tuple[ModifierFamily, ...]

    def family_of(self, code: str) -> ModifierFamily | None:
        return next((family for family in self.families if family.covers(code)), None)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ModifierPolicy:
        families = tuple(
            ModifierFamily(
                name=str(entry["name"]),
                codes=frozenset(str(code) for code in entry.get("codes", ())),
                prefixes=tuple(str(prefix) for prefix in entry.get("prefixes", ())),
                allowed=frozenset(str(modifier) for modifier in entry["modifiers"]),
            )
            for entry in data["families"]
        )
        return cls(str(data["version"]), families)

    @classmethod
    def builtin(cls) -> ModifierPolicy:
        """The sample table shipped with the package (``data/modifier_policy.json``), read once."""
        return _builtin()


def discipline_modifiers_of(modifiers: Iterable[str]) -> list[str]:
    """The GO/GP/GN modifiers among ``modifiers`` (a line carries exactly one plan-of-care discipline)."""
    return [modifier for modifier in modifiers if modifier in DISCIPLINE_MODIFIERS]


def assistant_modifier_without_its_discipline(modifiers: Iterable[str]) -> str | None:
    """Rule: CO goes with GO and CQ with GP (docs/billing-rules.md#6-assistants-co); the first mismatched one,
    if any."""
    present = set(modifiers)
    for assistant, discipline in ASSISTANT_MODIFIER_DISCIPLINE.items():
        if assistant in present and discipline not in present:
            return assistant
    return None


@cache
def _builtin() -> ModifierPolicy:
    text = resources.files("otrcm_claims.domain").joinpath("data/modifier_policy.json").read_text("utf-8")
    return ModifierPolicy.from_mapping(json.loads(text))
