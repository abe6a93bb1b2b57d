"""Benchmark: allocate a city's after-school term (issue 3): every school's oversubscribed activity offerings
drawn by random serial dictatorship with a published seed (shuangjian.afterschool.rules.allocate).

The inputs are generated in memory from the seed presets' schools (`city`: 2,195 schools, 1,266,400 students;
`county`, 梁园区: 120 schools, 70,000 students, the baseline measured in the same invocation): each school offers
30-seat activity courses in block 2 of Monday to Friday (one in ten meets twice a week) with about 5% more seats
than its students would take at two courses each; every student ranks 4 of them, drawn with Zipf-like popularity
so the favourites are oversubscribed; two courses per student. Generation is not timed.

Timed per run, for every school: the draw alone (`allocate`), and the whole pure work of an allocation run (the
draw plus the canonical inputs and result documents and their SHA-256 hashes, as services.allocation stores them),
first in one process, then spread over `--workers` processes (fork; schools are independent). Prints each run, the
medians, students per second, and whether the target is met: the city in under 60 s on 2 cores.

    .venv/bin/python bench/afterschool_allocation.py [--runs 3] [--workers 2] [--seed 1]
"""

import argparse
import bisect
import itertools
import multiprocessing
import os
import platform
import random
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from shuangjian.afterschool import rules

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0
CAPACITY = 30
PREFERENCES = 4
COURSES_PER_STUDENT = 2
SEAT_MARGIN = 1.05
TWICE_WEEKLY_SHARE = 0.1
ZIPF = 0.8

_INPUTS: list[rules.AllocationInput] = []  # the generated schools, inherited by forked workers


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


@dataclass(frozen=True)
class Totals:
    students: int
    choices: int
    seats: int
    assigned: int
    waitlisted: int
    first_choice: int


def school_inputs(rng: random.Random, first_id: int, students: int, seed: str) -> rules.AllocationInput:
    offerings = max(5, -(-int(students * COURSES_PER_STUDENT * SEAT_MARGIN) // CAPACITY))
    ids = range(first_id * 10, first_id * 10 + offerings)  # offering ids unique across the city
    slots = {}
    for index, offering in enumerate(ids):
        weekday = index % 5 + 1
        meets = {(weekday, 2)}
        if rng.random() < TWICE_WEEKLY_SHARE:
            meets.add(((weekday + 1) % 5 + 1, 2))
        slots[offering] = frozenset(meets)
    popularity = list(itertools.accumulate(1 / (rank + 1) ** ZIPF for rank in range(offerings)))
    order = list(ids)
    rng.shuffle(order)
    total = popularity[-1]
    wanted = min(PREFERENCES, offerings)
    preferences = {}
    for student in range(first_id, first_id + students):
        picked: list[int] = []
        while len(picked) < wanted:
            offering = order[bisect.bisect_left(popularity, rng.random() * total)]
            if offering not in picked:
                picked.append(offering)
        preferences[student] = picked
    return rules.AllocationInput(seed, preferences, dict.fromkeys(ids, CAPACITY), slots, COURSES_PER_STUDENT)


def generate(preset: str, seed: int) -> list[rules.AllocationInput]:
    from shuangjian.seeding.presets import Preset, build_plan

    plan = build_plan(Preset(preset), seed)
    rng = random.Random(seed)
    schools, next_id = [], 1
    for spec in plan.schools:
        schools.append(school_inputs(rng, next_id, spec.students, f"{spec.code} 2026 秋季 公示种子"))
        next_id += spec.students
    return schools


def allocate_one(index: int, with_hashes: bool) -> tuple[int, int, int, int, int, int]:
    given = _INPUTS[index]
    result = rules.allocate(given)
    if with_hashes:
        rules.digest(rules.inputs_document(given))
        rules.digest(rules.result_document(result))
    first = sum(1 for s, got in result.assigned.items() if got[0] == given.preferences[s][0])
    return (
        len(given.preferences),
        sum(len(p) for p in given.preferences.values()),
        sum(given.capacities.values()),
        sum(len(got) for got in result.assigned.values()),
        sum(len(waiting) for waiting in result.waitlists.values()),
        first,
    )


def _sum(rows: list[tuple[int, int, int, int, int, int]]) -> Totals:
    return Totals(*(sum(column) for column in zip(*rows, strict=True)))


def run_serial(with_hashes: bool) -> tuple[float, Totals]:
    started = time.perf_counter()
    rows = [allocate_one(index, with_hashes) for index in range(len(_INPUTS))]
    return time.perf_counter() - started, _sum(rows)


def _work(args: tuple[int, bool]) -> tuple[int, int, int, int, int, int]:
    return allocate_one(*args)


def run_parallel(workers: int, with_hashes: bool) -> tuple[float, Totals]:
    # largest schools first, so the last chunks are small and both processes finish together
    order = sorted(range(len(_INPUTS)), key=lambda i: -len(_INPUTS[i].preferences))
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with context.Pool(workers) as pool:
        rows = pool.map(_work, [(index, with_hashes) for index in order], chunksize=8)
    return time.perf_counter() - started, _sum(rows)


def measure(preset: str, seed: int, runs: int, workers: int) -> dict[str, list[float]]:
    global _INPUTS
    started = time.perf_counter()
    _INPUTS = generate(preset, seed)
    generated = time.perf_counter() - started
    totals: Totals | None = None
    times: dict[str, list[float]] = {"draw, 1 process": [], "run, 1 process": [], f"run, {workers} processes": []}
    for _ in range(runs):
        for label, action in (
            ("draw, 1 process", lambda: run_serial(False)),
            ("run, 1 process", lambda: run_serial(True)),
            (f"run, {workers} processes", lambda: run_parallel(workers, True)),
        ):
            seconds, found = action()
            if totals is not None and found != totals:
                raise AssertionError(f"{label}: a run gave different totals: {found} != {totals}")
            totals = found
            times[label].append(seconds)
    if totals is None:
        raise ValueError("runs must be at least 1")
    print(f"\n== {preset}: {len(_INPUTS):,} schools, {totals.students:,} students, {totals.choices:,} choices")
    print(f"   generated in {generated:.1f} s (not timed); {totals.seats:,} seats")
    print(
        f"   assigned {totals.assigned:,} seats ({totals.assigned / totals.students:.2f} per student), "
        f"waitlist places {totals.waitlisted:,}, first choice {totals.first_choice / totals.students:.1%}"
    )
    for label, values in times.items():
        runs_text = ", ".join(f"{v:.2f} s" for v in values)
        median = statistics.median(values)
        print(f"   {label:<22} {runs_text}  median {median:.2f} s = {totals.students / median:,.0f} students/s")
    times["_students"] = [float(totals.students)]
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; runs={args.runs}")
    county = measure("county", args.seed, args.runs, args.workers)
    city = measure("city", args.seed, args.runs, args.workers)
    label = f"run, {args.workers} processes"
    county_rate = county["_students"][0] / statistics.median(county[label])
    city_seconds = statistics.median(city[label])
    city_rate = city["_students"][0] / city_seconds
    print(f"\ncity/county students per second ({label}): {city_rate / county_rate:.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the main process: {peak:,.0f} MiB")
    met = city_seconds < TARGET_SECONDS
    print(f"target (city in under {TARGET_SECONDS:.0f} s): {'met' if met else 'NOT met'} ({city_seconds:.1f} s)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
