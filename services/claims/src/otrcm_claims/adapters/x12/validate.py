"""Validation before anything leaves: pyx12 on the rendered interchange plus the project's own checks.

pyx12 checks what the implementation guide defines (structure, usage, formats, code lists, counts);
the project's checks (:func:`otrcm_claims.domain.check_claim`) cover NPI check digits, CLM02 = sum of
lines, ICD-10-CM shape, modifiers per code family and situational segments (docs/billing-rules.md#11-x12). A claim
with an error is held; an error that names no claim (envelope, billing provider loop) holds them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from otrcm_claims.adapters.x12.envelope import isa_text_is_fixed_width
from otrcm_claims.adapters.x12.pyx12_check import validate_with_pyx12
from otrcm_claims.adapters.x12.render_837p import Rendered837P
from otrcm_claims.domain import (
    Claim,
    FunctionalGroupAck,
    Issue,
    ModifierPolicy,
    Severity,
    check_claim,
    has_errors,
)
from otrcm_claims.domain.issues import error


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Every issue found, pyx12's verdict, and its 999 (parsed, without copies of bad data)."""

    issues: tuple[Issue, ...]
    pyx12_valid: bool
    acknowledgments: tuple[FunctionalGroupAck, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether the interchange may leave: pyx12 said valid and no check found an error."""
        return self.pyx12_valid and not has_errors(self.issues)

    def held_claim_ids(self, claim_ids: Iterable[str]) -> frozenset[str]:
        """The claims to hold: those with an error, or all of them when an error names no claim."""
        ids = frozenset(claim_ids)
        errors = [issue for issue in self.issues if issue.severity is Severity.ERROR]
        if not self.pyx12_valid and not errors:
            return ids
        if any(issue.claim_id is None for issue in errors):
            return ids
        return frozenset(issue.claim_id for issue in errors if issue.claim_id in ids)


def validate_837p(
    claims: Sequence[Claim], rendered: Rendered837P, policy: ModifierPolicy | None = None
) -> ValidationReport:
    """The project's checks of each claim, the ISA width, then pyx12 over the rendered text."""
    modifier_policy = policy or ModifierPolicy.builtin()
    issues: list[Issue] = []
    for claim in claims:
        issues.extend(check_claim(claim, modifier_policy))
    if not isa_text_is_fixed_width(rendered.text):
        issues.append(error("isa-width", "ISA", "ISA must be 106 characters with its terminator"))
    verdict = validate_with_pyx12(rendered.text, rendered.claim_at)
    issues.extend(verdict.issues)
    return ValidationReport(tuple(issues), verdict.valid, verdict.acknowledgments)


def validate_x12_text(x12_text: str) -> ValidationReport:
    """pyx12 alone over any X12 text (an 837P from elsewhere, or a 999/277CA/835 received)."""
    verdict = validate_with_pyx12(x12_text)
    return ValidationReport(verdict.issues, verdict.valid, verdict.acknowledgments)
