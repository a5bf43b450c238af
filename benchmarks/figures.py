"""Named series of measurements, the ratios of first paints, and the lines of the report."""

from __future__ import annotations

import dataclasses
import statistics


class Figures:
    """Named series of measurements (seconds), printed as min / median / p95 / max in ms."""

    def __init__(self) -> None:
        self.series: dict[str, list[float]] = {}

    def add(self, name: str, values: list[float]) -> None:
        self.series[name] = values

    @staticmethod
    def p95(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def row(self, name: str) -> str:
        values = self.series[name]
        cells = [min(values), statistics.median(values), self.p95(values), max(values)]
        return f"| {name} | {len(values)} | " + " | ".join(f"{value * 1000:.1f}" for value in cells) + " |"

    def table(self) -> str:
        lines = ["| measurement | n | min ms | median ms | p95 ms | max ms |", "|---|---|---|---|---|---|"]
        return "\n".join(lines + [self.row(name) for name in self.series])


def verdict(name: str, value: str, met: bool) -> str:
    return f"| {name} | {value} | {'yes' if met else '**no**'} |"


def rounds_verdict(name: str, rounds: list[list[float]], target: float) -> str:
    """A keystroke target over several rounds of the same keys: the median of the rounds' p95s,
    beside their range. One round's p95 is its few slowest keys and moves by several ms from one
    round to the next: a target inside the range cannot be told from it (undecided)."""
    p95s = [Figures.p95(values) for values in rounds]
    value, low, high = statistics.median(p95s), min(p95s), max(p95s)
    shown = f"{value * 1000:.1f} ms (rounds {', '.join(f'{p95 * 1000:.1f}' for p95 in p95s)})"
    if len(p95s) > 1 and low <= target < high:
        return f"| {name} | {shown} | undecided |"
    return verdict(name, shown, value <= target)


@dataclasses.dataclass(frozen=True)
class Ratio:
    """A first paint as a ratio of medians to the empty app's, and the run's A/A spread: how far
    a second series of the empty app, interleaved with the first, lands from it (a ratio within
    the spread of a target cannot be told from it)."""

    value: float
    spread: float

    def verdict(self, name: str, target: float) -> str:
        shown = f"{self.value:.2f}x (A/A ±{self.spread * 100:.0f}%)"
        if abs(self.value - target) <= self.spread * target:
            return f"| {name} | {shown} | undecided |"
        return verdict(name, shown, self.value <= target)
