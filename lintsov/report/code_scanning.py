"""GitHub code scanning's limits on a SARIF run, and what lintsov does at them.

GitHub rejects a run with more than 25,000 results, and of those it accepts it shows the
top 5,000 by severity; a result may carry at most 1,000 locations, of which it shows 100
(https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit).
A rejected upload loses every alert, so the SARIF report keeps the first 25,000 results,
errors before warnings, and says what it left out; the summaries say when GitHub will
hide some.
"""

from __future__ import annotations

from lintsov.pipeline import Outcome

RESULTS_ACCEPTED = 25_000
RESULTS_SHOWN = 5_000
LOCATIONS_SHOWN = 100


def results(outcome: Outcome) -> int:
    """The results of the SARIF report: every finding, waived and baselined ones too."""
    return len(outcome.findings) + len(outcome.baselined) + len(outcome.waived)


def notice(results: int) -> str | None:
    """What a reader of the summary must know when a run's results pass GitHub's limits;
    None below them."""
    if results > RESULTS_ACCEPTED:
        return (
            f"{results} results: GitHub code scanning accepts at most {RESULTS_ACCEPTED:,} "
            f"per run, so the SARIF report holds the first {RESULTS_ACCEPTED:,} (errors "
            f"first) and leaves out {results - RESULTS_ACCEPTED:,}; GitHub shows the top "
            f"{RESULTS_SHOWN:,} by severity"
        )
    if results > RESULTS_SHOWN:
        return (
            f"{results} results: GitHub code scanning shows the top {RESULTS_SHOWN:,} by "
            "severity (errors first); the SARIF report holds them all"
        )
    return None
