"""Resubmissions: the same id with the same content is a duplicate; with other content, a conflict or
(for records that change over time, such as a patient's coverage) a new version."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel

from otrcm_intake.usecases.outcomes import Outcome


def content_hash(model: BaseModel) -> str:
    return hashlib.sha256(model.model_dump_json().encode()).hexdigest()


def repeat_outcome(existing: Any, digest: str, *, new_versions_allowed: bool = False) -> Outcome | None:
    """DUPLICATE or CONFLICT for a repeated id; None when the content is new (first time, or a new version)."""
    if existing is None:
        return None
    if existing.content_hash == digest:
        return Outcome.DUPLICATE
    return None if new_versions_allowed else Outcome.CONFLICT
