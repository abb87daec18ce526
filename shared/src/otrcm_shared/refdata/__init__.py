"""Effective-dated reference data with named sources."""

from otrcm_shared.refdata.code_catalog import CodeCatalog, CodeFamily, CodeInfo, TherapyStatus
from otrcm_shared.refdata.loader import (
    Dataset,
    DatasetVersion,
    NoVersionInEffect,
    load_builtin,
    load_dataset_file,
)
from otrcm_shared.refdata.payer_profiles import PayerKind, PayerProfile, PayerProfiles, UnknownPayer

__all__ = [
    "CodeCatalog",
    "CodeFamily",
    "CodeInfo",
    "Dataset",
    "DatasetVersion",
    "NoVersionInEffect",
    "PayerKind",
    "PayerProfile",
    "PayerProfiles",
    "TherapyStatus",
    "UnknownPayer",
    "load_builtin",
    "load_dataset_file",
]
