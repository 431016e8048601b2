"""Medians, 95th percentiles and the table `manage.py bench` prints: pure functions over samples."""

import statistics
from dataclasses import asdict, dataclass
from typing import Any

from jobcenter.benchmark.probes import FLOOR, Sample


@dataclass(frozen=True)
class PageResult:
    name: str
    median_ms: float
    p95_ms: float
    statements: int
    statements_vary: bool  # the same page cost different numbers of statements between visits

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(values: list[float], pct: int) -> float:
    """The pct-th percentile, interpolated between the closest ranks (as numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(name: str, samples: list[Sample]) -> PageResult:
    millis = [sample.seconds * 1000 for sample in samples]
    counts = [sample.statements for sample in samples]
    return PageResult(
        name=name,
        median_ms=statistics.median(millis),
        p95_ms=percentile(millis, 95),
        statements=statistics.mode(counts),
        statements_vary=len(set(counts)) > 1,
    )


def table(results: list[PageResult], baseline: dict[str, PageResult] | None, baseline_label: str) -> str:
    """One line per page: median, p95, statements, the ratio of its median to the same page in the
    baseline run (e.g. copenhagen/small) and to the floor page of this run."""
    floor = next((r for r in results if r.name == FLOOR), None)
    ratio_head = f"{'×' + baseline_label:>12}" if baseline else ""
    lines = [f"{'page':<22}{'median ms':>11}{'p95 ms':>10}{'queries':>9}{ratio_head}{'×floor':>9}"]
    for result in results:
        ratio = ""
        if baseline and result.name in baseline:
            before = baseline[result.name]
            ratio = f"{result.median_ms / before.median_ms:>12.2f}"
            if before.statements != result.statements:
                ratio += f" (queries {before.statements}→{result.statements})"
        elif baseline:
            ratio = f"{'–':>12}"
        to_floor = f"{result.median_ms / floor.median_ms:>9.1f}" if floor else ""
        queries = f"{result.statements}{'*' if result.statements_vary else ''}"
        lines.append(f"{result.name:<22}{result.median_ms:>11.1f}{result.p95_ms:>10.1f}{queries:>9}{ratio}{to_floor}")
    if any(result.statements_vary for result in results):
        lines.append("* the most common count; some visits differed (a session write once a minute, say)")
    return "\n".join(lines)
