"""``otrcm-units calc``: JSON on stdout; bad input -> exit 2 and one line on stderr naming the argument."""

from __future__ import annotations

import json

import pytest

from otrcm_units.entrypoints.cli import main

pytestmark = pytest.mark.unit


def test_calc_prints_the_day_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """§20.2 Example 3 through the CLI: 33 min 97110 + 7 min 97140 -> 3 units (2 + 1)."""
    status = main(["calc", "--method", "cms", "--date", "2025-03-14", "97110=33", "97140=7"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert data["method"] == "cms"
    assert (data["total_timed_minutes"], data["total_units"]) == (40, 3)
    assert [(line["code"], line["billed_code"], line["minutes"], line["units"]) for line in data["lines"]] == [
        ("97110", "97110", 33, 2),
        ("97140", "97140", 7, 1),
    ]
    assert data["choices"] == []
    assert "40 minutes" in data["explanation"]


def test_calc_by_ama_and_the_reported_choices(capsys: pytest.CaptureFixture[str]) -> None:
    """AMA 7 + 7 + 7 min -> 0 units; CMS on the same minutes -> 1 unit and a three-way choice."""
    assert main(["calc", "--method", "ama", "97112=7", "97110=7", "97140=7"]) == 0
    assert json.loads(capsys.readouterr().out)["total_units"] == 0
    assert main(["calc", "--method", "cms", "97112=7", "97110=7", "97140=7"]) == 0
    choices = json.loads(capsys.readouterr().out)["choices"]
    assert choices == [
        {
            "tied_codes": ["97110", "97112", "97140"],
            "leftover_minutes": 7,
            "units_available": 1,
            "chosen_codes": ["97110"],
        }
    ]


def test_calc_shows_the_family_split(capsys: pytest.CaptureFixture[str]) -> None:
    """97129=40 -> 3 units: 97129 x1 then 97130 x2 (CPT 2020 family)."""
    assert main(["calc", "--method", "cms", "97129=40"]) == 0
    lines = json.loads(capsys.readouterr().out)["lines"]
    assert [(line["billed_code"], line["units"]) for line in lines] == [("97129", 1), ("97130", 2)]


def test_calc_can_add_the_trace(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calc", "--method", "cms", "--trace", "97110=33"]) == 0
    trace = json.loads(capsys.readouterr().out)["trace"]
    assert [step["step"] for step in trace][:2] == ["TimedMinutesPooled", "UnitTableLookup"]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["97110=20", "97999=10"], "'97999=10'"),
        (["97110=-5"], "'97110=-5'"),
        (["97110=7.5"], "'97110=7.5'"),
        (["97110=ten"], "'97110=ten'"),
        (["97110"], "'97110'"),
        (["=12"], "'=12'"),
    ],
    ids=["unknown-code", "negative-minutes", "fractional-minutes", "word-minutes", "no-equals", "no-code"],
)
def test_bad_input_exits_2_with_one_line_naming_the_argument(
    capsys: pytest.CaptureFixture[str], arguments: list[str], named: str
) -> None:
    status = main(["calc", "--method", "cms", *arguments])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.endswith("\n")
    assert named in err
    assert "Traceback" not in err


def test_an_unknown_code_is_named_as_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calc", "--method", "cms", "97999=10"]) == 2
    assert "unknown code 97999" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["calc", "--method", "medicare", "97110=10"],
        ["calc", "97110=10"],
        ["calc", "--method", "cms", "--date", "2025-02-30", "97110=10"],
        ["calc", "--method", "cms", "--date", "2019-06-01", "97110=10"],
        [],
    ],
    ids=["bad-method", "no-method", "bad-date", "no-catalog-that-day", "no-command"],
)
def test_bad_options_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """Option errors too: one line, no usage dump (the catalog starts 2020-01-01, so 2019 has none)."""
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
