"""The rule id and source each category of finding names (docs/billing-rules.md and the primary sources)."""

from __future__ import annotations

from otrcm_audit.domain.findings import Category

RULES: dict[Category, tuple[str, str]] = {
    Category.UNITS_UNDERBILLED: (
        "units_by_payer_method",
        "docs/billing-rules.md#1-units; CMS Pub. 100-04 Ch. 5 §20.2 (total time) or the AMA CPT time rule",
    ),
    Category.UNITS_OVERBILLED: (
        "units_by_payer_method",
        "docs/billing-rules.md#1-units; CMS Pub. 100-04 Ch. 5 §20.2 (total time) or the AMA CPT time rule",
    ),
    Category.MODIFIER_MISSING_GO: (
        "discipline_modifier_on_every_therapy_line",
        "docs/billing-rules.md#3-discipline-modifiers; CMS Pub. 100-04 Ch. 5 §20.1",
    ),
    Category.MODIFIER_MISSING_KX: (
        "kx_required_once_threshold_exceeded",
        "docs/billing-rules.md#4-threshold-and-kx; CMS Pub. 100-04 Ch. 5 §10.3",
    ),
    Category.MODIFIER_MISSING_CO: (
        "co_applies_when_assistant_over_ten_percent",
        "docs/billing-rules.md#6-assistants-co; CMS Pub. 100-04 Ch. 5 §20.1; SSA §1834(v)",
    ),
    Category.NCCI_UNMODIFIED_PAIR: (
        "column_two_code_needs_distinct_service",
        "docs/billing-rules.md#8-ncci-and-mue; NCCI Policy Manual Ch. XI",
    ),
    Category.POC_MISSING_OR_EXPIRED: (
        "certified_plan_covers_the_date",
        "docs/billing-rules.md#5-plan-of-care; CMS Pub. 100-02 Ch. 15 §220.1.1-220.1.3",
    ),
    Category.PROGRESS_REPORT_LAPSED: (
        "progress_report_every_ten_treatment_days",
        "docs/billing-rules.md#5-plan-of-care; CMS Pub. 100-02 Ch. 15 §220.3",
    ),
    Category.AUTHORIZATION_EXCEEDED: (
        "authorization_covers_the_visit",
        "docs/billing-rules.md#9-missouri-payers; 13 CSR 70-70.010; the payer's authorization",
    ),
    Category.ENCOUNTER_UNBILLED: (
        "every_documented_billable_day_is_billed",
        "docs/billing-rules.md#1-units to §8 (what the day bills); ASC X12 005010X222A1",
    ),
    Category.CLAIM_UNACKNOWLEDGED: (
        "claim_acknowledged_by_999_or_277ca",
        "docs/billing-rules.md#11-x12; ASC X12 005010X231A1 (999) and 005010X214 (277CA)",
    ),
    Category.TIMELY_FILING_RISK: (
        "timely_filing_limit_of_the_payer",
        "payer_profiles.json timely_filing_days; 42 CFR 424.44 (Medicare); 13 CSR 70-3.100 (MO HealthNet)",
    ),
    Category.UNDERPAID: (
        "allowed_at_least_expected",
        "docs/billing-rules.md#7-payment-and-mppr and §12 (allowed amount); ASC X12 005010X221A1",
    ),
    Category.DENIAL_UNWORKED: (
        "denial_corrected_or_appealed",
        "docs/billing-rules.md#10-denials and §14 (replacement claims); ASC X12 005010X221A1",
    ),
}

# The gate's hold reasons (otrcm_poc ReasonCode values) and the category a billed day held for them falls in.
HOLD_CATEGORIES: dict[str, Category] = {
    "POC_MISSING": Category.POC_MISSING_OR_EXPIRED,
    "POC_NOT_CERTIFIED": Category.POC_MISSING_OR_EXPIRED,
    "POC_EXPIRED": Category.POC_MISSING_OR_EXPIRED,
    "POC_CERTIFICATION_LATE": Category.POC_MISSING_OR_EXPIRED,
    "IEP_MISSING": Category.POC_MISSING_OR_EXPIRED,
    "IEP_EXPIRED": Category.POC_MISSING_OR_EXPIRED,
    "PROGRESS_REPORT_OVERDUE": Category.PROGRESS_REPORT_LAPSED,
    "AUTH_MISSING": Category.AUTHORIZATION_EXCEEDED,
    "AUTH_EXHAUSTED": Category.AUTHORIZATION_EXCEEDED,
    "AUTH_EXPIRED": Category.AUTHORIZATION_EXCEEDED,
}

DISTINCT_SERVICE_MODIFIERS = frozenset({"59", "XE", "XP", "XS", "XU"})
KX_HOLD = "KX_NEEDS_ATTESTATION"
