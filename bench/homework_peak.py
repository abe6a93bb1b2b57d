"""Benchmark: the homework evening peak through the real HTTP stack, against a bare one-INSERT baseline.

Issue 5: feedback submissions (bearer-token authentication, access check, validation, write, class rollup) on
PostgreSQL, on 2 cores, with wrk on loopback at 64 connections; target >= 1,000 reports/s sustained, p99 < 100 ms,
and >= 0.5x the throughput of a bare django-ninja endpoint doing one ORM INSERT into the same table
(bench/bench_urls.py), measured in the same run on the same server. Then batch entry by head teachers
(POST .../classes/{id}/feedback), whose rows/s must be >= 10x the single-report rate.

Steps: create/migrate/seed the database if needed (`city` preset by default); create bench guardians and head
teachers with known API tokens for a random sample of whole classes (bulk, bench-only); clear earlier bench feedback;
start granian on 127.0.0.1; warm up; alternate baseline and platform runs; then the batch runs; stop the server;
print every run, the medians and the ratios. Every request is a new (student, day): nothing is double-counted.

    .venv/bin/python bench/homework_peak.py [--runs 3] [--duration 30] [--preset city]
        [--database-url postgres://postgres@127.0.0.1:5432/sj_bench_homework]
"""

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import homework_common as common

LUA = common.ROOT / "bench" / "wrk" / "homework.lua"
FEEDBACK_FILE = common.WORK_DIR / "feedback.tsv"
BATCH_FILE = common.WORK_DIR / "batch.tsv"
MAX_ENTRIES = 80  # FeedbackBatchIn accepts at most 80 entries per request


@dataclass(frozen=True)
class Sample:
    students: int
    classes: int
    class_ids: list[int]
    guardians: int
    batch_lines: int
    rows_per_batch: float


@dataclass(frozen=True)
class WrkRun:
    mode: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    dates_used: int
    rows_per_request: float
    load: float  # the machine's 1-minute load average at the end of the run (2 cores: > 2 means others queue)

    @property
    def rate(self) -> float:
        """Successful requests per second: a refused or failed request wrote nothing and does not count."""
        return (self.requests - self.errors) / self.seconds

    @property
    def rows_rate(self) -> float:
        return self.rate * self.rows_per_request

    def line(self) -> str:
        rows = ""
        if self.mode == "batch":
            rows = f", {self.rows_rate:,.0f} rows/s ({self.rows_per_request:.1f} rows/request)"
        return (
            f"{self.mode:8} {self.rate:8,.0f} req/s{rows}  p50 {self.p50_ms:6.1f} ms  p90 {self.p90_ms:6.1f} ms  "
            f"p99 {self.p99_ms:6.1f} ms  max {self.max_ms:7.1f} ms  requests {self.requests:,}  errors {self.errors}  "
            f"load {self.load:.1f}"
        )


def prepare(students_wanted: int, seed: int) -> Sample:
    """Bench accounts for a random sample of whole classes, and the files wrk reads."""
    from django.db import connection

    from shuangjian.core.models import Role

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT school_class_id, count(*) FROM core_student WHERE status = 'enrolled' GROUP BY 1 ORDER BY 1"
        )
        classes = cursor.fetchall()
        rng.shuffle(classes)
        chosen: list[int] = []
        total = 0
        for class_id, n in classes:
            if total >= students_wanted:
                break
            chosen.append(class_id)
            total += n
        cursor.execute(
            """
            SELECT s.id, s.school_id, s.school_class_id, gl.guardian_id, u.username
            FROM core_student s
            JOIN core_guardianlink gl ON gl.student_id = s.id AND gl.is_primary
            JOIN core_guardian g ON g.id = gl.guardian_id
            LEFT JOIN core_user u ON u.id = g.user_id
            WHERE s.school_class_id = ANY(%s) AND s.status = 'enrolled'
            ORDER BY s.school_class_id, s.id
            """,
            [chosen],
        )
        students = [row for row in cursor.fetchall() if row[4] is None or row[4].startswith("bench-")]
    guardian_names = {row[3]: f"bench-guardian-{row[3]}" for row in students}
    print(f"preparing {len(guardian_names):,} bench guardians and {len(chosen):,} head teachers...", flush=True)
    guardian_ids = common.bench_accounts([(name, {"role": Role.GUARDIAN}) for name in guardian_names.values()])
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE core_guardian g SET user_id = u.id FROM core_user u
            WHERE u.username = 'bench-guardian-' || g.id AND g.user_id IS NULL AND g.id = ANY(%s)
            """,
            [list(guardian_names)],
        )
        cursor.execute("SELECT id, school_id FROM core_schoolclass WHERE id = ANY(%s)", [chosen])
        class_school = dict(cursor.fetchall())
    head_specs = [
        (f"bench-head-{c}", {"role": Role.HEAD_TEACHER, "school_id": class_school[c], "school_class_id": c})
        for c in chosen
    ]
    common.bench_accounts(head_specs)

    common.WORK_DIR.mkdir(parents=True, exist_ok=True)
    lines = []
    by_class: dict[int, list[int]] = {}
    for student_id, school_id, class_id, guardian_id, _username in students:
        name = guardian_names[guardian_id]
        minutes = rng.randint(15, 120)
        lines.append(
            f"{common.raw_token(name)}\t{student_id}\t{school_id}\t{class_id}\t{guardian_ids[name]}\t{minutes}"
        )
        by_class.setdefault(class_id, []).append(student_id)
    rng.shuffle(lines)
    FEEDBACK_FILE.write_text("\n".join(lines) + "\n", encoding="ascii")
    batch_lines = []
    for class_id, members in by_class.items():
        for start in range(0, len(members), MAX_ENTRIES):
            chunk = members[start : start + MAX_ENTRIES]
            entries = [
                {"student_id": s, "reported_minutes": rng.randint(15, 120), "unfinished_at_bedtime": False}
                for s in chunk
            ]
            body = json.dumps(entries, separators=(",", ":"))
            batch_lines.append(f"{common.raw_token(f'bench-head-{class_id}')}\t{class_id}\t{body}\t{len(chunk)}")
    rng.shuffle(batch_lines)
    BATCH_FILE.write_text("\n".join(batch_lines) + "\n", encoding="ascii")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the seed and the bulk account setup
    return Sample(
        len(lines),
        len(by_class),
        sorted(by_class),
        len(guardian_names),
        len(batch_lines),
        len(lines) / len(batch_lines),
    )


def date_pool(today: date) -> list[date]:
    """This term's school days up to today, most recent first: each run reports on days no other run used."""
    from shuangjian.core import calendar
    from shuangjian.core.models import School

    school = School.objects.order_by("pk").first()
    term = calendar.term_for(school, today) if school else None
    if term is None:
        raise SystemExit(f"{today} is in no term of the seeded calendar")
    return sorted(common.school_days(term.start_date, today), reverse=True)


def clear_bench_days(days: list[date]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("homework_homeworkfeedback", "homework_classdayrollup", "homework_regiondayrollup"):
            cursor.execute(f"DELETE FROM {table} WHERE date BETWEEN %s AND %s", [min(days), max(days)])  # noqa: S608
        cursor.execute("VACUUM (ANALYZE) homework_homeworkfeedback, homework_classdayrollup")


def publish_days(days: list[date], class_ids: list[int], without_share: float, seed: int) -> int:
    """The class-day rows that publishing homework creates during the day (services/items.refresh_estimates), so
    the evening's reports find them, as they do for class-days with homework; `without_share` of the classes get
    none and their first report of a day creates it (the report path's slower branch). Returns those classes."""
    from django.db import connection

    rng = random.Random(seed)
    without = set(rng.sample(class_ids, round(len(class_ids) * without_share)))
    with_rows = [c for c in class_ids if c not in without]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_caps")
        cursor.execute("CREATE TEMP TABLE bench_caps (county_id text, grade int, cap int)")
        cursor.executemany("INSERT INTO bench_caps VALUES (%s, %s, %s)", common.school_day_caps(days[-1]))
        cursor.execute(
            """
            INSERT INTO homework_classdayrollup (school_class_id, school_id, county_id, city_id, grade, date,
                cap_minutes, estimated_minutes, feedback_count, within_cap_count, unfinished_count,
                reported_minutes_sum)
            SELECT c.id, c.school_id, s.county_id, s.city_id, c.grade, d.day, caps.cap, 0, 0, 0, 0, 0
            FROM core_schoolclass c
            JOIN core_school s ON s.id = c.school_id
            CROSS JOIN unnest(%s::date[]) AS d(day)
            LEFT JOIN bench_caps caps ON caps.county_id = s.county_id AND caps.grade = c.grade
            WHERE c.id = ANY(%s)
            """,
            [days, with_rows],
        )
        cursor.execute("DROP TABLE bench_caps")
        cursor.execute("ANALYZE homework_classdayrollup")
    return len(without)


class Dates:
    def __init__(self, pool: list[date]) -> None:
        self.pool = pool
        self.next = 0

    def take(self, count: int) -> list[date]:
        chosen = self.pool[self.next : self.next + count]
        if len(chosen) < count:
            raise SystemExit("out of school days for new (student, day) pairs; use fewer or shorter runs")
        return chosen

    def consume(self, used: int) -> None:
        self.next += used


def forget_token_use() -> None:
    """Each family reports once an evening, so each token comes to a run last used "yesterday", and its use must
    be recorded, as on a real evening (core.api_auth queues it and writes the queue in one UPDATE)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_apitoken SET last_used_at = now() - interval '1 day' "
            "WHERE name = 'bench' AND (last_used_at IS NULL OR last_used_at > now() - interval '1 hour')"
        )
    connection.close()


def run_wrk(server: common.Server, mode: str, dates: Dates, args: argparse.Namespace, seconds: int) -> WrkRun:
    forget_token_use()
    file = BATCH_FILE if mode == "batch" else FEEDBACK_FILE
    days = dates.take(args.batch_dates_per_run if mode == "batch" else args.dates_per_run)
    wrk = shutil.which("wrk") or "/usr/bin/wrk"
    command = [
        wrk, f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(LUA), server.url(), "--",
        mode, str(file), ",".join(d.isoformat() for d in days), str(args.wrk_threads),
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 120)  # noqa: S603
    data = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("BENCH_JSON")).split(" ", 1)[1])
    dates.consume(data["dates_used"])
    errors = sum(data[k] for k in data if k.startswith("errors_"))
    return WrkRun(
        mode=mode,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        dates_used=data["dates_used"],
        rows_per_request=data["rows_per_request"],
        load=float(Path("/proc/loadavg").read_text(encoding="ascii").split()[0]),
    )


def median(runs: list[WrkRun], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=common.DEFAULT_DATABASE_URL)
    parser.add_argument("--preset", default="city", choices=["county", "city"], help="seeded when the DB is empty")
    parser.add_argument(
        "--students",
        type=int,
        default=40_000,
        help="students sampled, as whole classes: about one run's reports, so each class-day gets most of its "
        "class's reports, as in a real evening (its first report creates the class-day rollup)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=30, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per endpoint")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="granian blocking threads per worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--db-socket",
        default="/var/run/postgresql",
        help="the server reaches PostgreSQL through this Unix-socket directory ('' for TCP to --database-url)",
    )
    parser.add_argument(
        "--db-options",
        default=common.SERVER_DB_OPTIONS,
        help="query string added to the server's DATABASE_URL ('' for Django's defaults)",
    )
    parser.add_argument("--dates-per-run", type=int, default=4, help="days a run may move on to when it wraps")
    parser.add_argument(
        "--batch-dates-per-run",
        type=int,
        default=18,
        help="the same for batch runs, which send a whole class per request and so wrap once per ~1,000 requests"
        " (18: the batch phase starts again from the first day, and 3 runs of 30 s fit in the term's 59 days)",
    )
    parser.add_argument(
        "--without-rollup-share",
        type=float,
        default=0.03,
        help="share of the sampled classes with no homework published, whose first report creates the row",
    )
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--profile", type=int, default=0, help="py-spy a worker for N s during an extra platform run")
    args = parser.parse_args()

    common.setup_django(args.database_url)
    from django.db import connections
    from django.utils import timezone

    print(f"machine: {common.machine(args.database_url)}", flush=True)
    seeded = common.ensure_database(args.database_url, args.preset)
    if seeded is not None:
        print(f"seed time: {seeded:.0f} s", flush=True)
    started = time.perf_counter()
    sample = prepare(args.students, args.seed)
    today = timezone.localdate()
    pool = date_pool(today)
    clear_bench_days(pool)
    without = publish_days(pool, sample.class_ids, args.without_rollup_share, args.seed)
    connections.close_all()
    print(
        f"sample: {sample.students:,} students in {sample.classes:,} classes, {sample.guardians:,} guardians; "
        f"{len(pool)} school days up to {today}; {without} classes without homework published (their first "
        f"report of a day creates the class-day row); prepared in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    server_url = common.socket_url(args.database_url, args.db_socket) if args.db_socket else args.database_url
    settings = common.ServerSettings(args.port, args.workers, args.threads, args.db_options, args.db_socket)
    print(f"server: {settings.describe()}; wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s")
    dates = Dates(pool)
    baseline: list[WrkRun] = []
    platform: list[WrkRun] = []
    batch: list[WrkRun] = []
    with common.Server(settings, server_url, args.db_options) as server:
        for mode in ("baseline", "single"):
            print("warm-up " + run_wrk(server, mode, dates, args, args.warmup).line(), flush=True)
        for i in range(args.runs):
            for mode, runs in (("baseline", baseline), ("single", platform)):
                run = run_wrk(server, mode, dates, args, args.duration)
                runs.append(run)
                print(f"run {i + 1} {run.line()}", flush=True)
        if args.profile:
            profile(server, dates, args)
        if not args.skip_batch:
            # From the table state the single-report runs started from, on the same days: otherwise the batch
            # runs insert into a table grown by every earlier run (and run out of new days), and the ratio to
            # the single-report rate compares unlike states.
            clear_bench_days(pool)
            publish_days(pool, sample.class_ids, args.without_rollup_share, args.seed)
            connections.close_all()
            dates = Dates(pool)
            print("warm-up " + run_wrk(server, "batch", dates, args, args.warmup).line(), flush=True)
            for i in range(args.batch_runs):
                run = run_wrk(server, "batch", dates, args, args.duration)
                batch.append(run)
                print(f"run {i + 1} {run.line()}", flush=True)
    report(baseline, platform, batch)
    return 0


def profile(server: common.Server, dates: Dates, args: argparse.Namespace) -> None:
    """py-spy (if installed) on one worker during an extra platform run; the flame graph goes to var/bench."""
    pids = server.worker_pids()
    out = common.WORK_DIR / "profile.folded"
    py_spy = shutil.which("py-spy") or str(Path.home() / ".local" / "bin" / "py-spy")
    spy = subprocess.Popen(  # noqa: S603
        [
            py_spy,
            "record",
            "--pid",
            str(pids[0]),
            "--duration",
            str(args.profile),
            "--output",
            str(out),
            "--format",
            "raw",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    run = run_wrk(server, "single", dates, args, args.profile + 2)
    spy.wait(timeout=60)
    print(f"profiled {run.line()} -> {out}", flush=True)


def report(baseline: list[WrkRun], platform: list[WrkRun], batch: list[WrkRun]) -> None:
    base_rate, rate = median(baseline, "rate"), median(platform, "rate")
    p99 = median(platform, "p99_ms")
    ratio = rate / base_rate
    pairwise = statistics.median(p.rate / b.rate for p, b in zip(platform, baseline, strict=True))
    errors = sum(r.errors for r in baseline + platform + batch)
    print()
    print(f"baseline median: {base_rate:,.0f} req/s, p50 {median(baseline, 'p50_ms'):.1f} ms, "
          f"p99 {median(baseline, 'p99_ms'):.1f} ms")  # fmt: skip
    print(f"platform median: {rate:,.0f} reports/s, p50 {median(platform, 'p50_ms'):.1f} ms, p99 {p99:.1f} ms")
    print(f"platform/baseline: {ratio:.2f} (median of per-run ratios {pairwise:.2f})")
    print(f"errors (non-2xx, socket, timeout) over all runs: {errors}")
    print(f"target >= 1,000 reports/s: {'met' if rate >= 1000 else 'MISSED'}")
    print(f"target p99 < 100 ms: {'met' if p99 < 100 else 'MISSED'}")
    print(f"target >= 0.5x baseline: {'met' if ratio >= 0.5 else 'MISSED'}")
    if batch:
        rows = median(batch, "rows_rate")
        print(f"batch median: {rows:,.0f} rows/s ({median(batch, 'rate'):,.0f} requests/s, "
              f"p99 {median(batch, 'p99_ms'):.1f} ms) = {rows / rate:.1f}x the single-report rate")  # fmt: skip
        print(f"target batch >= 10x single: {'met' if rows >= 10 * rate else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
