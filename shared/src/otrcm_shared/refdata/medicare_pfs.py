"""Typed view of the Medicare Physician Fee Schedule inputs: RVUs, GPCIs, conversion factor, payment shares.

Data: ``data/medicare_pfs_rvus.json``, ``data/medicare_gpci.json``, ``data/medicare_conversion_factor.json``
and ``data/medicare_therapy_payment_rules.json``; each version names the CMS file it was copied from.
Values are ``Decimal`` (JSON strings), so nothing is lost to binary floating point.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import Field

from otrcm_shared.events.base import StrictModel
from otrcm_shared.events.reference_data import DatasetUsed
from otrcm_shared.refdata.loader import Dataset, builtin_view, current_dataset
from otrcm_shared.refdata.therapy_limits import SourcedAmount, sourced_amount

THERAPY_MPPR_INDICATOR = "5"  # PPRRVU "MULT PROC" 5: therapy multiple-procedure payment reduction applies


class CodeRvus(StrictModel):
    """National RVUs of one code (no modifier) from the CMS PPRRVU file."""

    code: str
    work: Decimal = Field(ge=0)
    pe_nonfacility: Decimal = Field(ge=0)
    pe_facility: Decimal | None = Field(default=None, ge=0)
    mp: Decimal = Field(ge=0)
    mult_proc: str = Field(description="PPRRVU multiple procedure indicator; 5 = therapy MPPR.")
    status: str | None = Field(default=None, description="PPRRVU status code; A = active, paid under the PFS.")
    cms_description: str | None = None

    @property
    def therapy_mppr_applies(self) -> bool:
        return self.mult_proc == THERAPY_MPPR_INDICATOR


class LocalityGpci(StrictModel):
    """The three geographic practice cost indices of one Medicare payment locality."""

    locality: str = Field(description="'<state>-<locality number>', e.g. 'MO-01'.")
    mac: str
    name: str
    work: Decimal = Field(gt=0)
    pe: Decimal = Field(gt=0)
    mp: Decimal = Field(gt=0)


class TherapyPaymentShares(StrictModel):
    """Shares Medicare pays on therapy lines: CO/CQ lines, and the PE of every unit after the first (MPPR)."""

    assistant_line_share: Decimal = Field(gt=0, le=1)
    mppr_later_unit_pe_share: Decimal = Field(gt=0, le=1)
    version: str
    source: str
    used: DatasetUsed | None = None


class PfsRvus:
    """The RVUs in effect on one date (or carried forward to it: ``used.provisional``), by code."""

    def __init__(self, codes: dict[str, CodeRvus], version: str, source: str, used: DatasetUsed | None = None) -> None:
        self._codes = codes
        self.version = version
        self.source = source
        self.used = used or DatasetUsed(dataset="medicare_pfs_rvus", version=version)

    @classmethod
    def from_dataset(cls, dataset: Dataset, on: date) -> PfsRvus:
        version, _ = dataset.resolve(on)
        codes = {code: CodeRvus.model_validate({"code": code, **row}) for code, row in version.data["codes"].items()}
        return cls(codes, version.version, dataset.source_of(version), dataset.used(on))

    @classmethod
    def builtin(cls, on: date) -> PfsRvus:
        return builtin_view(cls.from_dataset, "medicare_pfs_rvus", on)

    def get(self, code: str) -> CodeRvus | None:
        return self._codes.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._codes


class MedicareGpcis:
    """The GPCIs in effect on one date (or carried forward to it: ``used.provisional``), by locality key."""

    def __init__(
        self, localities: dict[str, LocalityGpci], version: str, source: str, used: DatasetUsed | None = None
    ) -> None:
        self._localities = localities
        self.version = version
        self.source = source
        self.used = used or DatasetUsed(dataset="medicare_gpci", version=version)

    @classmethod
    def from_dataset(cls, dataset: Dataset, on: date) -> MedicareGpcis:
        version, _ = dataset.resolve(on)
        localities = {
            key: LocalityGpci.model_validate({"locality": key, **row})
            for key, row in version.data["localities"].items()
        }
        return cls(localities, version.version, dataset.source_of(version), dataset.used(on))

    @classmethod
    def builtin(cls, on: date) -> MedicareGpcis:
        return builtin_view(cls.from_dataset, "medicare_gpci", on)

    def get(self, locality: str) -> LocalityGpci | None:
        return self._localities.get(locality)

    @property
    def localities(self) -> tuple[str, ...]:
        return tuple(sorted(self._localities))


def conversion_factor(on: date, dataset: Dataset | None = None) -> SourcedAmount:
    """The PFS conversion factor (non-qualifying APM participants) for ``on`` (carried forward: provisional)."""
    return sourced_amount(dataset or current_dataset("medicare_conversion_factor"), "conversion_factor", on)


def therapy_payment_shares(on: date, dataset: Dataset | None = None) -> TherapyPaymentShares:
    """The CO/CQ share and the MPPR practice-expense share in effect on ``on``."""
    dataset = dataset or current_dataset("medicare_therapy_payment_rules")
    version, _ = dataset.resolve(on)
    return TherapyPaymentShares.model_validate(
        {**version.data, "version": version.version, "source": dataset.source_of(version), "used": dataset.used(on)}
    )


@dataclass(frozen=True, slots=True)
class MedicarePfsValues:
    """Everything the Medicare expected amount needs for one date: RVUs, GPCIs, CF and payment shares."""

    rvus: PfsRvus
    gpcis: MedicareGpcis
    conversion_factor: SourcedAmount
    shares: TherapyPaymentShares

    @classmethod
    def builtin(cls, on: date) -> MedicarePfsValues:
        """The values for ``on`` (imported over shipped; a dataset without a version for the date carries its
        newest earlier version forward, provisional); raises ``NoVersionInEffect`` naming a dataset that has
        no version on or before ``on``."""
        return cls(PfsRvus.builtin(on), MedicareGpcis.builtin(on), conversion_factor(on), therapy_payment_shares(on))

    @property
    def datasets_used(self) -> tuple[DatasetUsed, ...]:
        """The four dataset versions an amount priced from these values used."""
        shares = self.shares.used or DatasetUsed(dataset="medicare_therapy_payment_rules", version=self.shares.version)
        return (self.rvus.used, self.gpcis.used, self.conversion_factor.used, shares)

    @property
    def provisional(self) -> tuple[DatasetUsed, ...]:
        """The datasets carried forward to the date (empty: every value covers it)."""
        return tuple(used for used in self.datasets_used if used.provisional)
