"""Who may certify: MD, DO, DPM, OD (low vision only), PA, NP, CNS; never a chiropractor or a dentist.

Sources: Pub. 100-02 Ch. 15 §220.1.3 ("Restrictions on Certification": optometrists only low-vision
services; chiropractors may not certify or recertify); 42 CFR 424.24(c) (physician, NP, CNS, PA);
docs/billing-rules.md#5-plan-of-care (not dentists).
"""

from __future__ import annotations

from datetime import date

import pytest

from otrcm_poc.domain import (
    CertifierCredential,
    DisallowedCertifier,
    PlanRecertified,
    PlanSigned,
    VerbalOrderReceived,
    apply_plan_event,
    certifier_may_certify_the_plan,
    start_plan,
)
from tests.unit.poc.builders import NPI, PLAN, created, plan_of, signed

pytestmark = pytest.mark.unit

EVALUATION = date(2025, 3, 3)


@pytest.mark.parametrize("credential", ["MD", "DO", "DPM", "PA", "NP", "CNS"])
def test_physicians_podiatrists_and_npps_may_certify(credential: str) -> None:
    """§220.1.3 and 42 CFR 424.24(c): each of these credentials certifies any OT plan."""
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10), credential))
    assert plan.certification is not None
    assert plan.certification.certifier.credential is CertifierCredential(credential)


def test_a_chiropractor_is_rejected_with_the_credential_and_the_rule_named() -> None:
    """§220.1.3: "Chiropractors may not certify or recertify plans of care for therapy services"."""
    plan = start_plan(created(EVALUATION))
    with pytest.raises(DisallowedCertifier, match=r"plan P-1: .*'DC'.*chiropractors may not certify") as caught:
        apply_plan_event(plan, signed(date(2025, 3, 10), "DC"))
    assert caught.value.credential == "DC"


@pytest.mark.parametrize("credential", ["DDS", "DMD", "D.D.S."])
def test_a_dentist_is_rejected(credential: str) -> None:
    """docs/billing-rules.md#5-plan-of-care: dentists do not certify therapy plans of care."""
    with pytest.raises(DisallowedCertifier, match="dentists"):
        certifier_may_certify_the_plan(PLAN, credential, low_vision=False)


def test_a_chiropractor_cannot_recertify_or_give_a_verbal_order_either() -> None:
    """The same rule applies to every way of certifying (§220.1.3: "certify or recertify")."""
    plan = plan_of(EVALUATION, signed(date(2025, 3, 10)))
    with pytest.raises(DisallowedCertifier, match="DC"):
        apply_plan_event(plan, PlanRecertified(PLAN, date(2025, 5, 28), NPI, "DC", duration_days=60))
    with pytest.raises(DisallowedCertifier, match="DC"):
        apply_plan_event(start_plan(created(EVALUATION)), VerbalOrderReceived(PLAN, date(2025, 3, 5), NPI, "DC"))


def test_an_optometrist_certifies_only_a_low_vision_plan() -> None:
    """§220.1.3: "Optometrists may order and certify only low vision services"."""
    ordinary = start_plan(created(EVALUATION))
    with pytest.raises(DisallowedCertifier, match="low-vision"):
        apply_plan_event(ordinary, PlanSigned(PLAN, date(2025, 3, 10), NPI, "OD"))
    low_vision = apply_plan_event(
        start_plan(created(EVALUATION, low_vision=True)), PlanSigned(PLAN, date(2025, 3, 10), NPI, "OD")
    )
    assert low_vision.certification is not None
    assert low_vision.certification.certifier.credential is CertifierCredential.OD


def test_an_unknown_credential_is_rejected_naming_the_allowed_ones() -> None:
    """Only the listed physicians/NPPs certify (42 CFR 424.24(c)); an RN is not one of them."""
    with pytest.raises(DisallowedCertifier, match=r"'RN'.*only MD, DO, DPM, OD \(low vision\), PA, NP or CNS"):
        certifier_may_certify_the_plan(PLAN, "RN", low_vision=False)


def test_credentials_are_read_without_dots_or_case() -> None:
    """ "m.d." and "Np" are MD and NP."""
    assert certifier_may_certify_the_plan(PLAN, "m.d.", low_vision=False) is CertifierCredential.MD
    assert certifier_may_certify_the_plan(PLAN, "Np", low_vision=False) is CertifierCredential.NP
