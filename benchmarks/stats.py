"""Output helpers: the progress log, medians, ranges, tables, round order."""

from __future__ import annotations

import statistics
import sys
from collections.abc import Sequence
from typing import Any


def log(message: str) -> None:
    """Progress goes to stderr; figures and tables go to stdout."""
    print(message, file=sys.stderr, flush=True)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: Sequence[float], fmt: str = "{:.2f}") -> str:
    if not values:
        return "-"
    return f"{fmt.format(min(values))}-{fmt.format(max(values))}"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        parts = [
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def rotated(items: Sequence[Any], round_index: int) -> list[Any]:
    """The items in a different order each round, so drift spreads evenly."""
    k = round_index % len(items)
    return list(items[k:]) + list(items[:k])


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"
