"""The bench fixtures: the same users and showcase case in every profile, for the benchmark command."""

from datetime import date, timedelta

BENCH_CASEWORKER = "bench.caseworker"
BENCH_SUPERVISOR = "bench.supervisor"
BENCH_UNION = "bench.union"
BENCH_PASSWORD = "demo"
BENCH_UNION_NAME = "3F"

MAIN_MUNICIPALITY_CODE = "101"
DECOY_MUNICIPALITY_CODES = ("751", "461")

# Without --anchor the data ends on this day, so a profile and seed always give the same rows.
DEFAULT_ANCHOR = date(2026, 11, 25)

SHOWCASE_CPR = "1407824417"
SHOWCASE_FIRST_NAME = "Birthe"
SHOWCASE_LAST_NAME = "Vindeløv"
SHOWCASE_SEARCH_NAME = SHOWCASE_LAST_NAME
SHOWCASE_AGE_DAYS = 300
# The showcase case takes the first number of the jobcentre, so its reference is the same in every profile.
SHOWCASE_CASE_NUMBER = 1


def showcase_opened_on(anchor: date) -> date:
    return anchor - timedelta(days=SHOWCASE_AGE_DAYS)


def showcase_reference(anchor: date) -> str:
    return f"{MAIN_MUNICIPALITY_CODE}-{showcase_opened_on(anchor).year}-{SHOWCASE_CASE_NUMBER:06d}"


SHOWCASE_REFERENCE = showcase_reference(DEFAULT_ANCHOR)
