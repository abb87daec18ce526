"""Plain words for the codes an 835 uses to say why a therapy claim was paid less or denied: the CAS group codes,
common Claim Adjustment Reason Codes (CARC) and Remittance Advice Remark Codes (RARC). Pure data.

Sources: ASC X12 005010X221A1 (CAS01 group codes); the X12 Claim Adjustment Reason Code list and Remittance
Advice Remark Code list, maintained by X12 and published at x12.org/codes; docs/billing-rules.md#10-denials (the
therapy denials otrcm recognises). The wording here is ours, written for a biller; the code lists are the
authority. A code not in these tables is still shown, with its code and no description.
"""

from __future__ import annotations

from dataclasses import dataclass

X12_CARC = "X12 Claim Adjustment Reason Codes (x12.org/codes)"
X12_RARC = "X12 Remittance Advice Remark Codes (x12.org/codes)"
X221 = "ASC X12 005010X221A1, CAS01"
DENIALS = "docs/billing-rules.md#10-denials; " + X12_CARC


@dataclass(frozen=True, slots=True)
class CodeMeaning:
    description: str
    source: str


GROUPS: dict[str, CodeMeaning] = {
    "CO": CodeMeaning("contractual obligation: the provider writes it off and may not bill the patient", X221),
    "PR": CodeMeaning("patient responsibility: the patient (or a secondary payer) may be billed", X221),
    "OA": CodeMeaning("other adjustment: neither a contractual write-off nor the patient's share", X221),
    "PI": CodeMeaning("payer-initiated reduction: the payer reduced it and the patient is not billed", X221),
}

CARCS: dict[str, CodeMeaning] = {
    "1": CodeMeaning("the patient's deductible", X12_CARC),
    "2": CodeMeaning("the patient's coinsurance", X12_CARC),
    "3": CodeMeaning("the patient's co-payment", X12_CARC),
    "4": CodeMeaning(
        "the modifier does not fit the procedure code, or a required modifier (GO, KX, CO ...) is missing", DENIALS
    ),
    "5": CodeMeaning("the procedure code does not fit the place of service", X12_CARC),
    "11": CodeMeaning("the diagnosis does not support the procedure", X12_CARC),
    "15": CodeMeaning(
        "the authorization number is missing or invalid, or does not cover this service or provider", DENIALS
    ),
    "16": CodeMeaning("the claim lacks information or has a billing error; the remark codes say what", DENIALS),
    "18": CodeMeaning("an exact duplicate of a claim or service already received", DENIALS),
    "22": CodeMeaning("another payer may be primary (coordination of benefits)", X12_CARC),
    "23": CodeMeaning("what a prior payer already paid or adjusted", X12_CARC),
    "24": CodeMeaning("covered under a capitation agreement or managed care plan", X12_CARC),
    "26": CodeMeaning("the service was before the patient's coverage began", X12_CARC),
    "27": CodeMeaning("the service was after the patient's coverage ended", X12_CARC),
    "29": CodeMeaning("the time limit for filing the claim has passed", DENIALS),
    "31": CodeMeaning("the payer cannot identify the patient as its member", X12_CARC),
    "45": CodeMeaning(
        "the charge is above the fee schedule or contracted amount: the difference is written off", X12_CARC
    ),
    "50": CodeMeaning("not covered: the payer does not consider the service medically necessary", DENIALS),
    "59": CodeMeaning(
        "reduced by the multiple or concurrent procedure rules (for therapy, the multiple procedure payment reduction)",
        X12_CARC,
    ),
    "94": CodeMeaning("processed in excess of the charges", X12_CARC),
    "96": CodeMeaning("a non-covered charge", DENIALS),
    "97": CodeMeaning("bundled: paid as part of another service already adjudicated", DENIALS),
    "100": CodeMeaning("the payment was made to the patient, the insured or the responsible party", X12_CARC),
    "109": CodeMeaning("not covered by this payer: send the claim to the correct payer", X12_CARC),
    "119": CodeMeaning("the benefit maximum for this period or occurrence has been reached", DENIALS),
    "129": CodeMeaning("the prior processing information (another payer's) appears incorrect", X12_CARC),
    "136": CodeMeaning("the prior payer's coverage rules were not followed", X12_CARC),
    "151": CodeMeaning(
        "the payer finds the information does not support this many services or this frequency", X12_CARC
    ),
    "197": CodeMeaning("the authorization or precertification is missing", DENIALS),
    "198": CodeMeaning("more services than the authorization or precertification allows", X12_CARC),
    "204": CodeMeaning("not covered under the patient's current benefit plan", X12_CARC),
    "236": CodeMeaning(
        "this code or code-and-modifier pair cannot be billed with another on the same day (NCCI)", X12_CARC
    ),
    "237": CodeMeaning("a legislated or regulatory penalty", X12_CARC),
    "253": CodeMeaning("sequestration: the federal payment reduction", X12_CARC),
    "288": CodeMeaning("the referral is missing", X12_CARC),
}

RARCS: dict[str, CodeMeaning] = {
    "MA04": CodeMeaning(
        "a secondary payment cannot be considered without the primary payer's identity or payment information",
        X12_RARC,
    ),
    "MA07": CodeMeaning("the claim was also forwarded to Medicaid (a crossover)", X12_RARC),
    "MA18": CodeMeaning("the claim was also forwarded to the patient's supplemental insurer (a crossover)", X12_RARC),
    "N4": CodeMeaning(
        "the prior insurance carrier's explanation of benefits is missing, incomplete or invalid", X12_RARC
    ),
    "N89": CodeMeaning(
        "the payment was forwarded to more than one other payer; the remittance can name only one of them", X12_RARC
    ),
    "M51": CodeMeaning("a procedure code is missing, incomplete or invalid", X12_RARC),
    "M80": CodeMeaning(
        "not covered when done in the same session or on the same date as a service already processed", X12_RARC
    ),
    "M86": CodeMeaning("already paid for the same or a similar procedure within the set time frame", X12_RARC),
    "MA01": CodeMeaning("you may appeal this decision; the notice says how and by when", X12_RARC),
    "MA130": CodeMeaning(
        "the claim is unprocessable (incomplete or invalid information): correct it and send a "
        "new claim, there is no appeal",
        X12_RARC,
    ),
    "N20": CodeMeaning("not payable with another service on the same date", X12_RARC),
    "N30": CodeMeaning("the patient is not eligible for this service", X12_RARC),
    "N54": CodeMeaning("the claim does not match the services that were authorized", X12_RARC),
    "N115": CodeMeaning("decided under a Local Coverage Determination (LCD)", X12_RARC),
    "N130": CodeMeaning("see the plan's benefit documents for the limits on this service", X12_RARC),
    "N290": CodeMeaning("the rendering provider's primary identifier is missing or invalid", X12_RARC),
    "N386": CodeMeaning("decided under a National Coverage Determination (NCD)", X12_RARC),
}

# Reductions an 835 makes on a paid claim that are not denials: the contract, the patient's share, a prior payer,
# sequestration (the claims service's denial table treats them the same way).
EXPECTED_REDUCTIONS = frozenset({"1", "2", "3", "23", "45", "253"})


def meaning(table: dict[str, CodeMeaning], code: str) -> CodeMeaning | None:
    """The code's meaning, or None for a code the table does not hold (shown with its code only)."""
    return table.get(code.strip().upper())
