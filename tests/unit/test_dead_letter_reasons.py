"""Every reason a downstream service can dead-letter a submitted record for is accounted for (issue 17 item 1):
either the front door refuses that record first (``tests/support/door_cases.DOOR_CASES``, sent to the API by
``tests/integration/intake/test_door_refuses_first.py``) or no submitted record can produce it (``EXEMPT``,
with why). A reason code raised in a service's source but not declared in its domain errors module, or a
declared reason with neither a door case nor an exemption, fails here."""

from __future__ import annotations

import re

import pytest

from otrcm_modifiers.domain.errors import ModifiersRule
from otrcm_poc.domain.errors import PocRule
from otrcm_shared.refdata import PayerProfiles, load_builtin
from otrcm_shared.refdata.payer_modifier_policy import PayerModifierPolicies
from otrcm_shared.rules import certification_steps, plan_steps
from otrcm_units.domain.errors import UnitsRule
from tests.support.door_cases import DECLARED, DOOR_CASES, EXEMPT, every_reason
from tests.support.infra import ROOT

pytestmark = pytest.mark.unit

RAISED = re.compile(r"RecordRejected\(\s*\"([A-Z_]+)\"")
DOWNSTREAM = ("units", "poc", "modifiers", "claims", "status")


def _raised_in(service: str) -> set[str]:
    sources = (ROOT / "services" / service / "src").rglob("*.py")
    return {code for path in sources for code in RAISED.findall(path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("service", DOWNSTREAM)
def test_every_reason_a_service_raises_is_declared_in_its_domain(service: str) -> None:
    assert _raised_in(service) == set(DECLARED.get(service, {})), (
        f"{service}: declare each RecordRejected reason code in its domain errors module (DEAD_LETTER_REASONS)"
    )


def test_every_declared_reason_is_refused_at_the_door_or_exempt_with_why() -> None:
    reasons = every_reason()
    assert set(DOOR_CASES).isdisjoint(EXEMPT)
    assert reasons - set(DOOR_CASES) - set(EXEMPT) == set(), "new dead-letter reasons without a door check"
    assert (set(DOOR_CASES) | set(EXEMPT)) - reasons == set(), "cases for reasons no service declares any more"
    assert all(len(why) > 20 for why in EXEMPT.values())


def test_the_rule_enums_are_what_the_declarations_name() -> None:
    """A rule added to a service's enum is a declared reason (and so needs a door case or an exemption)."""
    declared = every_reason()
    for service, rules in (("units", UnitsRule), ("poc", PocRule), ("modifiers", ModifiersRule)):
        named = {
            reason.rsplit(":", 1)[1]
            for reason in declared
            if reason.startswith(f"{service}:") and reason.count(":") == 2
        }
        assert {rule.value for rule in rules} <= named, service


def test_the_shared_step_rules_are_poc_rules() -> None:
    """The door answers with the rule id poc would name in its dead letter, for every rule they share."""
    shared_ids = set(re.findall(r"\"([a-z_]+\.[a-z_]+)\"", (ROOT / plan_steps.__file__).read_text()))
    shared_ids |= set(re.findall(r"\"([a-z_]+\.[a-z_]+)\"", (ROOT / certification_steps.__file__).read_text()))
    assert shared_ids <= {rule.value for rule in PocRule}


def test_every_payer_profile_has_a_modifier_policy() -> None:
    """Modifiers dead-letters a day whose payer has no modifier policy; the door checks it too
    (payer.modifier_policy), and the reference data gives every payer one, so no record meets it."""
    for version in load_builtin("payer_profiles").versions:
        on = version.effective_from
        policies = PayerModifierPolicies.builtin(on)
        for payer_id in version.data["payers"]:
            assert payer_id in PayerProfiles.builtin(on)
            policies.get(payer_id)
