"""Benchmark: seed the `city` preset (Shangqiu, 1,266,400 students) into a fresh PostgreSQL database.

Each run drops and recreates the database, migrates it, then times `seed_database` (the same code path as
`shuangjian seed`). The `county` preset is measured in the same invocation as the baseline. Prints each run
and the medians; docs/PERFORMANCE.md records them. Target (issue 2): the city preset in under 10 minutes.

    .venv/bin/python bench/seed_city.py [--city-runs 2] [--county-runs 3] [--server postgres://postgres@127.0.0.1:5432]
"""

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from dataclasses import dataclass

import psycopg
from psycopg import sql

DATABASE = "sj_bench_seed"


@dataclass(frozen=True)
class Run:
    preset: str
    students: int
    counts: dict[str, int]
    seconds: float
    migrate_seconds: float

    @property
    def rate(self) -> float:
        return self.students / self.seconds


def recreate_database(server: str) -> None:
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


def drop_database(server: str) -> None:
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))


def one_run(server: str, preset: str) -> Run:
    from django.core.management import call_command
    from django.db import connections

    from shuangjian.seeding.presets import Preset
    from shuangjian.seeding.run import seed_database

    connections.close_all()
    recreate_database(server)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter() - started
    result = seed_database(preset=Preset(preset), seed=1, progress=sys.stderr.isatty())
    connections.close_all()
    return Run(preset, result.counts["students"], result.counts, result.seconds, migrated)


def machine(server: str) -> str:
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        kib = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    with psycopg.connect(server + "/postgres") as conn:
        row = conn.execute("SHOW server_version").fetchone()
        version = row[0] if row else "?"
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{os.cpu_count()} cores, {kib / 2**20:.1f} GiB RAM, {python}, PostgreSQL {version}"


def runs_of(server: str, preset: str, count: int) -> list[Run]:
    runs = []
    for i in range(1, count + 1):
        run = one_run(server, preset)
        print(
            f"{preset} run {i}: {run.students:,} students in {run.seconds:.1f} s "
            f"({run.rate:,.0f} students/s; migrate {run.migrate_seconds:.1f} s); "
            + ", ".join(f"{table} {n:,}" for table, n in run.counts.items()),
            flush=True,
        )
        runs.append(run)
    return runs


def report(runs: list[Run]) -> float:
    median_seconds = statistics.median(r.seconds for r in runs)
    median_rate = statistics.median(r.rate for r in runs)
    print(f"{runs[0].preset} median: {median_seconds:.1f} s, {median_rate:,.0f} students/s")
    return median_rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--city-runs", type=int, default=2)
    parser.add_argument("--county-runs", type=int, default=3)
    parser.add_argument(
        "--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL without a database name"
    )
    args = parser.parse_args()
    if args.city_runs < 1 or args.county_runs < 1:
        parser.error("each preset needs at least one run")
    server = args.server.rstrip("/")
    # Settings read DATABASE_URL when Django sets up, so Django is imported only after it is set.
    os.environ["DATABASE_URL"] = f"{server}/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings")
    import django

    django.setup()
    print(f"machine: {machine(server)}", flush=True)
    baseline = report(runs_of(server, "county", args.county_runs))
    city = runs_of(server, "city", args.city_runs)
    rate = report(city)
    city_median = statistics.median(r.seconds for r in city)
    print(f"city/county rate ratio: {rate / baseline:.2f}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the seeding process: {peak_mib:.0f} MiB")
    print(f"target (city < 600 s): {'met' if city_median < 600 else 'MISSED'} ({city_median:.0f} s)")
    drop_database(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
