"""The documents the modifier rules cite, named once so every rule result quotes them the same way."""

from __future__ import annotations

DISCIPLINE_MODIFIERS = (
    "CMS Pub. 100-04 Ch. 5 §20.1 (GO/GP/GN on therapy lines); docs/billing-rules.md#3-discipline-modifiers"
)
THRESHOLD_KX = "CMS Pub. 100-04 Ch. 5 §10.3 (KX above the therapy threshold); docs/billing-rules.md#4-threshold-and-kx"
TARGETED_REVIEW = (
    "Bipartisan Budget Act of 2018 §50202; CMS Pub. 100-04 Ch. 5 §10.3; docs/billing-rules.md#4-threshold-and-kx"
)
ASSISTANT_CO = (
    "CMS Pub. 100-04 Ch. 5 §20.1 (CO/CQ, de minimis 10%); CMS 'Billing Examples Using CQ/CO Modifiers'; "
    "CY 2022 PFS final rule (final-unit and two-remaining-units policies); docs/billing-rules.md#6-assistants-co"
)
NCCI_PTP = (
    "NCCI Policy Manual Ch. XI; CMS practitioner PTP edits (modifier indicator 0/1/9); "
    "docs/billing-rules.md#8-ncci-and-mue"
)
ONE_EVALUATION = (
    "CPT evaluation codes 97165-97168 and NCCI edits: one evaluation or re-evaluation per discipline per day; "
    "docs/billing-rules.md#8-ncci-and-mue"
)
MUE = "CMS Practitioner Services MUE table (MUE value, adjudication indicator); docs/billing-rules.md#8-ncci-and-mue"
MEDICARE_PFS = (
    "42 CFR 414.22-414.26 and the CY PFS final rule: "
    "[work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI] x CF; docs/billing-rules.md#7-payment-and-mppr"
)
MPPR = (
    "CMS Pub. 100-04 Ch. 5 §10.7 (therapy MPPR: later units get 50% of their PE payment); "
    "docs/billing-rules.md#7-payment-and-mppr"
)
ASSISTANT_PAYMENT = (
    "Social Security Act §1834(v): CO/CQ lines paid at 85% from 2022-01-01; docs/billing-rules.md#6-assistants-co"
)
FEE_SCHEDULE = (
    "Tenant fee schedule (payer contract or state schedule): amount per unit x units; "
    "docs/billing-rules.md#9-missouri-payers"
)
PAYER_POLICY = "Payer modifier policy (payer_modifier_policies dataset); docs/billing-rules.md#9-missouri-payers"
RE_DERIVED = (
    "docs/billing-rules.md#4-threshold-and-kx (KX only where the threshold is exceeded), §6 (CO from the minutes), "
    "§8 (59/XU only for distinct services, never just to pass an edit)"
)
PROVISIONAL_MARGIN = (
    "otrcm policy (kx_provisional_margin dataset): a provisional total within the margin of the threshold is "
    "decided as if crossing it, because KX missing above the threshold is a denial; CMS Pub. 100-04 Ch. 5 §10.3"
)
