"""X12 for the claims service: render the 837P, validate it (pyx12 + project checks), read responses.

- :func:`render_837p`: one 837P (005010X222A1) interchange per payer per batch.
- :func:`validate_837p`: the project's claim checks plus pyx12 through its Python API.
- :func:`parse_999`, :func:`parse_277ca`, :func:`parse_835`: what comes back.
"""

from otrcm_claims.adapters.x12.envelope import ControlNumbers, InterchangeParty, TradingPartners, Usage
from otrcm_claims.adapters.x12.loops_837p import Receiver, Submitter
from otrcm_claims.adapters.x12.parse_277ca import acknowledgments_for, parse_277ca
from otrcm_claims.adapters.x12.parse_835 import parse_835
from otrcm_claims.adapters.x12.parse_999 import parse_999
from otrcm_claims.adapters.x12.pyx12_check import Pyx12Verdict, validate_with_pyx12
from otrcm_claims.adapters.x12.reader import ParsedSegment, X12ReadError, read_segments
from otrcm_claims.adapters.x12.render_837p import Rendered837P, render_837p
from otrcm_claims.adapters.x12.segments import Composite, Segment, Separators, X12SyntaxError, render_segments, seg
from otrcm_claims.adapters.x12.validate import ValidationReport, validate_837p, validate_x12_text

__all__ = [
    "Composite",
    "ControlNumbers",
    "InterchangeParty",
    "ParsedSegment",
    "Pyx12Verdict",
    "Receiver",
    "Rendered837P",
    "Segment",
    "Separators",
    "Submitter",
    "TradingPartners",
    "Usage",
    "ValidationReport",
    "X12ReadError",
    "X12SyntaxError",
    "acknowledgments_for",
    "parse_277ca",
    "parse_835",
    "parse_999",
    "read_segments",
    "render_837p",
    "render_segments",
    "seg",
    "validate_837p",
    "validate_with_pyx12",
    "validate_x12_text",
]
