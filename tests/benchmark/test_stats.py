"""The benchmark's arithmetic: percentiles, summaries and the ratio table it prints."""

import pytest

from jobcenter.benchmark.probes import FLOOR, Sample
from jobcenter.benchmark.stats import PageResult, percentile, summarise, table


def test_percentiles_interpolate_between_ranks_as_numpy_does():
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([7.0], 95) == 7.0
    assert percentile([3.0, 1.0, 2.0], 100) == 3.0


def test_a_summary_keeps_the_usual_statement_count_and_says_when_visits_differed():
    samples = [Sample(200, 9, 0.010), Sample(200, 9, 0.020), Sample(200, 10, 0.030)]
    result = summarise("home", samples)
    assert result.median_ms == pytest.approx(20.0)
    assert result.statements == 9
    assert result.statements_vary


def test_the_table_divides_by_the_baseline_run_and_by_the_floor_page():
    floor = PageResult(FLOOR, median_ms=4.0, p95_ms=5.0, statements=5, statements_vary=False)
    case = PageResult("case_page", median_ms=20.0, p95_ms=30.0, statements=15, statements_vary=False)
    small = {FLOOR: PageResult(FLOOR, 4.0, 5.0, 5, False), "case_page": PageResult("case_page", 16.0, 20.0, 15, False)}
    lines = table([floor, case], small, "small").splitlines()
    case_line = next(line for line in lines if line.startswith("case_page"))
    assert case_line.split()[-2:] == ["1.25", "5.0"]
    assert "queries" not in case_line, "the statement count did not change between the runs"
