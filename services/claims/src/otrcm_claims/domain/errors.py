"""The claims service dead-letters no record of its own.

A claim it cannot build or that fails its checks is held, not dropped: the hold is an event
(``ClaimHeld``, docs/adr/007), the claim's status is ``claim_held`` with what to fix, and a billing
provider registration or a corrected record releases it. Only the consumer's own reasons apply to
what it reads (a record that cannot be decoded, a handler bug: ``otrcm_shared.runtime.consumer``).
A test walks every service's dead-letter reasons and checks this one raises none.
"""

from __future__ import annotations

# The dead letters' reason codes the handlers raise, each with the rules its ``rule_ids`` may name: none.
DEAD_LETTER_REASONS: dict[str, tuple[str, ...]] = {}
