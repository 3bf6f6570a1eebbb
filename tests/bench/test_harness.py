"""The benchmark harness's pure parts: statistics, targets and verdicts, and the printed table."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from measures import (
    Row,
    Target,
    Unit,
    Verdict,
    format_table,
    format_value,
    median,
    percentile,
    summary,
)


def test_median_and_percentile() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.9) == pytest.approx(4.6)
    assert percentile([7.0], 0.9) == 7.0
    assert percentile(list(map(float, range(1, 11))), 0.5) == median(list(map(float, range(1, 11))))
    with pytest.raises(ValueError):
        median([])
    with pytest.raises(ValueError):
        percentile([1.0], 1.5)


def test_median_and_p90_limits() -> None:
    row = Row("status", target=Target(median=0.020, p90=0.040), samples=[0.010] * 9 + [0.050])
    assert row.verdict() is Verdict.PASS  # p90 interpolates to 0.014
    row.samples = [0.010] * 8 + [0.050, 0.050]
    assert row.p90 == pytest.approx(0.050) and row.verdict() is Verdict.FAIL
    assert Row("x", target=Target(median=0.02), samples=[0.02]).verdict() is Verdict.FAIL  # "under" is strict


def test_ratio_targets_compare_medians_with_the_yardstick() -> None:
    row = Row("first", target=Target(ratio=1.25), samples=[0.50, 0.56, 0.60], baseline=[0.40, 0.44, 0.48])
    assert row.ratio == pytest.approx(0.56 / 0.44)
    assert row.verdict() is Verdict.FAIL
    row.samples = [0.50, 0.55, 0.54]
    assert row.verdict() is Verdict.PASS
    assert Row("first", target=Target(ratio=1.25), samples=[0.5]).verdict() is Verdict.FAIL  # no yardstick


def test_failed_and_missing_measurements_keep_their_row() -> None:
    assert Row("x", target=Target(median=1), error="tmux is not installed").verdict() is Verdict.ERROR
    assert Row("x", target=Target(median=1)).verdict() is Verdict.ERROR  # no samples is not a pass
    missing = Row("report", target=Target(median=2), not_available="not available")
    assert missing.verdict() is Verdict.NOT_AVAILABLE and missing.reason() == "not available"
    assert Row("info", samples=[1.0]).verdict() is Verdict.INFO


def test_values_read_in_their_unit() -> None:
    assert format_value(0.0123, Unit.SECONDS) == "12 ms"
    assert format_value(0.0042, Unit.SECONDS) == "4.2 ms"
    assert format_value(1.234, Unit.SECONDS) == "1.23 s"
    assert format_value(88.6, Unit.MIB) == "89 MiB"
    assert format_value(0.4321, Unit.PERCENT) == "0.43 %"
    assert format_value(None, Unit.SECONDS) == "-"
    assert Target(median=0.02, p90=0.04).describe(Unit.SECONDS) == "median < 20 ms, p90 < 40 ms"
    assert Target(ratio=1.5).describe(Unit.SECONDS) == "<= 1.5x minimal"


def test_the_table_has_every_row_aligned_with_its_verdict_and_reason() -> None:
    rows = [
        Row("first screen: sample plan", target=Target(ratio=1.25), samples=[0.5], baseline=[0.45]),
        Row("report", target=Target(median=2.0), not_available="not available: no report command"),
        Row("status key", target=Target(median=0.02), error="key 4 did not show ✖\non screen"),
    ]
    lines = format_table(rows).splitlines()
    assert len(lines) == 2 + len(rows)
    assert len({len(line) for line in lines}) == 1  # aligned columns
    assert lines[0].startswith("| what ")
    assert "1.11x" in lines[2] and "PASS" in lines[2]
    assert "n/a" in lines[3] and "no report command" in lines[3]
    assert "ERROR" in lines[4] and "key 4 did not show ✖ on screen" in lines[4]  # one line per row
    assert summary(rows) == "1 PASS, 1 ERROR, 1 n/a"


def test_trace_lines_are_taken_only_for_the_awaited_event_and_moment(tmp_path: Path) -> None:
    from run import trace_time

    trace = tmp_path / "trace.log"
    trace.write_text("9.000 status 1.1.1.1 on_track\n")
    offset = trace.stat().st_size
    with trace.open("a") as handle:
        handle.write("10.001 cursor row 3\n")  # another event
        handle.write("garbage\n")
        handle.write("10.004 status 1.1.1.1 off_track\n")
        handle.write("12.000 status 1.1.1.1 on_track\n")  # after the screen showed it: not this press
    assert trace_time(trace, offset, "status", sent=10.0, seen=10.5) == 10.004
    assert trace_time(trace, 0, "status", sent=10.0, seen=10.003) is None
    assert trace_time(trace, offset, "filter", sent=10.0, seen=10.5) is None
    assert trace_time(tmp_path / "none.log", 0, "status", sent=10.0, seen=10.5) is None
