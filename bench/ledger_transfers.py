"""Benchmark: escrow-ledger transfers per second on PostgreSQL against pgbench's TPC-B-like workload (issue 6).

16 client processes call the real service functions (shuangjian.ledger.services: purchase_create, lesson_deliver,
lesson_confirm, purchase_refund, each with an idempotency key) for a fixed time; each client is one family buying
10-lesson packages, the institution's operator delivering lessons, the guardian confirming them, and the rest
refunded. The baseline is `pgbench -c 16 -j 2 -M prepared` on a `pgbench -i -s 16` database on the same server,
run in the same session. Runs are interleaved (pgbench, main, one institution, 10% replays) x rounds; the ratio
of each ledger run to the pgbench run of its round is reported, with the medians. After every ledger run the whole
ledger is verified (shuangjian.ledger.audit.ledger_verify) and must be sound.

Variants: `main` (16 institutions, one per client), `one-institution` (every client buys from and is released to
one institution), `replays` (as main, and 10% of the requests repeat an earlier request with its key).

    .venv/bin/python bench/ledger_transfers.py [--rounds 3] [--seconds 15] [--clients 16] [--jobs 16]
        [--server postgres://postgres@127.0.0.1:5432] [--db-options server_side_binding=true&prepare_threshold=5]

The ledger clients connect with the production connection options of docs/DEPLOYMENT.md (server-side binding,
psycopg prepares a statement after its 5th run), as pgbench runs with `-M prepared`; `--db-options ''` measures
Django's default (client-side binding, every statement planned again).

Target (issue 6): the main run at >= 0.5x pgbench's transactions per second.
"""

import argparse
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LEDGER_DB = "sj_bench_ledger"
PGBENCH_DB = "sj_bench_pgbench"
VARIANTS = ("main", "one-institution", "replays")
DEPLOYMENT_OPTIONS = "server_side_binding=true&prepare_threshold=5"  # docs/DEPLOYMENT.md
# Diagnostic, not part of the target: as main, but deliveries, confirmations and refunds call posting.post directly
# with the same commands the services build (no access-checked read, no ORM query building): the ledger's own cost.
DIAGNOSTIC = "posting-only"


@dataclass(frozen=True)
class ClientResult:
    transfers: int
    replays: int
    refusals: int
    errors: list[str]
    cpu_seconds: float  # the client process's CPU from the start signal to its last request
    backend_cpu_seconds: float  # its PostgreSQL backend's CPU over the same time


@dataclass(frozen=True)
class Run:
    name: str
    seconds: float
    transfers: int
    replays: int
    refusals: int
    client_cpu: float = 0.0  # seconds, the client processes
    server_cpu: float = 0.0  # seconds, the clients' PostgreSQL backends
    machine_cpu: float = 0.0  # seconds, every core busy during the run (other sessions' work included)

    @property
    def rate(self) -> float:
        return self.transfers / self.seconds

    def cpu_note(self) -> str:
        """CPU per counted request (transfers and replays) on each side, in ms."""
        requests = max(1, self.transfers + self.replays)
        clients, server = 1000 * self.client_cpu / requests, 1000 * self.server_cpu / requests
        machine = 1000 * self.machine_cpu / requests
        return f"cpu ms/request: clients {clients:.2f}, their backends {server:.2f}, machine {machine:.2f}"


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by process `pid` (Linux /proc; 0 when it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(") ")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """CPU seconds all cores spent busy so far (every process on the machine, other sessions' included)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except OSError:
        return 0.0
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")  # less idle and iowait


def recreate(server: str, name: str) -> None:
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def pgbench_args(server: str) -> list[str]:
    url = urlparse(server)
    return ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]


def pgbench_binary() -> str:
    for candidate in ("pgbench", "/usr/lib/postgresql/15/bin/pgbench"):
        if subprocess.run(["which", candidate], capture_output=True).returncode == 0 or Path(candidate).exists():  # noqa: S603, S607
            return candidate
    raise SystemExit("pgbench not found: apt-get install -y postgresql-contrib")


def pgbench_run(server: str, clients: int, seconds: int) -> Run:
    machine_started = machine_busy()
    out = subprocess.run(  # noqa: S603
        [pgbench_binary(), *pgbench_args(server), "-c", str(clients), "-j", "2", "-M", "prepared", "-T", str(seconds),
         PGBENCH_DB],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out.stdout)
    processed = re.search(r"number of transactions actually processed: (\d+)", out.stdout)
    if not match or not processed:
        raise SystemExit(out.stdout + out.stderr)
    transactions = int(processed.group(1))
    return Run(
        "pgbench",
        transactions / float(match.group(1)),
        transactions,
        0,
        0,
        machine_cpu=machine_busy() - machine_started,
    )


def setup_world(clients: int) -> dict[str, Any]:
    """Regions, one school class, a family per client, 16 supervised institutions with an operator each."""
    from django.utils import timezone

    from shuangjian.core.models import Role, User
    from shuangjian.core.tests import factories as f
    from shuangjian.ledger.models import Account, AccountKind, InstitutionLedger
    from shuangjian.training.models import Institution, LicenceStatus

    _province, _city, county, _other = f.regions()
    school_class = f.school_class(f.school(county, "基准小学"), 4, 1)
    bureau = f.named_user("基准教体局")
    families = []
    for index in range(clients):
        child = f.student(school_class, f"学生{index}")
        parent = f.named_user(f"家长{index}")
        f.guardian_of(child, parent, phone=f"138{index:08d}")
        families.append((parent.pk, child.pk))
    institutions = []
    for index in range(16):
        credit_code = f"9141140{index:02d}MA00000{index:02d}"
        institution = Institution.objects.create(
            credit_code=credit_code, name=f"基准机构{index}", kind="non_academic", category="sports", mode="offline",
            county=county, city=county.parent, province=county.parent.parent, legal_representative="张三",  # type: ignore[union-attr]
            licence_status=LicenceStatus.APPROVED,
        )  # fmt: skip
        operator = User.objects.create_user(username=f"bench-operator-{index}", password=uuid.uuid4().hex)
        f.assign(operator, Role.INSTITUTION_OPERATOR, institution_credit_code=credit_code)
        margin = Account.objects.create(kind=AccountKind.RISK_MARGIN, institution=institution)
        InstitutionLedger.objects.create(
            institution=institution, risk_margin=margin, opened_at=timezone.now(), opened_by=bureau
        )
        institutions.append((institution.pk, operator.pk))
    return {"families": families, "institutions": institutions}


def client(
    index: int, variant: str, seconds: float, world: dict[str, Any], ready: threading.Barrier, go: threading.Event
) -> ClientResult:
    """One client: a thread of a job process, with its own database connection (Django's are per thread)."""
    from django.db import connections
    from django.utils import timezone

    from shuangjian.core import access
    from shuangjian.core.errors import DomainError
    from shuangjian.core.models import User
    from shuangjian.ledger.models import HoldStatus, TransferKind
    from shuangjian.ledger.rules import request_digest
    from shuangjian.ledger.services import lessons, posting, purchases
    from shuangjian.ledger.services.common import clearing_account_id

    parent_id, child_id = world["families"][index]
    institution_id, operator_id = world["institutions"][0 if variant == "one-institution" else index % 16]
    parent, operator = User.objects.get(pk=parent_id), User.objects.get(pk=operator_id)
    access.assignments(parent), access.assignments(operator)  # a logged-in session's cached roles
    rng = random.Random(index)
    history: list[tuple[Any, dict[str, Any]]] = []
    transfers = replays = refusals = 0
    errors: list[str] = []

    def call(service: Any, **kwargs: Any) -> Any:
        nonlocal transfers, replays
        if variant == "replays" and history and rng.random() < 1 / 9:  # 10% of all requests are replays
            again, again_kwargs = rng.choice(history)
            again(**again_kwargs)
            replays += 1
        kwargs["idempotency_key"] = uuid.uuid4().hex
        result = service(**kwargs)
        history.append((service, kwargs))
        if len(history) > 200:
            history.pop(0)
        transfers += 1
        return result

    def post_directly(purchase: Any, lessons_delivered: int) -> None:
        """The commands lesson_deliver, lesson_confirm and purchase_refund build, posted without their reads."""
        nonlocal transfers
        price, clearing = purchase.price_per_lesson_fen, clearing_account_id()
        common: dict[str, Any] = {"actor_id": parent.pk, "purchase_id": purchase.pk}
        for _lesson in range(lessons_delivered):
            held = posting.post(posting.Command(
                key=uuid.uuid4().hex, digest=request_digest("deliver", purchase=purchase.pk), kind=TransferKind.HOLD,
                now=timezone.now(), legs=((purchase.prepaid_account_id, -price), (purchase.held_account_id, price)),
                held=1, require_open=True, new_hold_fen=price, **common,
            ))  # fmt: skip
            posting.post(posting.Command(
                key=uuid.uuid4().hex, digest=request_digest("confirm", hold=held.hold_id), kind=TransferKind.RELEASE,
                now=timezone.now(), legs=((purchase.held_account_id, -price), (purchase.released_account_id, price)),
                held=-1, consumed=1, require_open=True, hold_id=held.hold_id,
                hold_from=(HoldStatus.PENDING, HoldStatus.DISPUTED), hold_to=HoldStatus.RELEASED, **common,
            ))  # fmt: skip
            transfers += 2
        left = (purchase.lessons - lessons_delivered) * price
        posting.post(posting.Command(
            key=uuid.uuid4().hex, digest=request_digest("refund", purchase=purchase.pk, lessons=None),
            kind=TransferKind.REFUND, now=timezone.now(), legs=((purchase.prepaid_account_id, -left), (clearing, left)),
            refunded=purchase.lessons - lessons_delivered, **common,
        ))  # fmt: skip
        transfers += 1

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    ready.wait()
    go.wait()
    cpu_started, backend_started = time.thread_time(), process_cpu(backend)
    deadline = time.perf_counter() + seconds
    try:
        while time.perf_counter() < deadline:
            terms = purchases.CourseTerms("少儿篮球", 10, rng.randint(5_000, 40_000), 3)
            purchase = call(
                purchases.purchase_create, actor=parent, institution_id=institution_id, student_id=child_id,
                terms=terms,
            )  # fmt: skip
            if variant == DIAGNOSTIC:
                post_directly(purchase, rng.randint(4, 9))
                continue
            for _lesson in range(rng.randint(4, 9)):
                held = call(lessons.lesson_deliver, actor=operator, purchase_id=purchase.pk)
                call(lessons.lesson_confirm, actor=parent, hold_id=held.hold_id)
            try:
                call(purchases.purchase_refund, actor=parent, purchase_id=purchase.pk)
            except DomainError:
                refusals += 1
    except Exception as exc:  # reported by the parent process
        errors.append(repr(exc))
    cpu, backend_cpu = time.thread_time() - cpu_started, process_cpu(backend) - backend_started
    connections.close_all()
    return ClientResult(transfers, replays, refusals, errors, cpu, backend_cpu)


def job(indices: list[int], variant: str, seconds: float, world: dict[str, Any], barrier: Any, results: Any) -> None:
    """A forked process running the clients `indices` as threads, as a server's worker runs its threads (and as
    pgbench's `-j` threads run its clients); they start together with the other jobs' clients."""
    from django.db import connections

    connections.close_all()  # fresh connections in the forked process
    ready, go = threading.Barrier(len(indices) + 1), threading.Event()
    collected: list[ClientResult] = []
    threads = [
        threading.Thread(target=lambda i=i: collected.append(client(i, variant, seconds, world, ready, go)))
        for i in indices
    ]
    for thread in threads:
        thread.start()
    ready.wait()
    barrier.wait()
    go.set()
    for thread in threads:
        thread.join()
    for result in collected:
        results.put(result)


def ledger_run(variant: str, clients: int, jobs: int, seconds: float, world: dict[str, Any]) -> Run:
    from django.db import connections

    from shuangjian.ledger.audit import ledger_verify

    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(jobs + 1), context.Queue()
    workers = [
        context.Process(target=job, args=(list(range(j, clients, jobs)), variant, seconds, world, barrier, results))
        for j in range(jobs)
    ]
    for worker in workers:
        worker.start()
    barrier.wait()
    started, machine_started = time.perf_counter(), machine_busy()
    collected = [results.get(timeout=seconds + 120) for _ in range(clients)]
    elapsed, machine_cpu = time.perf_counter() - started, machine_busy() - machine_started
    for worker in workers:
        worker.join()
    errors = [error for result in collected for error in result.errors]
    if errors:
        raise SystemExit(f"{variant}: client errors: {errors[:3]}")
    problems = ledger_verify()
    if problems:
        raise SystemExit(f"{variant}: ledger not sound after the run: {problems[:5]}")
    return Run(
        variant, elapsed, sum(r.transfers for r in collected), sum(r.replays for r in collected),
        sum(r.refusals for r in collected), sum(r.cpu_seconds for r in collected),
        sum(r.backend_cpu_seconds for r in collected), machine_cpu,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=16, help="processes the clients run in, as threads")
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=[*VARIANTS, DIAGNOSTIC])
    parser.add_argument("--db-options", default=DEPLOYMENT_OPTIONS, help="query string of the ledger's DATABASE_URL")
    args = parser.parse_args()
    variants = tuple(args.variants)

    recreate(args.server, PGBENCH_DB)
    subprocess.run([pgbench_binary(), *pgbench_args(args.server), "-i", "-s", "16", "-q", PGBENCH_DB],  # noqa: S603
                   check=True, capture_output=True)  # fmt: skip
    recreate(args.server, LEDGER_DB)
    os.environ["DATABASE_URL"] = f"{args.server}/{LEDGER_DB}" + (f"?{args.db_options}" if args.db_options else "")
    os.environ["DB_CONN_MAX_AGE"] = "600"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    world = setup_world(args.clients)

    runs: dict[str, list[Run]] = {name: [] for name in ("pgbench", *variants)}
    ratios: dict[str, list[float]] = {name: [] for name in variants}
    for round_number in range(1, args.rounds + 1):
        baseline = pgbench_run(args.server, args.clients, args.seconds)
        runs["pgbench"].append(baseline)
        print(f"round {round_number}: pgbench {baseline.rate:,.0f} tps; {baseline.cpu_note()}", flush=True)
        for variant in variants:
            run = ledger_run(variant, args.clients, args.jobs, args.seconds, world)
            runs[variant].append(run)
            ratios[variant].append(run.rate / baseline.rate)
            print(
                f"round {round_number}: {variant:16} {run.rate:,.0f} transfers/s ({run.transfers} in"
                f" {run.seconds:.1f} s, {run.replays} replays, {run.refusals} refusals)"
                f" ratio {run.rate / baseline.rate:.2f}; ledger sound; {run.cpu_note()}",
                flush=True,
            )
    print()
    print(f"ledger connection options: {args.db_options or '(none)'}")
    print(f"pgbench median {statistics.median(r.rate for r in runs['pgbench']):,.0f} tps")
    for variant in variants:
        rate = statistics.median(r.rate for r in runs[variant])
        print(f"{variant:16} median {rate:,.0f} transfers/s, median ratio {statistics.median(ratios[variant]):.2f}")
    if "main" in ratios:
        target = statistics.median(ratios["main"]) >= 0.5
        print(f"target (main >= 0.5x pgbench): {'met' if target else 'NOT met'}")


if __name__ == "__main__":
    main()
