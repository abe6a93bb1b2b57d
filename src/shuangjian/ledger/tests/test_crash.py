"""PostgreSQL: the ledger worker (crash_worker.py) is killed with SIGKILL at random points of a run of transfers,
then restarted, three times. Afterwards the ledger is sound and every transfer the worker acknowledged (its call
returned) is there with the id it was given: a transfer is whole or absent, never half-written. Run once per
posting path."""

import os
import random
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from shuangjian.ledger import audit
from shuangjian.ledger.models import Transfer
from shuangjian.ledger.tests.conftest import ENGINES, LedgerWorld, build_world
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[4]
ROUNDS = 3


@pytest.fixture
def fresh_world(transactional_db: None) -> Iterator[LedgerWorld]:
    create_missing_national_versions(PolicyProfile)
    yield build_world()


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for_other_sessions_to_end() -> None:
    """A killed client's server session finishes (commits or rolls back) what it was doing, then ends."""
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            cursor.execute("SELECT pg_sleep(0.05)")
    raise AssertionError("a killed worker's database session did not end")


def run_and_kill(world: LedgerWorld, twin: bool, acknowledged: list[tuple[str, int]], rng: random.Random) -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.settings", DATABASE_URL=database_url(), DB_CONN_MAX_AGE="0")
    env["LEDGER_TWIN"] = "1" if twin else "0"
    args = [str(world.parent.pk), str(world.operator.pk), str(world.institution.pk), str(world.child.pk)]
    with tempfile.TemporaryFile("w+") as errors:
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "shuangjian.ledger.tests.crash_worker", *args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True,
        )  # fmt: skip
        try:
            assert worker.stdout is not None
            kill_after = rng.randint(3, 25)
            for line in worker.stdout:
                _ack, key, identifier = line.split()
                acknowledged.append((key, int(identifier)))
                kill_after -= 1
                if kill_after == 0:
                    break
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        errors.seek(0)
        assert worker.returncode == -signal.SIGKILL, errors.read()


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_killed_worker_leaves_whole_transfers_and_loses_no_acknowledged_one(
    fresh_world: LedgerWorld, engine_name: str
) -> None:
    rng = random.Random(engine_name)
    acknowledged: list[tuple[str, int]] = []
    # when: three runs, each killed at a random point
    for _round in range(ROUNDS):
        run_and_kill(fresh_world, engine_name == "python_twin", acknowledged, rng)
        wait_for_other_sessions_to_end()
        # then, after each restart: the ledger is sound
        assert audit.ledger_verify() == []
    # and every acknowledged transfer (or purchase) is there with its id
    stored = {t.idempotency_key: t for t in Transfer.objects.filter(idempotency_key__in=[k for k, _ in acknowledged])}
    assert len(acknowledged) >= ROUNDS * 3
    for key, identifier in acknowledged:
        transfer = stored[key]
        assert identifier in (transfer.pk, transfer.purchase_id)
