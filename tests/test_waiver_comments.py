"""Reading inline waiver comments and tying them to blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lintsov.finding import Finding
from lintsov.load.waiver_comments import waivers_in
from lintsov.stack import SourceLocation
from lintsov.waivers import apply, problem


@dataclass(frozen=True)
class Span:
    start: int
    end: int


TEXT = """# unrelated comment
// lintsov:ignore sov001, SOV002 reason="contract \\"EU-7\\"" until=2030-01-01
# another comment between
resource "a" "b" {
  x = "# lintsov:ignore SOV003 reason=inside-a-string"
  # lintsov:ignore SOV003 reason=bare-word
}

# lintsov:ignore AUT001 reason="orphan"

resource "a" "c" {
}
"""


def test_waivers_are_tied_to_their_blocks() -> None:
    waivers = list(waivers_in("main.tf", TEXT, [Span(4, 7), Span(11, 12)]))
    assert [(w.line, w.rules, w.reason, w.until, w.block_start) for w in waivers] == [
        (2, ("SOV001", "SOV002"), 'contract "EU-7"', "2030-01-01", 4),
        (6, ("SOV003",), "bare-word", "", 4),
        (9, ("AUT001",), "orphan", "", 0),
    ]


def test_problems() -> None:
    (valid, inside, orphan) = waivers_in("main.tf", TEXT, [Span(4, 7), Span(11, 12)])
    today = date(2026, 11, 29)
    assert problem(valid, today) is None
    assert problem(valid, date(2030, 1, 2)) == "expired on 2030-01-01, so it no longer waives"
    assert problem(inside, today) is None
    assert problem(orphan, today) == "is not on or right before a block, so it waives nothing"
    (bad_date,) = waivers_in(
        "m.tf", '# lintsov:ignore SOV001 reason="x" until=soon\nresource "a" "b" {}\n', [Span(2, 2)]
    )
    assert problem(bad_date, today) == "until=soon is not a date (YYYY-MM-DD), so it waives nothing"


def test_a_waiver_covers_only_its_rules_and_block() -> None:
    (valid, _inside, _orphan) = waivers_in("main.tf", TEXT, [Span(4, 7), Span(11, 12)])

    def finding(rule: str, line: int) -> Finding:
        return Finding(rule, "error", "a.b", "m", (), location=SourceLocation("main.tf", line))

    kept, waived = apply(
        [finding("SOV001", 4), finding("SOV003", 4), finding("SOV001", 11)],
        [valid],
        date(2026, 1, 1),
    )
    assert [(f.rule, f.location.line) for f in kept] == [("SOV003", 4), ("SOV001", 11)]  # type: ignore[union-attr]
    assert [w.finding.rule for w in waived] == ["SOV001"]
