"""Who may certify an outpatient therapy plan of care: the certifier's credential rule.

Sources: Pub. 100-02 Ch. 15 §220.1.3 ("Restrictions on Certification": podiatrists within the scope of
their state licence, optometrists low-vision services only, chiropractors never); 42 CFR 424.24(c) and
§1835(a)(2) of the Act (physician, nurse practitioner, clinical nurse specialist, physician assistant);
docs/billing-rules.md#5-plan-of-care (dentists may not certify: they are not among those 42 CFR 424.24(c)
names). Effective since 2008 (no date dependence modelled).
"""

from __future__ import annotations

from enum import StrEnum

from otrcm_poc.domain.errors import DisallowedCertifier


class CertifierCredential(StrEnum):
    """Credentials that may certify an OT plan of care (OD only when the plan is for low vision)."""

    MD = "MD"
    DO = "DO"
    DPM = "DPM"
    OD = "OD"
    PA = "PA"
    NP = "NP"
    CNS = "CNS"


NEVER_CERTIFY: dict[str, str] = {
    "DC": "chiropractors may not certify or recertify therapy plans of care (Pub. 100-02 Ch. 15 §220.1.3)",
    "DDS": "dentists are not among the physicians/NPPs who certify therapy plans of care (42 CFR 424.24(c))",
    "DMD": "dentists are not among the physicians/NPPs who certify therapy plans of care (42 CFR 424.24(c))",
}
OPTOMETRIST_RULE = "optometrists may certify only low-vision services (Pub. 100-02 Ch. 15 §220.1.3)"
ALLOWED_RULE = (
    "only MD, DO, DPM, OD (low vision), PA, NP or CNS may certify (Pub. 100-02 Ch. 15 §220.1.3; 42 CFR 424.24(c))"
)


def normalized_credential(credential: str) -> str:
    """``"m.d."`` -> ``"MD"``: upper case, without dots or spaces."""
    return credential.replace(".", "").replace(" ", "").upper()


def certifier_may_certify_the_plan(plan_id: str, credential: str, *, low_vision: bool) -> CertifierCredential:
    """Rule: only a physician/NPP of an allowed credential certifies; an optometrist only for low vision.

    Returns the credential as a :class:`CertifierCredential`; raises :class:`DisallowedCertifier` naming
    the credential and the rule for a chiropractor (DC), a dentist (DDS/DMD), an optometrist (OD) on a
    plan not flagged low-vision, and any credential not on the list. A podiatrist (DPM) is accepted: the
    limit to the podiatric scope of practice is state law the domain cannot check.
    """
    code = normalized_credential(credential)
    if code in NEVER_CERTIFY:
        raise DisallowedCertifier(plan_id, credential, NEVER_CERTIFY[code])
    try:
        allowed = CertifierCredential(code)
    except ValueError:
        raise DisallowedCertifier(plan_id, credential, ALLOWED_RULE) from None
    if allowed is CertifierCredential.OD and not low_vision:
        raise DisallowedCertifier(plan_id, credential, OPTOMETRIST_RULE)
    return allowed
