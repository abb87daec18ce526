"""The plan-of-care aggregate as plain frozen data; events change it (:mod:`plan_transitions`).

The derived views (certification intervals, certification timeliness, status on a date, progress-report
periods) are functions of this data in their own modules, so the stored record stays small and a stored
plan replays to the same answers. Source of the fields: Pub. 100-02 Ch. 15 §220.1.2-220.1.3, §220.3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from otrcm_poc.domain.credentials import CertifierCredential
from otrcm_shared.events.encounters import Discipline


class CertificationMethod(StrEnum):
    """How the initial certification was documented.

    ``signature``: the physician/NPP signed and dated the plan. ``verbal_order``: a dated verbal order to
    certify, to be followed by a signature within 14 days. ``written_order_exception``: from 2025, no
    signature because a signed, dated order/referral is on file and the plan was sent within 30 days
    (derived, never stored: see :func:`initial_certification_status`).
    """

    SIGNATURE = "signature"
    VERBAL_ORDER = "verbal_order"
    WRITTEN_ORDER_EXCEPTION = "written_order_exception"


@dataclass(frozen=True, slots=True)
class Certifier:
    """The physician/NPP who certified: NPI and a credential allowed to certify (already checked)."""

    npi: str
    credential: CertifierCredential


@dataclass(frozen=True, slots=True)
class InitialCertification:
    """The physician/NPP's certification of the initial plan.

    ``dated_on`` is the date of the documented certification: the signature date for ``signature``, the
    verbal order's date for ``verbal_order``. ``signed_on`` is the signature date (equal to ``dated_on``
    for a signature; ``None`` while a verbal order awaits its signature). ``duration_days`` is set when
    the physician/NPP certified a different duration than the plan's (still at most 90 days).
    """

    method: CertificationMethod
    certifier: Certifier
    dated_on: date
    signed_on: date | None
    duration_days: int | None = None


@dataclass(frozen=True, slots=True)
class Recertification:
    """A signed recertification: a new interval of at most 90 days (a signature is always needed).

    ``starts_on`` is the first day it covers when the recertification states one (a significant change
    of the plan mid-interval); ``None`` means the day after the previous interval ends.
    ``late_reason`` is the recorded reason for a delayed recertification (free text: never in a message).
    """

    signed_on: date
    certifier: Certifier
    duration_days: int
    starts_on: date | None = None
    late_reason: str | None = None


@dataclass(frozen=True, slots=True)
class PlanOfCare:
    """One plan of care of one patient and discipline, from its evaluation to its discontinuation.

    ``evaluation_date`` is the first treatment (the evaluation that produced the plan is included).
    ``duration_days`` is the plan's own duration, counted with the evaluation as day 1 (a plan given
    with an end date has ``end - evaluation + 1`` days). ``treatment_dates`` are the distinct dates of
    service furnished under the plan (the evaluation date is implied); ``progress_report_dates`` are
    the dates progress reports were written.
    """

    plan_id: str
    patient_key: str
    evaluation_date: date
    duration_days: int
    discipline: Discipline = Discipline.OT
    low_vision: bool = False
    written_order_on_file: bool = False
    sent_on: date | None = None
    certification: InitialCertification | None = None
    late_reason: str | None = None
    recertifications: tuple[Recertification, ...] = ()
    discontinued_on: date | None = None
    treatment_dates: tuple[date, ...] = ()
    progress_report_dates: tuple[date, ...] = ()
