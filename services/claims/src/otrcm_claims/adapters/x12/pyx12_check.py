"""Validate an X12 interchange with pyx12 through its Python API, and turn its findings into issues.

How pyx12 is called (pyx12 4.0, ``pyx12.x12n_document.x12n_document``):
- ``param`` is ``pyx12.params.params()`` (the platform's params class; its bundled maps are used);
- ``src_file`` is an in-memory text stream holding the interchange (pyx12's reader accepts an open
  text object), so the claim data never touches the disk;
- ``fd_997`` receives the 999 pyx12 writes (parsed with :func:`parse_999`, IK404 copies dropped),
  ``fd_json`` the JSON error tree of its error handler (walked below); no HTML, no XML.
- It returns a bool, which is the verdict; an unknown ISA12/GS01/GS08 raises ``EngineError``
  ("Map not found") instead of returning False, and unreadable text returns False with no error
  tree: both become issues here, so validation fails closed.

PHI: pyx12 logs every element error with the bad value at ERROR level, and its error texts and
999 IK404 repeat the values. Its loggers are detached from the application's handlers, and issue
messages are written from the error codes, the segment/element position and the implementation
guide's element names only; pyx12's own text is kept only for ISA/GS/ST-level errors, which carry
control numbers and counts.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyx12.errors
import pyx12.map_index
import pyx12.params
import pyx12.x12n_document

from otrcm_claims.adapters.x12.error_codes import describe
from otrcm_claims.adapters.x12.parse_999 import parse_999
from otrcm_claims.domain import FunctionalGroupAck, Issue, IssueSource, Severity

ClaimAt = Callable[[int], str | None]


@dataclass(frozen=True, slots=True)
class Pyx12Verdict:
    """pyx12's verdict (``valid``), its findings as issues, and its 999 as parsed acknowledgments."""

    valid: bool
    issues: tuple[Issue, ...]
    acknowledgments: tuple[FunctionalGroupAck, ...]


def detach_pyx12_loggers() -> None:
    """pyx12's log records carry element values (PHI): keep them away from the application's handlers."""
    logger = logging.getLogger("pyx12")
    logger.propagate = False
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _issue(rule_id: str, location: str, message: str, claim_id: str | None = None) -> Issue:
    return Issue(rule_id, message, Severity.ERROR, location, IssueSource.PYX12, claim_id)


def validate_with_pyx12(x12_text: str, claim_at: ClaimAt | None = None) -> Pyx12Verdict:
    """Run pyx12 over ``x12_text`` (any transaction set pyx12 has a map for: 837P, 270, ...). ``claim_at`` maps
    a segment position (ST = 1) to its CLM01."""
    detach_pyx12_loggers()
    ack_out, json_out = io.StringIO(), io.StringIO()
    try:
        valid = bool(
            pyx12.x12n_document.x12n_document(
                param=pyx12.params.params(),
                src_file=io.StringIO(x12_text),
                fd_997=ack_out,
                fd_html=None,
                fd_xmldoc=None,
                fd_json=json_out,
            )
        )
    except pyx12.errors.EngineError as exc:
        if str(exc).startswith("Map not found"):
            message = "pyx12 has no map for this ISA12/GS01/GS08 (unknown implementation guide)"
            return Pyx12Verdict(False, (_issue("pyx12-unknown-implementation", "GS08", message),), ())
        return Pyx12Verdict(False, (_issue("pyx12-engine-error", "interchange", "pyx12 engine error"),), ())
    except Exception as exc:  # fail closed: a validator crash must hold the batch, not pass it
        message = f"pyx12 failed ({type(exc).__name__})"
        return Pyx12Verdict(False, (_issue("pyx12-failed", "interchange", message),), ())

    issues = list(_issues_from_error_tree(json_out.getvalue(), claim_at or (lambda _position: None)))
    if not valid and not issues:
        issues.append(_issue("pyx12-not-x12", "interchange", "pyx12 could not read the text as an X12 interchange"))
    return Pyx12Verdict(valid, tuple(issues), _acknowledgments(ack_out.getvalue()))


def pyx12_knows(implementation: str) -> bool:
    """Whether the installed pyx12 has a map for the implementation guide ``implementation`` (GS08)."""
    index = pyx12.map_index.map_index()  # the maps the installed pyx12 ships
    return any(index.get_filename("00501", implementation, fic) for fic in ("HC", "HS", "HB", "HP", "FA"))


def _acknowledgments(text: str) -> tuple[FunctionalGroupAck, ...]:
    """The 999 pyx12 wrote, parsed; pyx12 may leave it unfinished (it logs and stops), so it is optional."""
    try:
        return parse_999(text) if text else ()
    except ValueError:
        return ()


def _issues_from_error_tree(text: str, claim_at: ClaimAt) -> Iterator[Issue]:
    if not text:
        return
    tree: dict[str, Any] = json.loads(text)
    for isa in tree.get("interchanges", []):
        for error in isa.get("errors", []):
            code = error["err_cde"]
            yield _issue(f"pyx12-isa-{code}", "ISA/IEA", f"{describe('interchange', code)}: {error['err_str']}")
        for group in isa.get("groups", []):
            for error in group.get("errors", []):
                code = error["err_cde"]
                yield _issue(f"pyx12-gs-{code}", "GS/GE", f"{describe('group', code)}: {error['err_str']}")
            for transaction in group.get("transactions", []):
                yield from _transaction_issues(transaction, claim_at)


def _transaction_issues(transaction: dict[str, Any], claim_at: ClaimAt) -> Iterator[Issue]:
    where = f"ST/SE {transaction.get('trn_set_control_num')}"
    for error in transaction.get("errors", []):
        code = error["err_cde"]
        yield _issue(f"pyx12-st-{code}", where, f"{describe('transaction_set', code)}: {error['err_str']}")
    for segment in transaction.get("segments", []):
        seg_id, position = segment["seg_id"], int(segment["seg_count"])
        claim_id = claim_at(position)
        seg_where = f"{seg_id} at position {position}"
        for error in segment.get("errors", []):
            code = error["err_cde"]
            message = f"{seg_where} ({segment.get('name')}): {describe('segment', code)}"
            yield _issue(f"pyx12-segment-{code}", seg_where, message, claim_id)
        for element in segment.get("elements", []):
            name = f"{seg_id}{int(element['ele_pos']):02d}"
            if element.get("subele_pos"):
                name += f"-{element['subele_pos']}"
            for error in element.get("errors", []):
                code = error["err_cde"]
                label = f"{element.get('name')}, data element {element.get('ele_ref_num')}"
                message = f"{name} ({label}) at position {position}: {describe('element', code)}"
                yield _issue(f"pyx12-element-{code}", f"{name} at position {position}", message, claim_id)
