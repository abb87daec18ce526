"""NCCI procedure-to-procedure pairs: a column-2 code billed with its column-1 code on the same day.

Source: NCCI Policy Manual Ch. XI and the CMS practitioner PTP table (modifier indicator 0 = never
bypassable, 1 = bypassable with 59 or X{EPSU} on the column-2 code, 9 = not applicable);
docs/billing-rules.md#8-ncci-and-mue: 59/XU goes on 97530 with 97140 only when the two were done in distinct time
blocks, and never just to get past the edit. Which of 59 and XU a payer wants is its policy.
"""

from __future__ import annotations

from collections.abc import Sequence

from otrcm_modifiers.domain import sources
from otrcm_modifiers.domain.model import HeldReason
from otrcm_modifiers.domain.working_line import ModifierRank, WorkingLine
from otrcm_shared.refdata.ncci_edits import ModifierIndicator, PtpEdit, PtpEdits
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicy

RULE_ID = "column_two_code_needs_distinct_service"


def column_two_code_needs_distinct_service(
    lines: Sequence[WorkingLine], edits: PtpEdits | None, policy: PayerModifierPolicy
) -> tuple[WorkingLine, ...]:
    """Rule: a column-2 line with its column-1 code on the day gets 59/XU or is held.

    Indicator 1 with the encounter attesting distinct time blocks: the payer's distinct modifier goes
    on the column-2 line. Indicator 1 without that attestation: held ``NCCI_PAIR_NOT_DISTINCT``.
    Indicator 0: held ``NCCI_PAIR_NOT_BYPASSABLE`` (not separately payable; remove it or correct the
    documentation). Indicator 9: no edit. Column-1 codes count when any line of the day reports them.
    """
    if edits is None or not policy.applies_ncci:
        return tuple(lines)
    codes_of_the_day = {entry.code for entry in lines if entry.units > 0}
    result = []
    for entry in lines:
        if entry.units > 0:
            for column1 in sorted(codes_of_the_day - {entry.code}):
                edit = edits.pair(column1, entry.code)
                if edit is not None:
                    entry = _apply_edit(entry, edit, edits, policy)
        result.append(entry)
    return tuple(result)


def _apply_edit(entry: WorkingLine, edit: PtpEdit, edits: PtpEdits, policy: PayerModifierPolicy) -> WorkingLine:
    pair = f"{edit.column1} (column 1) / {edit.column2} (column 2)"
    origin = " from the SAMPLE pair list" if edits.is_sample else f" in PTP table {edits.version}"
    if edit.modifier_indicator is ModifierIndicator.NOT_APPLICABLE:
        return entry.noting(RULE_ID, sources.NCCI_PTP, "no edit", f"{pair}{origin}: modifier indicator 9")
    if edit.modifier_indicator is ModifierIndicator.NOT_ALLOWED:
        return entry.holding(
            HeldReason.NCCI_PAIR_NOT_BYPASSABLE,
            RULE_ID,
            sources.NCCI_PTP,
            f"{pair}{origin}: modifier indicator 0, no modifier bypasses it; {edit.column2} is not separately "
            f"payable with {edit.column1} on the same day",
        )
    if not entry.line.attestations.distinct_time_blocks:
        return entry.holding(
            HeldReason.NCCI_PAIR_NOT_DISTINCT,
            RULE_ID,
            sources.NCCI_PTP,
            f"{pair}{origin}: modifier indicator 1, but the encounter does not attest that the two were done "
            f"in distinct time blocks; {policy.distinct_modifier.value} may not be used only to pass the edit",
        )
    return entry.adding(
        ModifierRank.DISTINCT,
        policy.distinct_modifier.value,
        RULE_ID,
        sources.NCCI_PTP,
        f"{pair}{origin}: modifier indicator 1 and the encounter attests distinct time blocks",
    )
