"""Reading inline waiver comments, strictly, and tying them to blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from lintsov.builtin_rules import BUILTIN
from lintsov.finding import Finding
from lintsov.inventory import Inventory
from lintsov.load.waiver_comments import parse, waivers_in
from lintsov.stack import SourceLocation
from lintsov.waivers import apply, problem, unused_inline

KNOWN = frozenset(BUILTIN)


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
    assert problem(valid, today, KNOWN) is None
    assert problem(valid, date(2030, 1, 2), KNOWN) == (
        "expired on 2030-01-01, so it no longer waives"
    )
    assert problem(inside, today, KNOWN) is None
    assert problem(orphan, today, KNOWN) == (
        "is not on or right before a block, so it waives nothing"
    )
    (bad_date,) = waivers_in(
        "m.tf", '# lintsov:ignore SOV001 reason="x" until=soon\nresource "a" "b" {}\n', [Span(2, 2)]
    )
    assert problem(bad_date, today, KNOWN) == (
        "until='soon' is not a date (YYYY-MM-DD), so it waives nothing"
    )
    (not_a_day,) = waivers_in(
        "m.tf", "# lintsov:ignore SOV001 reason=x until=2027-02-30\nresource {}\n", [Span(2, 2)]
    )
    assert problem(not_a_day, today, KNOWN) == (
        "until=2027-02-30 is not a date, so it waives nothing"
    )
    # A rule lintsov does not have: built in, or from a loaded plugin.
    assert problem(valid, today, KNOWN - {"SOV001"}) == (
        "names SOV001, not a rule lintsov has (known: AUT001, LSV001, LSV002, SOV002, SOV003, "
        "SOV004, SOV005, SOV006, SOV007, SOV008), so it waives nothing"
    )


def test_a_waiver_covers_only_its_rules_and_block() -> None:
    (valid, _inside, _orphan) = waivers_in("main.tf", TEXT, [Span(4, 7), Span(11, 12)])

    def finding(rule: str, line: int) -> Finding:
        return Finding(rule, "error", "a.b", "m", (), location=SourceLocation("main.tf", line))

    kept, waived = apply(
        [finding("SOV001", 4), finding("SOV003", 4), finding("SOV001", 11)],
        [valid],
        date(2026, 1, 1),
        KNOWN,
    )
    assert [(f.rule, f.location.line) for f in kept] == [("SOV003", 4), ("SOV001", 11)]  # type: ignore[union-attr]
    assert [w.finding.rule for w in waived] == ["SOV001"]


@pytest.mark.parametrize(
    ("comment", "rules", "fields"),
    [
        ('SOV002 reason="EU DPA signed"', ("SOV002",), {"reason": "EU DPA signed"}),
        ("SOV002 reason='EU DPA signed'", ("SOV002",), {"reason": "EU DPA signed"}),
        ("sov001 , aut001 reason=bare", ("SOV001", "AUT001"), {"reason": "bare"}),
        (
            r"SOV002 reason='it\'s \"signed\" C:\\dpa' until=2027-06-30",
            ("SOV002",),
            {"reason": 'it\'s "signed" C:\\dpa', "until": "2027-06-30"},
        ),
        (
            "SOV002   until='2027-06-30'   reason=x  ",
            ("SOV002",),
            {"until": "2027-06-30", "reason": "x"},
        ),
    ],
)
def test_the_grammar_reads_quotes_and_escapes(
    comment: str, rules: tuple[str, ...], fields: dict[str, str]
) -> None:
    parsed = parse(" " + comment)
    assert (parsed.rules, dict(parsed.fields), parsed.error) == (rules, fields, "")


@pytest.mark.parametrize(
    ("comment", "error"),
    [
        (
            'SOV002 reason="EU DPA" untill=2024-01-01',
            "unknown key 'untill' (known: reason, until), at column 41",
        ),
        ("SOV002 reason=EU DPA", "stray text 'DPA', at column 35"),
        (
            'SOV002 reason="EU DPA',
            'the value of reason opens a quote (") that does not close, at column 32',
        ),
        (
            "SOV002 reason='EU DPA",
            "the value of reason opens a quote (') that does not close, at column 32",
        ),
        (
            r'SOV002 reason="EU\nDPA"',
            "unknown escape '\\\\n' in the value of reason (escapes: \\\\, \\\" and \\'), "
            "at column 35",
        ),
        ('SOV002 reason="a"b', "stray text 'b' after the value of reason, at column 35"),
        (
            "SOV002 reason=it's",
            "a quote or backslash inside the unquoted value of reason: quote "
            "the whole value, at column 34",
        ),
        ("SOV002 reason=", "reason= has no value, at column 32"),
        (
            'SOV002 reason = "x"',
            "reason must be followed by '=' and its value, no space, at column 25",
        ),
        ("SOV002 reason=a reason=b", "reason is given twice, at column 34"),
        (
            'SOV002 until=2027-01-01 Reason="x"',
            "unknown key 'Reason' (known: reason, until), at column 42",
        ),
        (
            "SOV002, reason=x",
            "'reason=x' is not a rule id (letters, then digits: SOV002), at column 26",
        ),
        ("SOV002,", "a rule id must follow ',', at column 25"),
        (
            "SOV-002 reason=x",
            "'SOV-002' is not a rule id (letters, then digits: SOV002), at column 18",
        ),
        ('reason="x"', "names no rule before its fields, at column 18"),
        ("", "names no rule, at column 18"),
    ],
)
def test_a_waiver_that_does_not_parse_completely_says_what_and_where(
    comment: str, error: str
) -> None:
    (waiver,) = waivers_in(
        "main.tf", f"# lintsov:ignore {comment}\nresource {{\n}}\n", [Span(2, 3)]
    )
    assert waiver.error == error
    assert problem(waiver, date(2026, 1, 1), KNOWN) == f"does not parse: {error}; it waives nothing"
    # It waives nothing, whatever it names.
    finding = Finding("SOV002", "error", "a.b", "m", (), location=SourceLocation("main.tf", 2))
    assert apply([finding], [waiver], date(2026, 1, 1), KNOWN) == ([finding], [])


def test_the_mark_must_stand_alone_and_block_comments_end_at_their_close() -> None:
    text = (
        "# lintsov:ignore-next-line SOV001 reason=x\n"
        '/* lintsov:ignore SOV002 reason="EU DPA" */\n'
        "resource {\n}\n"
    )
    first, second = waivers_in("main.tf", text, [Span(3, 4)])
    assert (
        first.error == "lintsov:ignore must be followed by a space, not '-next-line', at column 17"
    )
    assert (second.rules, second.reason, second.error) == (("SOV002",), "EU DPA", "")


def test_a_long_comment_is_quoted_short_in_errors_and_evidence() -> None:
    word = "x" * 100_000
    (waiver,) = waivers_in(
        "main.tf", f"# lintsov:ignore SOV002 reason=a {word}\nresource {{\n}}\n", [Span(2, 3)]
    )
    assert len(waiver.error) < 200
    assert "…" in waiver.error
    assert len(waiver.text) <= 300


def test_an_unused_waiver_is_judged_across_inputs_and_shared_modules_are_left_alone() -> None:
    text = '# lintsov:ignore SOV001,SOV002 reason="contract"\nresource {\n}\n'
    (waiver,) = waivers_in("main.tf", text, [Span(2, 3)])
    (shared,) = waivers_in("shared.tf", text, [Span(2, 3)], shared=True)
    one = Inventory("a", "hcl", "", (), waivers=(waiver, shared))
    other = Inventory("b", "hcl", "", (), waivers=(waiver, shared))
    sov001 = Finding(
        "SOV001", "error", "x", "m", (), input="b", location=SourceLocation("main.tf", 2)
    )
    today = date(2026, 1, 1)
    # SOV001 is waived in input b: only SOV002 waived nothing, reported once for both inputs.
    (idle,) = unused_inline([one, other], [sov001], today, KNOWN, {"a": KNOWN, "b": KNOWN})
    assert (idle.waiver, idle.rules, idle.inventory) == (waiver, ("SOV002",), one)
    # A rule that did not run (disabled) is not judged.
    ran = {"a": KNOWN - {"SOV002"}, "b": KNOWN - {"SOV002"}}
    assert unused_inline([one, other], [sov001], today, KNOWN, ran) == []
    # ... but it is when it ran on any input holding the waiver (inputs with their own
    # configs: one disables it, the other does not).
    ran = {"a": KNOWN - {"SOV002"}, "b": KNOWN}
    (idle,) = unused_inline([one, other], [sov001], today, KNOWN, ran)
    assert (idle.waiver, idle.rules) == (waiver, ("SOV002",))
