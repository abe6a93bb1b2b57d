"""Diagnostic benchmark: how close to pgbench can a ledger transfer get on this machine (issue 6)?

`ledger_transfers.py` measures the real services. This script measures the ceilings under them, each called the
way the services call the database (16 forked Python clients, Django's connection with the production options,
one round trip per transfer) and compared with pgbench (`-c 16 -j 2 -M prepared`, `-i -s 16`) in the same round:

- `minimal`: the smallest transfer the issue asks for, in a scratch database: a transfer row with a unique
  idempotency key, two postings, two maintained balances with a CHECK floor and a hash chain, deferred foreign
  keys and a statement trigger checking that the legs balance. No holds, no lesson counters, no access check.
- `posting`: the platform's own `ledger_post` (migration 0002), called directly with a lesson's delivery and then
  its void (a hold opened and settled, the purchase's lesson counters moved), without the services' access-checked
  read or their Python.
- `posting-bare`: the same function with the same legs, but opening no hold and moving no lesson counters.

    .venv/bin/python bench/ledger_floor.py [--rounds 3] [--seconds 10] [--server postgres://postgres@127.0.0.1:5432]

It creates (and recreates on every invocation) the databases `sj_bench_floor` (the minimal schema below) and
`sj_bench_ledger_floor` (migrated, 16 families with a purchase each), and `sj_bench_pgbench` as
`ledger_transfers.py` does.
"""

import argparse
import hashlib
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ledger_transfers as lt  # the sibling benchmark's helpers

FLOOR_DB = "sj_bench_floor"
LEDGER_DB = "sj_bench_ledger_floor"
CLIENTS = 16
VARIANTS = ("minimal", "posting", "posting-bare")

MINIMAL_SCHEMA = r"""
CREATE TABLE m_account (id bigserial PRIMARY KEY, balance_fen bigint NOT NULL CHECK (balance_fen >= 0),
    posting_count bigint NOT NULL DEFAULT 0, head_hash text NOT NULL DEFAULT '');
CREATE TABLE m_transfer (id bigserial PRIMARY KEY, idempotency_key varchar(80) NOT NULL UNIQUE,
    request_digest text NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE m_posting (id bigserial PRIMARY KEY,
    transfer_id bigint NOT NULL REFERENCES m_transfer DEFERRABLE INITIALLY DEFERRED,
    account_id bigint NOT NULL REFERENCES m_account DEFERRABLE INITIALLY DEFERRED,
    amount_fen bigint NOT NULL CHECK (amount_fen <> 0), seq bigint NOT NULL CHECK (seq > 0),
    balance_after_fen bigint NOT NULL, hash text NOT NULL, UNIQUE (account_id, seq));
CREATE INDEX ON m_posting (transfer_id);
CREATE FUNCTION m_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM new_rows GROUP BY transfer_id HAVING sum(amount_fen) <> 0 OR count(*) < 2) THEN
        RAISE EXCEPTION 'unbalanced';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER m_balanced AFTER INSERT ON m_posting REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION m_balanced();
CREATE FUNCTION m_post(p_key text, p_digest text, p_kind text, p_now timestamptz, p_from bigint, p_to bigint,
                       p_amount bigint, OUT transfer_id bigint, OUT replayed boolean)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    a1 bigint; a2 bigint; m1 bigint; m2 bigint; b1 bigint; s1 bigint; h1 text; b2 bigint; s2 bigint; h2 text;
BEGIN
    INSERT INTO m_transfer (idempotency_key, request_digest, kind, created_at) VALUES (p_key, p_digest, p_kind, p_now)
    ON CONFLICT (idempotency_key) DO NOTHING RETURNING id INTO transfer_id;
    IF transfer_id IS NULL THEN
        SELECT t.id INTO transfer_id FROM m_transfer t WHERE t.idempotency_key = p_key;
        replayed := true;
        RETURN;
    END IF;
    IF p_from < p_to THEN a1 := p_from; m1 := -p_amount; a2 := p_to; m2 := p_amount;
    ELSE a1 := p_to; m1 := p_amount; a2 := p_from; m2 := -p_amount; END IF;
    UPDATE m_account SET balance_fen = balance_fen + m1, posting_count = posting_count + 1,
        head_hash = encode(sha256(convert_to(concat_ws('|', head_hash, id, posting_count + 1, transfer_id, p_kind, m1),
                                             'UTF8')), 'hex')
     WHERE id = a1 RETURNING balance_fen, posting_count, head_hash INTO b1, s1, h1;
    UPDATE m_account SET balance_fen = balance_fen + m2, posting_count = posting_count + 1,
        head_hash = encode(sha256(convert_to(concat_ws('|', head_hash, id, posting_count + 1, transfer_id, p_kind, m2),
                                             'UTF8')), 'hex')
     WHERE id = a2 RETURNING balance_fen, posting_count, head_hash INTO b2, s2, h2;
    INSERT INTO m_posting (transfer_id, account_id, amount_fen, seq, balance_after_fen, hash)
    VALUES (transfer_id, a1, m1, s1, b1, h1), (transfer_id, a2, m2, s2, b2, h2);
    replayed := false;
END $$;
INSERT INTO m_account (balance_fen) SELECT 1000000000 FROM generate_series(1, 32);
"""
MINIMAL_SQL = (
    "SELECT transfer_id, replayed FROM m_post(%s::text, %s::text, %s::text, %s::timestamptz, %s::bigint, %s::bigint,"
    " %s::bigint)"
)


def minimal_client(index: int, seconds: float, start: Any, results: Any) -> None:
    """Moves 100 fen back and forth between the client's own two accounts."""
    from django.db import connection, connections
    from django.utils import timezone

    connections.close_all()
    source, target = 2 * index + 1, 2 * index + 2
    digest = hashlib.sha256(b"minimal").hexdigest()
    start.wait()
    transfers, cpu_started, deadline = 0, time.thread_time(), time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(MINIMAL_SQL, [uuid.uuid4().hex, digest, "release", timezone.now(), source, target, 100])
            cursor.fetchone()
        source, target = target, source
        transfers += 1
    results.put((transfers, time.thread_time() - cpu_started))


def posting_client(index: int, seconds: float, start: Any, results: Any, purchases: list[Any], bare: bool) -> None:
    """A lesson delivered (prepaid -> held) and voided (held -> prepaid), over and over, on the client's purchase."""
    from django.db import connection, connections
    from django.utils import timezone

    from shuangjian.ledger.models import HoldStatus, TransferKind
    from shuangjian.ledger.services import posting

    connections.close_all()
    purchase = purchases[index]
    price, prepaid, held = purchase.price_per_lesson_fen, purchase.prepaid_account_id, purchase.held_account_id
    digest = hashlib.sha256(b"posting").hexdigest()
    open_hold = (0 if bare else 1, 0, 0, not bare, None, [], "", 0 if bare else price)
    start.wait()
    transfers, cpu_started, deadline = 0, time.thread_time(), time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(posting._SQL, [  # the statement the services run
                uuid.uuid4().hex, digest, TransferKind.HOLD, None, timezone.now(), [prepaid, held], [-price, price],
                purchase.pk, *open_hold, None, "",
            ])  # fmt: skip
            hold_id = cursor.fetchone()[1]
            settle = (None, [], "") if bare else (hold_id, [HoldStatus.PENDING, HoldStatus.DISPUTED], HoldStatus.VOIDED)
            cursor.execute(posting._SQL, [
                uuid.uuid4().hex, digest, TransferKind.VOID, None, timezone.now(), [held, prepaid], [-price, price],
                purchase.pk, 0 if bare else -1, 0, 0, False, *settle, 0, None, "",
            ])  # fmt: skip
            cursor.fetchone()
        transfers += 2
    results.put((transfers, time.thread_time() - cpu_started))


def clients_run(name: str, target: Any, extra: tuple[Any, ...], seconds: float, server: str, database: str) -> lt.Run:
    from django.db import connections

    os.environ["DATABASE_URL"] = f"{server}/{database}?{lt.DEPLOYMENT_OPTIONS}"
    connections["default"].settings_dict["NAME"] = database
    connections.close_all()
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(CLIENTS + 1), context.Queue()
    workers = [
        context.Process(target=target, args=(index, seconds, start, results, *extra)) for index in range(CLIENTS)
    ]
    for worker in workers:
        worker.start()
    start.wait()
    started, machine_started = time.perf_counter(), lt.machine_busy()
    collected = [results.get(timeout=seconds + 60) for _ in workers]
    elapsed, machine = time.perf_counter() - started, lt.machine_busy() - machine_started
    for worker in workers:
        worker.join()
    transfers = sum(count for count, _cpu in collected)
    return lt.Run(name, elapsed, transfers, 0, 0, client_cpu=sum(cpu for _count, cpu in collected),
                  machine_cpu=machine)  # fmt: skip


def prepare_ledger(server: str) -> list[Any]:
    """A migrated ledger with 16 families, each with a 10-lesson purchase at its own institution."""
    from django.core.management import call_command

    from shuangjian.core.models import User
    from shuangjian.ledger.services import purchases

    call_command("migrate", verbosity=0, interactive=False)
    world = lt.setup_world(CLIENTS)
    bought = []
    families, institutions = world["families"], world["institutions"]
    for (parent_id, child_id), (institution_id, _operator) in zip(families, institutions, strict=True):
        bought.append(purchases.purchase_create(
            actor=User.objects.get(pk=parent_id), institution_id=institution_id, student_id=child_id,
            terms=purchases.CourseTerms("基准课程", 10, 10_000, 3), idempotency_key=uuid.uuid4().hex,
        ))  # fmt: skip
    return bought


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    lt.recreate(args.server, lt.PGBENCH_DB)
    subprocess.run([lt.pgbench_binary(), *lt.pgbench_args(args.server), "-i", "-s", "16", "-q", lt.PGBENCH_DB],  # noqa: S603
                      check=True, capture_output=True)  # fmt: skip
    lt.recreate(args.server, FLOOR_DB)
    with psycopg.connect(f"{args.server}/{FLOOR_DB}", autocommit=True) as floor:
        floor.execute(MINIMAL_SCHEMA.encode())
    lt.recreate(args.server, LEDGER_DB)
    os.environ["DATABASE_URL"] = f"{args.server}/{LEDGER_DB}?{lt.DEPLOYMENT_OPTIONS}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangjian.settings")
    import django

    django.setup()
    bought = prepare_ledger(args.server)

    runs: dict[str, list[tuple[lt.Run, float]]] = {name: [] for name in VARIANTS}
    for round_number in range(1, args.rounds + 1):
        baseline = lt.pgbench_run(args.server, CLIENTS, args.seconds)
        machine = 1000 * baseline.machine_cpu / baseline.transfers
        print(f"round {round_number}: pgbench {baseline.rate:,.0f} tps; machine {machine:.2f} ms/tx", flush=True)
        for name in VARIANTS:
            if name == "minimal":
                run = clients_run(name, minimal_client, (), args.seconds, args.server, FLOOR_DB)
            else:
                extra = (bought, name == "posting-bare")
                run = clients_run(name, posting_client, extra, args.seconds, args.server, LEDGER_DB)
            ratio = run.rate / baseline.rate
            runs[name].append((run, ratio))
            print(f"round {round_number}: {name:13} {run.rate:,.0f} transfers/s, ratio {ratio:.2f};"
                  f" clients {1000 * run.client_cpu / run.transfers:.3f} ms,"
                  f" machine {1000 * run.machine_cpu / run.transfers:.3f} ms per transfer", flush=True)  # fmt: skip
    print()
    for name in VARIANTS:
        print(f"{name:13} median ratio {statistics.median(ratio for _run, ratio in runs[name]):.2f}")


if __name__ == "__main__":
    main()
