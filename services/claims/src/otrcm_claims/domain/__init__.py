"""Claims domain: the claim model, the project's own claim checks, what responses mean, the ``Claim``
aggregate and its state machine (``claim_aggregate``, ``lifecycle``), grouping days into claims
(``grouping``) and joining a draft into a claim (``claim_assembly``).

Pure: the standard library and the shared event contracts only (no I/O framework; checked by the
import contract).
Sources: ASC X12 005010X222A1 (837P), 005010X231A1 (999), 005010X214 (277CA), 005010X221A1 (835);
docs/billing-rules.md#11-x12; docs/billing-rules.md#3-discipline-modifiers (§3-6) and §10.
"""

from otrcm_claims.domain.acknowledgments import (
    BatchAcknowledgment,
    ClaimAcknowledgment,
    ClaimOutcome,
    ClaimStatus,
    ElementError,
    FunctionalGroupAck,
    LineAcknowledgment,
    SegmentError,
    TransactionSetAck,
    outcome_of,
)
from otrcm_claims.domain.claim import Claim, ClaimFrequency, ServiceLine, total_of
from otrcm_claims.domain.claim_rules import check_claim
from otrcm_claims.domain.denials import DenialCategorizer, DenialCategory, DenialFinding
from otrcm_claims.domain.icd10 import has_icd10_cm_shape, icd10_for_x12
from otrcm_claims.domain.issues import Issue, IssueSource, Severity, has_errors
from otrcm_claims.domain.line_matching import LineMatch, MatchMethod, match_lines
from otrcm_claims.domain.modifiers import ModifierFamily, ModifierPolicy, has_modifier_shape
from otrcm_claims.domain.npi import luhn_check_digit, npi_check_digit_is_valid
from otrcm_claims.domain.parties import (
    Address,
    BillingProvider,
    ClaimFilingIndicator,
    Patient,
    PatientRelationship,
    Payer,
    PersonName,
    Provider,
    Sex,
    Subscriber,
)
from otrcm_claims.domain.remittance import (
    Adjustment,
    ClaimPayment,
    ClaimPaymentStatus,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
)

__all__ = [
    "Address",
    "Adjustment",
    "BatchAcknowledgment",
    "BillingProvider",
    "Claim",
    "ClaimAcknowledgment",
    "ClaimFilingIndicator",
    "ClaimFrequency",
    "ClaimOutcome",
    "ClaimPayment",
    "ClaimPaymentStatus",
    "ClaimStatus",
    "DenialCategorizer",
    "DenialCategory",
    "DenialFinding",
    "ElementError",
    "FunctionalGroupAck",
    "Issue",
    "IssueSource",
    "LineAcknowledgment",
    "LineMatch",
    "MatchMethod",
    "ModifierFamily",
    "ModifierPolicy",
    "Patient",
    "PatientRelationship",
    "Payer",
    "PersonName",
    "Provider",
    "ProviderAdjustment",
    "Remittance",
    "SegmentError",
    "ServiceLine",
    "ServicePayment",
    "Severity",
    "Sex",
    "Subscriber",
    "TransactionSetAck",
    "check_claim",
    "has_errors",
    "has_icd10_cm_shape",
    "has_modifier_shape",
    "icd10_for_x12",
    "luhn_check_digit",
    "match_lines",
    "npi_check_digit_is_valid",
    "outcome_of",
    "total_of",
]
