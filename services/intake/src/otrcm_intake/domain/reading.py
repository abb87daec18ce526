"""Read a submitted record as far as it can be read, so that every error of a request is answered at once.

A body whose date cannot be read used to hide a bad NPI and an unknown code until the next attempt:
the schema failed, so no rule ran. Here each value that fails the schema is set aside (its schema error
is reported) and replaced by a neutral value, the record is read again, and the rules run on it. A rule's
finding is kept only when it stands on values that could be read: it is dropped when its path is, lies
inside or contains an unreadable value, or when one of the values it also reads (``also_reads``, globs
over paths) could not be read. So the neutral values never produce an error of their own.

Paths are dotted and count list positions from 1 (``lines.2.minutes`` is the second line, whose
``line_number`` is 2; ``diagnoses.1`` is the diagnosis that pointer 1 names).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from otrcm_intake.domain.schema_errors import path_of, violations_from
from otrcm_intake.domain.violations import Violation

M = TypeVar("M", bound=BaseModel)
Location = tuple[int | str, ...]
_ABSENT = object()


@dataclass(frozen=True)
class Reading(Generic[M]):
    """A record as read: ``record`` (None when nothing could be read), its schema ``problems`` and the paths
    of the values that could not be read (replaced by neutral values in ``record``)."""

    record: M | None
    problems: tuple[Violation, ...] = ()
    unreadable: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, record: M) -> Reading[M]:
        """A record that was read whole."""
        return cls(record)

    @property
    def whole(self) -> bool:
        return self.record is not None and not self.problems

    def readable(self, path: str) -> bool:
        return not any(_related(path, broken) for broken in self.unreadable)

    def text(self, name: str) -> str:
        """A top-level text field when it could be read ("" otherwise): ids for answers, never a neutral value."""
        value = getattr(self.record, name, None) if self.readable(name) else None
        return value if isinstance(value, str) else ""

    def with_rules(self, found: Sequence[Violation], also_reads: Mapping[str, Sequence[str]]) -> list[Violation]:
        """The schema problems, then each rule finding that stands on readable values only."""
        kept = [
            violation
            for violation in found
            if self.readable(violation.path) and not self._reads_unreadable(also_reads.get(violation.rule, ()))
        ]
        return [*self.problems, *kept]

    def _reads_unreadable(self, globs: Sequence[str]) -> bool:
        return any(fnmatchcase(broken, glob) for glob in globs for broken in self.unreadable)


def read_record(model: type[M], raw: Any, neutral: Mapping[str, Any]) -> Reading[M]:
    """``raw`` (decoded JSON) read as ``model``; ``neutral``: a valid record (as plain data) whose values stand in
    for unreadable ones (a list's first item stands in for any item of that list)."""
    try:
        return Reading(model.model_validate(raw))
    except ValidationError as error:
        problems = tuple(violations_from(error))
        items = error.errors(include_input=False, include_url=False)
    unreadable = frozenset(path_of(item["loc"]) for item in items if item["type"] != "extra_forbidden")
    repaired = _repaired(raw, items, neutral)
    if repaired is None:
        return Reading(None, problems, unreadable | {"<body>"})
    try:
        return Reading(model.model_validate(repaired), problems, unreadable)
    except ValidationError:
        return Reading(None, problems, unreadable | {"<body>"})


def _related(path: str, broken: str) -> bool:
    return broken == "<body>" or path == broken or path.startswith(broken + ".") or broken.startswith(path + ".")


def _repaired(raw: Any, items: Sequence[Any], neutral: Mapping[str, Any]) -> Any:
    """A copy of ``raw`` with unknown members removed and unreadable values replaced; None when it cannot be."""
    if not isinstance(raw, dict):
        return None
    data = copy.deepcopy(raw)
    replaced: list[Location] = []
    for item in sorted(items, key=lambda item: len(item["loc"])):
        location: Location = tuple(item["loc"])
        if not location:
            return None
        if any(location[: len(done)] == done for done in replaced):
            continue  # inside a value already replaced whole
        container = _at(data, location[:-1])
        if item["type"] == "extra_forbidden":
            if isinstance(container, dict):
                container.pop(location[-1], None)
            continue
        stand_in = _neutral_at(neutral, location)
        if stand_in is _ABSENT or not _put(container, location[-1], copy.deepcopy(stand_in)):
            return None
        replaced.append(location)
    return data


def _at(data: Any, location: Location) -> Any:
    for step in location:
        found_in_dict = isinstance(data, dict) and step in data
        if found_in_dict or (isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data)):
            data = data[step]
        else:
            return _ABSENT
    return data


def _neutral_at(neutral: Any, location: Location) -> Any:
    for step in location:
        if isinstance(neutral, Mapping) and isinstance(step, str):
            neutral = neutral.get(step, _ABSENT)
        elif isinstance(neutral, list | tuple) and isinstance(step, int) and neutral:
            neutral = neutral[0]
        else:
            return _ABSENT
        if neutral is _ABSENT:
            return _ABSENT
    return neutral


def _put(container: Any, step: int | str, value: Any) -> bool:
    if isinstance(container, dict) and isinstance(step, str):
        container[step] = value
        return True
    if isinstance(container, list) and isinstance(step, int) and 0 <= step < len(container):
        container[step] = value
        return True
    return False
