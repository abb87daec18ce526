"""The topic registry: every topic's name, key, payload model and settings (partitions, replication,
minimum in-sync replicas, cleanup policy, retention), declared here once.

Topics are created and their settings applied from it at start-up (``runtime.kafka.ensure_topics``), their
JSON Schemas exported from it, and docs generated from it. Names follow ``otrcm.<noun>.<verb-past>.v<major>``;
a breaking change is a new major.
"""

from __future__ import annotations

from otrcm_shared.events.alerts import AlertRaised
from otrcm_shared.events.billing_providers import BillingProviderRegistered
from otrcm_shared.events.claim_actions import ClaimActionRequested
from otrcm_shared.events.claim_lines import ClaimLinesReady
from otrcm_shared.events.claim_status import ClaimStatusChanged
from otrcm_shared.events.day_verdict import DayJudged
from otrcm_shared.events.dead_letters import DeadLetter
from otrcm_shared.events.eligibility import EligibilityChecked, EligibilityRequested
from otrcm_shared.events.encounter_status import EncounterStatusChanged
from otrcm_shared.events.encounters import EncounterReceived
from otrcm_shared.events.patients import PatientRecorded
from otrcm_shared.events.plans import AuthorizationRecorded, PlanOfCareRecorded
from otrcm_shared.events.reference_data import ReferenceDataImported
from otrcm_shared.events.submissions import EncounterSubmission
from otrcm_shared.events.therapy_spend import TherapySpendRecorded
from otrcm_shared.events.units import UnitsCalculated
from otrcm_shared.topic_spec import TOPIC_NAME as TOPIC_NAME  # the spec's names, importable from here as before
from otrcm_shared.topic_spec import CleanupPolicy as CleanupPolicy
from otrcm_shared.topic_spec import TopicSpec as TopicSpec

PATIENT_KEY = "tenant_id + ':' + patient_key (opaque; keeps one beneficiary's events in order)"

ENCOUNTERS_SUBMITTED = TopicSpec(
    name="otrcm.encounters.submitted.v1",
    payload=EncounterSubmission,
    key="tenant_id + ':' + the client's encounter id",
    description="The ingestion topic for EHR feeds: encounters as clients submit them, validated by intake.",
    producers=("EHR feeds",),
    consumers=("intake",),
)
ENCOUNTERS_RECEIVED = TopicSpec(
    name="otrcm.encounters.received.v1",
    payload=EncounterReceived,
    key=PATIENT_KEY,
    description="Encounters intake validated and stored; billing facts only.",
    producers=("intake",),
    consumers=("units",),
)
ENCOUNTERS_UNITS_CALCULATED = TopicSpec(
    name="otrcm.encounters.units-calculated.v1",
    payload=UnitsCalculated,
    key=PATIENT_KEY,
    description="A billing day's units (revision n) with the day's encounters, trace and explanation.",
    producers=("units",),
    consumers=("poc", "status"),
)
CLAIM_LINES_READY = TopicSpec(
    name="otrcm.claim-lines.ready.v1",
    payload=ClaimLinesReady,
    key=PATIENT_KEY,
    description="A cleared day's billable lines with modifiers, units, expected amounts and rule results.",
    producers=("modifiers",),
    consumers=("claims", "status"),
)
CLAIM_STATUS = TopicSpec(
    name="otrcm.claims.status-changed.v2",
    payload=ClaimStatusChanged,
    key=PATIENT_KEY + "; so each claim's life, and one beneficiary's claims, stay in order",
    description="Every status change of a claim (built ... submitted, accepted, paid, denied), one stream per claim.",
    producers=("claims",),
    consumers=("modifiers", "status"),
)
CLAIM_ACTIONS = TopicSpec(
    name="otrcm.claim-actions.requested.v1",
    payload=ClaimActionRequested,
    key="tenant_id + ':' + claim id (a claim's actions stay in order)",
    description="A biller's approve or void of a claim, asked through the front door; the claims service acts.",
    producers=("intake",),
    consumers=("claims",),
)
DAY_VERDICTS = TopicSpec(
    name="otrcm.billing-days.judged.v2",
    payload=DayJudged,
    key=PATIENT_KEY,
    description="The plan-of-care gate's verdicts on a billing day (cleared or held, with reasons), in order.",
    producers=("poc",),
    consumers=("modifiers", "status"),
)
ENCOUNTER_STATUS = TopicSpec(
    name="otrcm.encounter-status.changed.v1",
    payload=EncounterStatusChanged,
    key="tenant_id + ':' + the client's encounter id (compacted: the newest record is the encounter's status)",
    description="Every encounter's status as its single writer, the status service, derives it; no PHI.",
    cleanup_policy=CleanupPolicy.COMPACT,
    retention_ms=None,
    producers=("status",),
)

ALERTS = TopicSpec(
    name="otrcm.alerts.raised.v1",
    payload=AlertRaised,
    key=PATIENT_KEY + "; tenant_id + ':reference-data' for tenant-wide reference-data alerts",
    description=(
        "Recertification or progress report due, authorization nearly used up, certification late; "
        "a reference dataset carried forward into a year it has no version for (once per tenant, dataset, year)."
    ),
    producers=("poc", "modifiers"),
    consumers=("status",),
)
PLANS_OF_CARE = TopicSpec(
    name="otrcm.plans-of-care.recorded.v1",
    payload=PlanOfCareRecorded,
    key=PATIENT_KEY,
    description="Plan-of-care steps (created, certified, recertified, progress report filed ...), IEPs too.",
    producers=("intake",),
    consumers=("poc", "status"),
)
AUTHORIZATIONS = TopicSpec(
    name="otrcm.authorizations.recorded.v1",
    payload=AuthorizationRecorded,
    key=PATIENT_KEY,
    description="Payer authorizations: visits or units for a date range.",
    producers=("intake",),
    consumers=("poc", "status"),
)
THERAPY_SPEND = TopicSpec(
    name="otrcm.therapy-spend.recorded.v1",
    payload=TherapySpendRecorded,
    key=PATIENT_KEY,
    description="Prior therapy spend by other providers per patient, year and bucket: where the accrual starts.",
    producers=("intake",),
    consumers=("modifiers",),
)
ELIGIBILITY_REQUESTED = TopicSpec(
    name="otrcm.eligibility.requested.v1",
    payload=EligibilityRequested,
    key=PATIENT_KEY,
    description="Ask a patient's payer about coverage (a 270): at a new patient, a new plan of care, or on demand.",
    producers=("intake",),
    consumers=("claims",),
)
ELIGIBILITY_CHECKED = TopicSpec(
    name="otrcm.eligibility.checked.v1",
    payload=EligibilityChecked,
    key=PATIENT_KEY,
    description="The payer's answer (a 271): coverage on the date, plan dates, therapy amounts; no PHI.",
    producers=("claims",),
)
PATIENTS = TopicSpec(
    name="otrcm.patients.recorded.v1",
    payload=PatientRecorded,
    key=PATIENT_KEY,
    description="Demographics and coverage (PHI); compacted, the latest record per patient.",
    cleanup_policy=CleanupPolicy.COMPACT,
    retention_ms=None,
    producers=("intake",),
    consumers=("claims",),
)
BILLING_PROVIDERS = TopicSpec(
    name="otrcm.billing-providers.registered.v1",
    payload=BillingProviderRegistered,
    key="tenant_id + ':' + billing NPI",
    description="The billing providers registered to each tenant (NPI, tax id, submitter, receiver); compacted.",
    cleanup_policy=CleanupPolicy.COMPACT,
    retention_ms=None,
    producers=("intake",),
    consumers=("claims",),
)
REFERENCE_DATA = TopicSpec(
    name="otrcm.reference-data.v1",
    payload=ReferenceDataImported,
    key="dataset + ':' + version (compacted: the newest record per dataset version is in force)",
    description=(
        "Reference dataset versions imported at run time (otrcm-refdata import): every service reads the topic "
        "on start and follows it, layering these versions over its shipped datasets (docs/adr/009)."
    ),
    partitions=1,
    cleanup_policy=CleanupPolicy.COMPACT,
    retention_ms=None,
    producers=("otrcm-refdata",),
    consumers=("intake", "units", "poc", "modifiers", "claims", "status"),
)
DEAD_LETTERS = TopicSpec(
    name="otrcm.dead-letters.v1",
    payload=DeadLetter,
    key="stage + ':' + source topic/partition/offset",
    description="Records a stage could not process: reason code, message, and where the original is.",
    partitions=1,
    retention_ms=30 * 24 * 3600 * 1000,
    producers=("intake", "units", "poc", "modifiers", "claims", "status"),
)

# Every topic of the pipeline is declared above and listed here; a new topic is a new entry.
_TOPICS = (
    ENCOUNTERS_SUBMITTED,
    ENCOUNTERS_RECEIVED,
    ENCOUNTERS_UNITS_CALCULATED,
    CLAIM_LINES_READY,
    CLAIM_STATUS,
    CLAIM_ACTIONS,
    DAY_VERDICTS,
    ENCOUNTER_STATUS,
    ALERTS,
    PLANS_OF_CARE,
    AUTHORIZATIONS,
    THERAPY_SPEND,
    PATIENTS,
    ELIGIBILITY_REQUESTED,
    ELIGIBILITY_CHECKED,
    BILLING_PROVIDERS,
    REFERENCE_DATA,
    DEAD_LETTERS,
)
REGISTRY: dict[str, TopicSpec] = {spec.name: spec for spec in _TOPICS}

# Topics once released and no longer produced or read, each with the decision that retired it. Their released
# schemas stay in shared/schemas/released/ as history; a topic leaves the registry only by being named here.
RETIRED: dict[str, str] = {
    **{
        f"otrcm.claims.{verb}.v1": "docs/adr/010 step 5: a claim's life is otrcm.claims.status-changed.v2"
        for verb in ("held", "submitted", "accepted", "rejected", "paid", "denied")
    },
    **{
        f"otrcm.encounters.{verdict}.v1": "docs/adr/010 step 5: a day's verdicts are otrcm.billing-days.judged.v2"
        for verdict in ("cleared", "held")
    },
}


def all_topics() -> list[TopicSpec]:
    return sorted(REGISTRY.values(), key=lambda spec: spec.name)


def billing_provider_key(tenant_id: str, npi: str) -> bytes:
    """The Kafka key of a billing provider's registration (organisational ids, not PHI)."""
    return f"{tenant_id}:{npi}".encode()


def tenant_key(tenant_id: str, subject: str) -> bytes:
    """The Kafka key of a tenant-wide event (no patient): tenant and a fixed subject name."""
    return f"{tenant_id}:{subject}".encode()


def encounter_key(tenant_id: str, encounter_id: str) -> bytes:
    """The Kafka key of an encounter's status: tenant and the client's encounter id (an id, not PHI)."""
    return f"{tenant_id}:{encounter_id}".encode()


def partition_key(tenant_id: str, patient_key: str) -> bytes:
    """The Kafka key of every per-patient topic: tenant and opaque patient key, never PHI."""
    return f"{tenant_id}:{patient_key}".encode()


def claim_key(tenant_id: str, claim_id: str) -> bytes:
    """The Kafka key of a claim's actions: tenant and claim id (an opaque id, not PHI)."""
    return f"{tenant_id}:{claim_id}".encode()
