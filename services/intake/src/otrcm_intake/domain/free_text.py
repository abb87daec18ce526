"""Text fields without a pattern (names, address lines, member ids, reasons) still hold text only.

Rule ``text.no_control_characters``: no C0/C1 control character (NUL, CR, LF, tab, DEL ...). PostgreSQL
cannot store NUL, and CR/LF and the other controls break the line- and segment-based files (X12) the
text ends up in. Rule ``text.unicode``: no lone surrogate (it cannot be encoded as UTF-8, so the
record could be neither hashed nor published). Rule ``text.max_length``: no text longer than the
X12 element it ends up in allows (``MAX_LENGTH_BY_FIELD``, 005010X222A1: names 60, address lines 55,
city 30, member and group ids 50 and 80) or, for any other text, ``MAX_TEXT_LENGTH``: refused, never
truncated, since a truncated name or id bills someone else. Fields with a pattern cannot break these
rules anyway; the rules look at every string so none is forgotten. Messages name the field, never its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from otrcm_intake.domain.violations import Violation

CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NOT_PLAIN = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # either of the two: one search per text
MAX_TEXT_LENGTH = 500
MAX_LENGTH_BY_FIELD = {
    "first_name": 35, "last_name": 60, "line1": 55, "line2": 55, "city": 30,
    "member_id": 80, "group_number": 50, "location_id": 64, "location_ids": 64, "reason": 500,
}  # fmt: skip


def texts_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(dotted path, text) of every string in a dumped model, depth first."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value, start=1):
            yield from texts_in(item, f"{path}.{index}" if path else str(index))


@lru_cache(maxsize=1024)  # the same paths come back on every encounter
def longest_allowed(path: str) -> int:
    """The length limit of the field at ``path`` (its last name that is not an index)."""
    names = [part for part in path.split(".") if not part.isdigit()]
    return MAX_LENGTH_BY_FIELD.get(names[-1] if names else "", MAX_TEXT_LENGTH)


def text_is_plain(submission: BaseModel) -> list[Violation]:
    found = []
    for path, text in texts_in(submission.model_dump()):
        limit = longest_allowed(path)
        if len(text) > limit:
            message = f"at most {limit} characters here (longer text is refused, never cut)"
            found.append(Violation(path, "text.max_length", message))
        elif _NOT_PLAIN.search(text) is None:
            continue
        elif LONE_SURROGATE.search(text):
            found.append(Violation(path, "text.unicode", "the text holds a lone surrogate, which is not valid Unicode"))
        elif CONTROL_CHARACTER.search(text):
            found.append(
                Violation(
                    path,
                    "text.no_control_characters",
                    "control characters (NUL, CR, LF, tab and the like) are not allowed in text",
                )
            )
    return found
