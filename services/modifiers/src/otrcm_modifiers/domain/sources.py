"""The documents the modifier rules cite, named once so every rule result quotes them the same way."""

from __future__ import annotations

DISCIPLINE_MODIFIERS = "CMS Pub. 100-04 Ch. 5 §20.1 (GO/GP/GN on therapy lines); BILLING_RULES.md §3"
THRESHOLD_KX = "CMS Pub. 100-04 Ch. 5 §10.3 (KX above the therapy threshold); BILLING_RULES.md §4"
TARGETED_REVIEW = "Bipartisan Budget Act of 2018 §50202; CMS Pub. 100-04 Ch. 5 §10.3; BILLING_RULES.md §4"
ASSISTANT_CO = (
    "CMS Pub. 100-04 Ch. 5 §20.1 (CO/CQ, de minimis 10%); CMS 'Billing Examples Using CQ/CO Modifiers'; "
    "CY 2022 PFS final rule (final-unit and two-remaining-units policies); BILLING_RULES.md §6"
)
NCCI_PTP = "NCCI Policy Manual Ch. XI; CMS practitioner PTP edits (modifier indicator 0/1/9); BILLING_RULES.md §8"
ONE_EVALUATION = (
    "CPT evaluation codes 97165-97168 and NCCI edits: one evaluation or re-evaluation per discipline per day; "
    "BILLING_RULES.md §8"
)
MUE = "CMS Practitioner Services MUE table (MUE value, adjudication indicator); BILLING_RULES.md §8"
MEDICARE_PFS = (
    "42 CFR 414.22-414.26 and the CY PFS final rule: "
    "[work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI] x CF; BILLING_RULES.md §7"
)
MPPR = "CMS Pub. 100-04 Ch. 5 §10.7 (therapy MPPR: later units get 50% of their PE payment); BILLING_RULES.md §7"
ASSISTANT_PAYMENT = "Social Security Act §1834(v): CO/CQ lines paid at 85% from 2022-01-01; BILLING_RULES.md §6"
FEE_SCHEDULE = "Tenant fee schedule (payer contract or state schedule): amount per unit x units; BILLING_RULES.md §9"
PAYER_POLICY = "Payer modifier policy (payer_modifier_policies dataset); BILLING_RULES.md §9"
RE_DERIVED = (
    "BILLING_RULES.md §4 (KX only where the threshold is exceeded), §6 (CO from the minutes), "
    "§8 (59/XU only for distinct services, never just to pass an edit)"
)
PROVISIONAL_MARGIN = (
    "otrcm policy (kx_provisional_margin dataset): a provisional total within the margin of the threshold is "
    "decided as if crossing it, because KX missing above the threshold is a denial; CMS Pub. 100-04 Ch. 5 §10.3"
)
