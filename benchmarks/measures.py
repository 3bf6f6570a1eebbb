"""The pure part of the benchmark: samples, their statistics, targets, verdicts and the printed table.

Nothing here runs anything or reads a clock, so it is unit-tested (tests/bench/test_harness.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum


def median(values: list[float]) -> float:
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` percentile by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("no values")
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must lie in [0, 1]")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class Unit(Enum):
    SECONDS = "s"
    MIB = "MiB"
    PERCENT = "%"  # of one core


class Verdict(Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"  # the measurement itself failed
    NOT_AVAILABLE = "n/a"  # the thing measured does not exist yet (e.g. a command still being built)
    INFO = "info"  # a figure shown for reference, with no target


@dataclass(frozen=True)
class Target:
    """A median limit (in the row's unit), a p90 limit, or a limit on the ratio to the yardstick."""

    median: float | None = None
    p90: float | None = None
    ratio: float | None = None

    def describe(self, unit: Unit) -> str:
        parts = []
        if self.ratio is not None:
            parts.append(f"<= {self.ratio:g}x minimal")
        if self.median is not None:
            parts.append(f"median < {format_value(self.median, unit)}")
        if self.p90 is not None:
            parts.append(f"p90 < {format_value(self.p90, unit)}")
        return ", ".join(parts) or "-"


@dataclass
class Row:
    """One line of the table: what was measured, its samples, and what it is held to."""

    name: str
    unit: Unit = Unit.SECONDS
    target: Target | None = None
    samples: list[float] = field(default_factory=list)
    baseline: list[float] | None = None  # the yardstick's samples from the same run, for ratio targets
    note: str = ""
    error: str | None = None
    not_available: str | None = None

    @property
    def median(self) -> float | None:
        return median(self.samples) if self.samples else None

    @property
    def p90(self) -> float | None:
        return percentile(self.samples, 0.9) if self.samples else None

    @property
    def ratio(self) -> float | None:
        if not self.samples or not self.baseline:
            return None
        base = median(self.baseline)
        return median(self.samples) / base if base > 0 else None

    def verdict(self) -> Verdict:
        if self.not_available is not None:
            return Verdict.NOT_AVAILABLE
        if self.error is not None or not self.samples:
            return Verdict.ERROR
        if self.target is None:
            return Verdict.INFO
        checks = []
        if self.target.median is not None:
            checks.append(self.median is not None and self.median < self.target.median)
        if self.target.p90 is not None:
            checks.append(self.p90 is not None and self.p90 < self.target.p90)
        if self.target.ratio is not None:
            ratio = self.ratio
            checks.append(ratio is not None and ratio <= self.target.ratio)
        return Verdict.PASS if all(checks) else Verdict.FAIL

    def reason(self) -> str:
        if self.not_available is not None:
            return self.not_available
        if self.error is not None:
            return self.error
        return self.note


def format_value(value: float | None, unit: Unit) -> str:
    if value is None:
        return "-"
    if unit is Unit.MIB:
        return f"{value:.0f} MiB" if value >= 10 else f"{value:.1f} MiB"
    if unit is Unit.PERCENT:
        return f"{value:.2f} %"
    if value < 1:
        return f"{value * 1000:.0f} ms" if value >= 0.01 else f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


HEADERS = ("what", "median", "p90", "n", "target", "ratio", "result", "note")


def table_cells(row: Row) -> tuple[str, ...]:
    ratio = row.ratio
    return (
        row.name,
        format_value(row.median, row.unit),
        format_value(row.p90, row.unit),
        str(len(row.samples)),
        row.target.describe(row.unit) if row.target else "-",
        f"{ratio:.2f}x" if ratio is not None else "-",
        row.verdict().value,
        " ".join(row.reason().split()),
    )


def format_table(rows: list[Row]) -> str:
    """A Markdown table (readable in a terminal, pasteable into benchmarks/README.md)."""
    lines = [HEADERS, *(table_cells(row) for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(HEADERS))]

    def render(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    separator = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([render(lines[0]), separator, *(render(line) for line in lines[1:])])


def summary(rows: list[Row]) -> str:
    counts = {verdict: 0 for verdict in Verdict}
    for row in rows:
        counts[row.verdict()] += 1
    return ", ".join(f"{counts[v]} {v.value}" for v in Verdict if counts[v])
