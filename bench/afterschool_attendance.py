"""Benchmark: taking a 45-student roster's attendance in one request through the real HTTP stack (issue 3).

Target: `PUT /api/v1/afterschool/classes/{id}/attendance/{day}/{block}` with every student of a 45-student class
(bearer token of the class's head teacher: authentication, access check, plan and calendar, roster, validation,
one upsert of 45 rows, commit) with p99 under 50 ms, on PostgreSQL, 2 cores. Baseline in the same run, on the same
server: `GET /api/v1/core/me` with the same tokens (authentication and one role lookup), reported as a ratio.

Steps: create/migrate/seed the database if needed (`county` preset by default; its own database name); pick whole
classes of at least 45 students in a few schools; give each school a service plan for the term going on (through
the service, as its leader would), enrol exactly 45 students of each chosen class (a bench-only bulk path), give
each class a bench head teacher with a known API token; start granian on 127.0.0.1; warm up; then alternate runs:
baseline, "take" (the earlier bench marks deleted first: every request is a class's first submission for a school
day of the term, 45 inserts) and "retake" (the same requests again: 45 updates, the idempotent re-submission).
Each run sends `--requests` requests from `--clients` keep-alive connections. Prints every run and the medians.

    .venv/bin/python bench/afterschool_attendance.py [--runs 3] [--requests 1000] [--clients 1]
        [--database-url postgres://postgres@127.0.0.1:5432/sj_bench_attendance]
"""

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import homework_common as common

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sj_bench_attendance"
WORK_DIR = common.ROOT / "var" / "bench" / "attendance"
ROSTER = 45
STATUSES = ("present",) * 17 + ("late", "absent", "excused")  # mostly present, as on a real afternoon
TARGET_P99_MS = 50.0


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    token: str
    body: bytes | None


@dataclass(frozen=True)
class Run:
    mode: str
    latencies_ms: list[float]
    seconds: float
    errors: int

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def line(self) -> str:
        return (
            f"{self.mode:8} {self.rate:7,.0f} req/s  p50 {self.pct(0.5):6.1f} ms  p90 {self.pct(0.9):6.1f} ms  "
            f"p99 {self.pct(0.99):6.1f} ms  max {max(self.latencies_ms):6.1f} ms  requests {len(self.latencies_ms):,}"
            f"  errors {self.errors}  load {Path('/proc/loadavg').read_text(encoding='ascii').split()[0]}"
        )


def prepare(classes_wanted: int, schools_wanted: int, seed: int) -> tuple[list[Request], list[Request], int]:
    """Plans, 45-student enrolments and bench head teachers; returns the take requests, the baseline requests and
    the number of school days used."""
    from django.db import connection
    from django.utils import timezone

    from shuangjian.afterschool.models import Enrolment, ServicePlan
    from shuangjian.afterschool.selectors import service_days_of
    from shuangjian.afterschool.services import plans
    from shuangjian.core import calendar
    from shuangjian.core.models import Role, School, Student, StudentStatus, User

    rng = random.Random(seed)
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT school_class_id, school_id FROM core_student WHERE status = 'enrolled' "
            "GROUP BY 1, 2 HAVING count(*) >= %s ORDER BY 2, 1",
            [ROSTER],
        )
        by_school: dict[int, list[int]] = {}
        for class_id, school_id in cursor.fetchall():
            by_school.setdefault(school_id, []).append(class_id)
    schools = sorted(by_school)[:schools_wanted]
    chosen = [(s, c) for s in schools for c in by_school[s]][:classes_wanted]
    leader_ids = common.bench_accounts(
        [(f"bench-att-leader-{s}", {"role": Role.SCHOOL_LEADER, "school_id": s}) for s in schools]
    )
    heads = {c: f"bench-att-head-{c}" for _s, c in chosen}
    common.bench_accounts(
        [(heads[c], {"role": Role.HEAD_TEACHER, "school_id": s, "school_class_id": c}) for s, c in chosen]
    )
    plan_of: dict[int, ServicePlan] = {}
    for school in School.objects.filter(pk__in=schools):
        term = calendar.term_for(school, today)
        if term is None:
            raise SystemExit(f"{today} is in no term of the seeded calendar")
        leader = User.objects.get(pk=leader_ids[f"bench-att-leader-{school.pk}"])
        plan = ServicePlan.objects.filter(school=school, term=term).first()
        if plan is None:
            now = timezone.now()
            draft = plans.PlanDraft(
                weekdays=(1, 2, 3, 4, 5),
                blocks=(
                    plans.BlockDraft(1, "homework_guidance", clock_time(16, 0), clock_time(17, 0)),
                    plans.BlockDraft(2, "activities", clock_time(17, 10), clock_time(18, 30)),
                ),
                enrolment_opens_at=now - timedelta(days=60),
                enrolment_closes_at=now - timedelta(days=50),
                max_preferences=3,
                courses_per_student=1,
                seed_source="bench",
            )
            plan = plans.plan_create(
                actor=leader, school_code=school.code, start_year=term.school_year.start_year,
                term_number=term.number, draft=draft,
            )  # fmt: skip
        plan_of[school.pk] = plan
        students = Student.objects.filter(
            school=school, school_class_id__in=[c for s, c in chosen if s == school.pk], status=StudentStatus.ENROLLED
        ).order_by("school_class_id", "pk")
        enrolled = set(Enrolment.objects.filter(plan=plan).values_list("student_id", flat=True))
        per_class: dict[int, int] = {}
        rows = []
        for student in students:
            per_class[student.school_class_id] = per_class.get(student.school_class_id, 0) + 1
            if per_class[student.school_class_id] <= ROSTER and student.pk not in enrolled:
                rows.append(
                    Enrolment(
                        plan=plan,
                        student=student,
                        school_id=school.pk,
                        school_class_id=student.school_class_id,
                        consent_by=leader,
                        consent_at=plan.enrolment_opens_at,
                    )
                )
        Enrolment.objects.bulk_create(rows, batch_size=2000)
    first_plan = next(iter(plan_of.values()))
    days = [d.day for d in service_days_of(first_plan, first_plan.term.start_date, today - timedelta(days=1))]
    if not days:
        raise SystemExit("no service day of this term before today")
    rosters: dict[int, list[int]] = {}
    for plan in plan_of.values():
        pairs = Enrolment.objects.filter(plan=plan).values_list("student__school_class_id", "student_id")
        for class_id, student_id in pairs.order_by("student__school_class_id", "student_id"):
            rosters.setdefault(class_id, []).append(student_id)
    takes = []
    for day in sorted(days, reverse=True):
        for _school, class_id in chosen:
            marks = [{"student_id": s, "status": rng.choice(STATUSES)} for s in rosters[class_id]]
            if len(marks) != ROSTER:
                raise SystemExit(f"class {class_id} has {len(marks)} enrolled students, not {ROSTER}")
            body = json.dumps({"marks": marks}, separators=(",", ":")).encode()
            path = f"/api/v1/afterschool/classes/{class_id}/attendance/{day.isoformat()}/1"
            takes.append(Request("PUT", path, common.raw_token(heads[class_id]), body))
    baseline = [Request("GET", "/api/v1/core/me", common.raw_token(heads[c]), None) for _s, c in chosen]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return takes, baseline, len(days)


def clear_marks() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM afterschool_attendancerecord WHERE marked_by_id IN "
            "(SELECT id FROM core_user WHERE username LIKE 'bench-att-%%')"
        )
        cursor.execute("VACUUM (ANALYZE) afterschool_attendancerecord")
    connection.close()


def send(requests: list[Request], port: int, clients: int, count: int) -> tuple[list[float], int, float]:
    """`count` requests from `clients` keep-alive connections, each client taking every `clients`-th request."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(index, count, clients):
            request = requests[i % len(requests)]
            headers = {"Authorization": f"Bearer {request.token}"}
            if request.body is not None:
                headers["Content-Type"] = "application/json"
            started = time.perf_counter()
            conn.request(request.method, request.path, body=request.body, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies[index].append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                errors[index] += 1
                if errors[index] == 1:
                    print(f"  {request.method} {request.path}: {response.status}", flush=True)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [ms for part in latencies for ms in part], sum(errors), time.perf_counter() - started


def measure(mode: str, requests: list[Request], args: argparse.Namespace, count: int) -> Run:
    latencies, errors, seconds = send(requests, args.port, args.clients, count)
    return Run(mode, latencies, seconds, errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--preset", default="county", choices=["county", "city"], help="seeded when the DB is empty")
    parser.add_argument("--classes", type=int, default=20, help="45-student classes taking attendance")
    parser.add_argument("--schools", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=1000, help="requests per measured run")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--clients", type=int, default=1, help="concurrent keep-alive connections")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="granian blocking threads per worker")
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--db-socket", default="/var/run/postgresql")
    parser.add_argument("--db-options", default=common.SERVER_DB_OPTIONS)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    common.setup_django(args.database_url)
    from django.db import connections

    print(f"machine: {common.machine(args.database_url)}", flush=True)
    seeded = common.ensure_database(args.database_url, args.preset)
    if seeded is not None:
        print(f"seed time: {seeded:.0f} s", flush=True)
    takes, baseline, days = prepare(args.classes, args.schools, args.seed)
    if args.requests > len(takes):
        raise SystemExit(f"only {len(takes)} distinct (class, day) rosters: use fewer --requests")
    connections.close_all()
    print(f"sample: {args.classes} classes of {ROSTER} students, {days} school days of the term before today, "
          f"{len(takes):,} distinct rosters", flush=True)  # fmt: skip
    server_url = common.socket_url(args.database_url, args.db_socket) if args.db_socket else args.database_url
    settings = common.ServerSettings(args.port, args.workers, args.threads, args.db_options, args.db_socket)
    print(f"server: {settings.describe()}; {args.clients} client connection(s), {args.requests} requests per run")
    runs: dict[str, list[Run]] = {"baseline": [], "take": [], "retake": []}
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    server = common.Server(settings, server_url, args.db_options)
    server.log = WORK_DIR / "granian.log"
    with server:
        clear_marks()
        print("warm-up " + measure("baseline", baseline, args, args.warmup).line(), flush=True)
        print("warm-up " + measure("take", takes[-args.warmup :], args, args.warmup).line(), flush=True)
        for i in range(args.runs):
            clear_marks()
            for mode, requests in (("baseline", baseline), ("take", takes), ("retake", takes)):
                run = measure(mode, requests, args, args.requests)
                runs[mode].append(run)
                print(f"run {i + 1} {run.line()}", flush=True)
    report(runs)
    return 0


def report(runs: dict[str, list[Run]]) -> None:
    def med(mode: str, q: float) -> float:
        return statistics.median(r.pct(q) for r in runs[mode])

    print()
    for mode in runs:
        rate = statistics.median(r.rate for r in runs[mode])
        print(f"{mode:8} median of runs: {rate:,.0f} req/s, p50 {med(mode, 0.5):.1f} ms, p90 {med(mode, 0.9):.1f} ms, "
              f"p99 {med(mode, 0.99):.1f} ms")  # fmt: skip
    for mode in ("take", "retake"):
        print(f"{mode}/baseline p50: {med(mode, 0.5) / med('baseline', 0.5):.2f}x; "
              f"p99: {med(mode, 0.99) / med('baseline', 0.99):.2f}x")  # fmt: skip
    errors = sum(r.errors for rs in runs.values() for r in rs)
    print(f"errors (non-200) over all runs: {errors}")
    worst = max(med("take", 0.99), med("retake", 0.99))
    verdict = "met" if worst < TARGET_P99_MS else "MISSED"
    print(f"target p99 < {TARGET_P99_MS:.0f} ms for a {ROSTER}-student roster: {verdict}")


if __name__ == "__main__":
    sys.exit(main())
