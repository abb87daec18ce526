"""Effective-dated reference data with named sources."""

from otrcm_shared.refdata.code_catalog import CodeCatalog, CodeFamily, CodeInfo, TherapyStatus
from otrcm_shared.refdata.loader import (
    Dataset,
    DatasetVersion,
    NoVersionInEffect,
    load_builtin,
    load_dataset_file,
)

__all__ = [
    "CodeCatalog",
    "CodeFamily",
    "CodeInfo",
    "Dataset",
    "DatasetVersion",
    "NoVersionInEffect",
    "TherapyStatus",
    "load_builtin",
    "load_dataset_file",
]
