"""Why a payer did not pay: CARC/RARC -> a therapy denial category, from a sourced data table.

Source: docs/billing-rules.md#10-denials and the X12 CARC/RARC lists; the table is ``data/denial_categories.json``
(each entry names its source). Expected reductions (CO-45 contract, PR-1/2/3 deductible/coinsurance/
copay, sequestration) are not denials. A CARC without a specific category falls back to a RARC with
one, then to ``other``. A 119 on a therapy line without KX is the threshold-exceeded-without-KX
denial (docs/billing-rules.md#4-threshold-and-kx); a reversal (CLP02 = 22) is never a denial.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from otrcm_claims.domain.claim import ServiceLine
from otrcm_claims.domain.line_matching import match_lines
from otrcm_claims.domain.remittance import Adjustment, ClaimPayment, ServicePayment


class DenialCategory(StrEnum):
    MISSING_OR_INVALID_MODIFIER = "missing_or_invalid_modifier"
    THRESHOLD_EXCEEDED_WITHOUT_KX = "threshold_exceeded_without_kx"
    BENEFIT_MAXIMUM = "benefit_maximum"
    NOT_MEDICALLY_NECESSARY = "not_medically_necessary"
    NON_COVERED = "non_covered"
    BUNDLED = "bundled"
    DUPLICATE = "duplicate"
    MISSING_INFORMATION = "missing_information"
    TIMELY_FILING = "timely_filing"
    AUTHORIZATION = "authorization"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class DenialFinding:
    """One denying adjustment, its category, and the basis (which codes decided it)."""

    category: DenialCategory
    group: str
    reason: str
    amount: Decimal
    remarks: tuple[str, ...]
    basis: str
    line_index: int | None = None  # 1-based position of the 2110 line; None for a claim-level CAS


@dataclass(frozen=True, slots=True)
class LineOverride:
    carc: str
    with_any_modifier: frozenset[str]
    without_modifier: str
    category: DenialCategory

    def applies(self, reason: str, modifiers: Iterable[str]) -> bool:
        present = set(modifiers)
        return reason == self.carc and bool(present & self.with_any_modifier) and self.without_modifier not in present


@dataclass(frozen=True, slots=True)
class DenialCategorizer:
    """The CARC/RARC table in effect."""

    version: str
    not_denials: frozenset[str]
    by_carc: Mapping[str, DenialCategory]
    by_rarc: Mapping[str, DenialCategory]
    overrides: tuple[LineOverride, ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DenialCategorizer:
        return cls(
            version=str(data["version"]),
            not_denials=frozenset(data["not_denials"]),
            by_carc=MappingProxyType({code: DenialCategory(entry["category"]) for code, entry in data["carc"].items()}),
            by_rarc=MappingProxyType({code: DenialCategory(entry["category"]) for code, entry in data["rarc"].items()}),
            overrides=tuple(
                LineOverride(
                    entry["carc"],
                    frozenset(entry["with_any_modifier"]),
                    entry["without_modifier"],
                    DenialCategory(entry["category"]),
                )
                for entry in data["line_overrides"]
            ),
        )

    @classmethod
    def builtin(cls) -> DenialCategorizer:
        """The sample table shipped with the package (``data/denial_categories.json``), read once."""
        return _builtin()

    def categorize(
        self, adjustment: Adjustment, remarks: tuple[str, ...] = (), modifiers: Iterable[str] | None = None
    ) -> DenialFinding | None:
        """The finding for one CAS triplet, or None for an expected reduction (or a zero/negative amount).

        ``modifiers`` are the line's billed modifiers (the payer may have dropped some); None at claim level.
        """
        reason = adjustment.reason
        if reason in self.not_denials or adjustment.amount <= 0:
            return None

        def found(category: DenialCategory, basis: str) -> DenialFinding:
            return DenialFinding(category, adjustment.group, reason, adjustment.amount, remarks, basis)

        for override in self.overrides:
            if modifiers is not None and override.applies(reason, modifiers):
                return found(override.category, f"CARC {reason} on a therapy line without {override.without_modifier}")
        if reason in self.by_carc:
            return found(self.by_carc[reason], f"CARC {reason}")
        for remark in remarks:
            if remark in self.by_rarc:
                return found(self.by_rarc[remark], f"RARC {remark} with CARC {reason}")
        return found(DenialCategory.OTHER, f"CARC {reason} has no category")

    def line_findings(
        self, payment: ServicePayment, billed_modifiers: Iterable[str] | None = None, line_index: int | None = None
    ) -> tuple[DenialFinding, ...]:
        """Findings for one 2110 line; ``billed_modifiers`` default to the adjudicated SVC01 modifiers."""
        modifiers = tuple(billed_modifiers) if billed_modifiers is not None else payment.modifiers
        findings = (self.categorize(adj, payment.remarks, modifiers) for adj in payment.adjustments)
        return tuple(replace(finding, line_index=line_index) for finding in findings if finding is not None)

    def claim_findings(self, claim: ClaimPayment, billed: Sequence[ServiceLine] = ()) -> tuple[DenialFinding, ...]:
        """Claim-level CAS (with MOA remarks) then every line's findings; none for a reversal.

        With the ``billed`` lines, each paid line is matched back (:func:`match_lines`) so that the
        modifiers judged are the ones we sent, even when the payer dropped one.
        """
        if claim.is_reversal:
            return ()
        found = [f for f in (self.categorize(adj, claim.remarks) for adj in claim.adjustments) if f is not None]
        matches = match_lines(billed, claim.lines) if billed else ()
        for index, line in enumerate(claim.lines, 1):
            billed_line = matches[index - 1].line if matches else None
            modifiers = billed_line.modifiers if billed_line is not None else None
            found.extend(self.line_findings(line, modifiers, line_index=index))
        return tuple(found)


@cache
def _builtin() -> DenialCategorizer:
    text = resources.files("otrcm_claims.domain").joinpath("data/denial_categories.json").read_text("utf-8")
    return DenialCategorizer.from_mapping(json.loads(text))
