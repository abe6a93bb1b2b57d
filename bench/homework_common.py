"""Shared by bench/homework_peak.py and bench/homework_monitoring.py: the benchmark database, bench-only accounts
with known API tokens, the school days to report on, and the granian server under bench settings.

Bench-only setup writes rows in bulk (bulk_create / SQL), as STYLE.md 5 allows for bulk seed paths; the code under
test (the API, services, selectors, the `homework_rollups` command) is always the production code.
"""

import hashlib
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sj_bench_homework"
WORK_DIR = ROOT / "var" / "bench" / "homework"
# Prepared statements (psycopg prepares a query after its 5th run on a connection), as docs/DEPLOYMENT.md advises.
SERVER_DB_OPTIONS = "server_side_binding=true&prepare_threshold=5"
TOKEN_PREFIX = "bench"  # noqa: S105 - a prefix, not a secret


def setup_django(database_url: str) -> None:
    """Point Django at the bench database and the bench settings, then set it up (settings read the env once)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def split_url(database_url: str) -> tuple[str, str]:
    server, _, name = database_url.rstrip("/").rpartition("/")
    return server, name


def ensure_database(database_url: str, preset: str) -> float | None:
    """Create the database if missing, migrate it, and seed `preset` when it has no schools.
    Returns the seed time in seconds, or None when the database was already seeded."""
    from django.core.management import call_command

    from shuangjian.core.models import School
    from shuangjian.seeding.presets import Preset
    from shuangjian.seeding.run import seed_database

    server, name = split_url(database_url)
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    call_command("migrate", verbosity=0, interactive=False)
    if School.objects.exists():
        return None
    print(f"seeding the {preset} preset into {name} (takes minutes for city)...", flush=True)
    result = seed_database(preset=Preset(preset), seed=1, progress=sys.stderr.isatty())
    print(f"seeded {result.counts['students']:,} students in {result.seconds:.0f} s", flush=True)
    return result.seconds


def socket_url(database_url: str, socket_dir: str) -> str:
    """The same database reached through PostgreSQL's Unix-domain socket in `socket_dir` (same host only)."""
    server, name = split_url(database_url)
    user = server.split("//", 1)[1].split("@", 1)[0] if "@" in server else ""
    return f"postgres://{user}@{urllib.parse.quote(socket_dir, safe='')}/{name}"


def raw_token(username: str) -> str:
    """The bench account's raw API token, derived from its username so every run knows it. Bench databases only:
    production tokens are random (core.services.accounts.api_token_create)."""
    return TOKEN_PREFIX + hashlib.sha256(f"shuangjian-bench-token|{username}".encode()).hexdigest()


def bench_accounts(specs: list[tuple[str, dict[str, Any]]]) -> dict[str, int]:
    """Create (once) bench users with one role assignment and one API token each, in bulk.
    `specs` is [(username, role assignment fields)]. Returns {username: user id} for all of them."""
    from django.db import transaction

    from shuangjian.core.models import APIToken, RoleAssignment, User
    from shuangjian.core.selectors import api_token_digest

    wanted = dict(specs)
    existing = dict(User.objects.filter(username__in=list(wanted)).values_list("username", "pk"))
    missing = [name for name in wanted if name not in existing]
    with transaction.atomic():
        created = User.objects.bulk_create(
            [User(username=name, password="!", display_name=name) for name in missing],  # noqa: S106 - unusable
            batch_size=5000,
        )
        ids = {u.username: u.pk for u in created}
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user_id=ids[name], **wanted[name]) for name in missing], batch_size=5000
        )
        APIToken.objects.bulk_create(
            [
                APIToken(user_id=ids[name], name="bench", token_digest=api_token_digest(raw_token(name)))
                for name in missing
            ],
            batch_size=5000,
        )
    existing.update(ids)
    return existing


def school_days(start: date, end: date) -> list[date]:
    """School days from start to end by the seeded calendar (default terms, national holidays), for any school."""
    from shuangjian.core import calendar
    from shuangjian.core.models import School

    school = School.objects.order_by("pk").first()
    if school is None:
        raise SystemExit("no schools: seed the database first")
    return calendar.school_days(school, start, end)


def school_day_caps(on: date) -> list[tuple[str, int, int | None]]:
    """(county, grade, cap) on a school day, from each county's effective policy profile."""
    from shuangjian.core.models import Region, SchoolClass
    from shuangjian.core.rules import DayKind
    from shuangjian.policy import rules as policy_rules
    from shuangjian.policy.selectors import effective_profile

    grades = sorted(set(SchoolClass.objects.values_list("grade", flat=True)))
    caps = []
    for county in Region.objects.filter(level="county").select_related("parent__parent"):
        profile = effective_profile(county, on)
        caps.extend((county.code, g, policy_rules.homework_cap_minutes(profile, g, DayKind.SCHOOL_DAY)) for g in grades)
    return caps


@dataclass(frozen=True)
class ServerSettings:
    port: int
    workers: int
    threads: int

    db_options: str = ""
    db_socket: str = ""

    def describe(self) -> str:
        options = f", DATABASE_URL options: {self.db_options}" if self.db_options else ""
        via = f"Unix socket {self.db_socket}" if self.db_socket else "TCP"
        return (
            f"granian WSGI, {self.workers} workers x {self.threads} blocking threads, 127.0.0.1:{self.port}; "
            f"PostgreSQL via {via}{options}"
        )


class Server:
    """granian serving shuangjian.wsgi under bench.bench_settings on 127.0.0.1, started and stopped by us."""

    def __init__(self, settings: ServerSettings, database_url: str, db_options: str = "") -> None:
        self.settings = settings
        # The server's DATABASE_URL may carry connection OPTIONS as a query string (dj-database-url), e.g.
        # server_side_binding=true&prepare_threshold=5 for prepared statements (docs/DEPLOYMENT.md).
        self.database_url = f"{database_url}?{db_options}" if db_options else database_url
        self.process: subprocess.Popen[bytes] | None = None
        self.log = WORK_DIR / "granian.log"

    def __enter__(self) -> "Server":
        WORK_DIR.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "bench.bench_settings",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
        command = [
            str(VENV_BIN / "granian"),
            "--interface", "wsgi",
            "--host", "127.0.0.1",
            "--port", str(self.settings.port),
            "--workers", str(self.settings.workers),
            "--blocking-threads", str(self.settings.threads),
            "--no-access-log",
            "--working-dir", str(ROOT),
            "shuangjian.wsgi:application",
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_ready()
        return self

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.settings.port}{path}"

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(f"granian exited early; see {self.log}")
            try:
                urllib.request.urlopen(self.url("/api/v1/"), timeout=2)  # noqa: S310 - loopback, our server
            except urllib.error.HTTPError:
                return  # any HTTP answer (a JSON 404 here) means the workers are up
            except OSError:
                time.sleep(0.3)
                continue
            return
        raise SystemExit(f"granian did not answer within {timeout:.0f} s; see {self.log}")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        out = subprocess.run(  # noqa: S603
            ["/usr/bin/pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in out.stdout.split()]

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # granian and its workers: the session we started
            self.process.wait(timeout=10)
        self.process = None


def machine(database_url: str) -> str:
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        kib = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    server, _ = split_url(database_url)
    with psycopg.connect(server + "/postgres") as conn:
        row = conn.execute("SHOW server_version").fetchone()
        settings = dict(
            conn.execute(
                "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)",
                [["shared_buffers", "synchronous_commit", "max_connections", "work_mem"]],
            ).fetchall()
        )
    version = row[0] if row else "?"
    python = f"{platform.python_implementation()} {platform.python_version()}"
    pg = ", ".join(f"{k}={v}" for k, v in sorted(settings.items()))
    return f"{os.cpu_count()} cores, {kib / 2**20:.1f} GiB RAM, {python}, PostgreSQL {version} ({pg})"
