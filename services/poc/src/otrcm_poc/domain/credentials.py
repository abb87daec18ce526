"""Who may certify an outpatient therapy plan of care: the certifier's credential rule (the rule itself is
shared with the front door: ``otrcm_shared.rules.plan_steps.credential_may_certify``).

Sources: Pub. 100-02 Ch. 15 §220.1.3 ("Restrictions on Certification": podiatrists within the scope of
their state licence, optometrists low-vision services only, chiropractors never); 42 CFR 424.24(c) and
§1835(a)(2) of the Act (physician, nurse practitioner, clinical nurse specialist, physician assistant);
docs/billing-rules.md#5-plan-of-care (dentists may not certify: they are not among those 42 CFR 424.24(c)
names). Effective since 2008 (no date dependence modelled).
"""

from __future__ import annotations

from enum import StrEnum

from otrcm_poc.domain.errors import DisallowedCertifier
from otrcm_shared.rules.plan_steps import credential_may_certify, normalized_credential


class CertifierCredential(StrEnum):
    """Credentials that may certify an OT plan of care (OD only when the plan is for low vision)."""

    MD = "MD"
    DO = "DO"
    DPM = "DPM"
    OD = "OD"
    PA = "PA"
    NP = "NP"
    CNS = "CNS"


def certifier_may_certify_the_plan(plan_id: str, credential: str, *, low_vision: bool) -> CertifierCredential:
    """Rule: only a physician/NPP of an allowed credential certifies; an optometrist only for low vision.

    Returns the credential as a :class:`CertifierCredential`; raises :class:`DisallowedCertifier` naming
    the credential and the rule for a chiropractor (DC), a dentist (DDS/DMD), an optometrist (OD) on a
    plan not flagged low-vision, and any credential not on the list. A podiatrist (DPM) is accepted: the
    limit to the podiatric scope of practice is state law the domain cannot check.
    """
    why_not = credential_may_certify(credential, low_vision=low_vision)
    if why_not is not None:
        raise DisallowedCertifier(plan_id, credential, why_not)
    return CertifierCredential(normalized_credential(credential))
