"""``otrcm-units``: the units service's console entry point.

``otrcm-units calc --method cms|ama [--date YYYY-MM-DD] [--trace] CODE=MINUTES [CODE=MINUTES ...]``
prints one day's units as JSON. Bad input (unknown code, negative or non-whole minutes, a malformed
argument, a bad option) exits with status 2 and one line on stderr naming the offending argument.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from datetime import date

from otrcm_shared.refdata import CodeCatalog, NoVersionInEffect
from otrcm_shared.runtime.entrypoint import UsageError, service_main
from otrcm_shared.runtime.settings import RuntimeSettings
from otrcm_units.domain import (
    DayUnits,
    MinutesLine,
    UnitMethod,
    UnknownCode,
    calculate_day,
    day_units_as_plain_data,
)

_LINE_ARGUMENT = re.compile(r"(?P<code>[^=\s]+)=(?P<minutes>.*)")
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")


def render_day_units_json(day: DayUnits, *, include_trace: bool = False) -> str:
    """The day's result as the JSON text ``calc`` prints (keys: see ``day_units_as_plain_data``)."""
    return json.dumps(day_units_as_plain_data(day, include_trace=include_trace), indent=2, ensure_ascii=False)


def parse_minutes_line(position: int, argument: str) -> MinutesLine:
    """``CODE=MINUTES`` -> a line with id ``str(position)``; :class:`UsageError` naming ``argument``."""
    match = _LINE_ARGUMENT.fullmatch(argument)
    if match is None:
        raise UsageError(f"argument '{argument}': expected CODE=MINUTES, e.g. 97110=23")
    minutes_text = match["minutes"].strip()
    if not _WHOLE_NUMBER.fullmatch(minutes_text):
        raise UsageError(f"argument '{argument}': minutes must be a whole number, got '{minutes_text}'")
    minutes = int(minutes_text)
    if minutes < 0:
        raise UsageError(f"argument '{argument}': minutes must not be negative")
    return MinutesLine(str(position), match["code"].upper(), minutes)


def run_calc(args: argparse.Namespace) -> int:
    """``calc``: one day's units by the chosen method, printed as JSON on stdout."""
    arguments: list[str] = args.lines
    lines = [parse_minutes_line(position, argument) for position, argument in enumerate(arguments, 1)]
    on: date = args.date or RuntimeSettings().today()
    try:
        catalog = CodeCatalog.builtin(on)
    except NoVersionInEffect as missing:
        raise UsageError(f"argument --date {on.isoformat()}: {missing}") from None
    try:
        day = calculate_day(lines, UnitMethod(args.method), catalog)
    except UnknownCode as unknown:
        argument = arguments[int(unknown.line_id) - 1]
        raise UsageError(
            f"argument '{argument}': unknown code {unknown.code} (not in the code catalog {catalog.version})"
        ) from None
    print(render_day_units_json(day, include_trace=args.trace))
    return 0


def add_calc_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``calc`` (fits the shared runtime's ``service_main(add_commands=...)`` hook too)."""
    calc = commands.add_parser(
        "calc",
        help="units for one day's timed and untimed codes",
        description="Billable units for one patient, one discipline, one date of service.",
    )
    calc.add_argument(
        "--method",
        required=True,
        choices=[method.value for method in UnitMethod],
        help="cms: CMS total-time method (Medicare); ama: AMA/CPT per-code rule of eights",
    )
    calc.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        help="date of service for the code catalog lookup, YYYY-MM-DD (default: today)",
    )
    calc.add_argument("--trace", action="store_true", help="add the audit trace to the JSON")
    calc.add_argument("lines", nargs="+", metavar="CODE=MINUTES", help="a code and its minutes, e.g. 97110=23")
    calc.set_defaults(handler=run_calc)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``otrcm-units``; returns the exit status (2 with one stderr line on bad input)."""
    from otrcm_units.entrypoints.app import NAME, build_app

    return service_main(
        NAME, build_app, argv, add_calc_command, description="otrcm units service: minutes -> billable units"
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date YYYY-MM-DD") from None
