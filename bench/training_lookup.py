"""Benchmark: the public institution lookup through the real HTTP stack over a national-size registry (issue 4).

Target: >= 1,000 requests/s on 2 cores for a name search over ~200,000 institutions, p99 < 50 ms, wrk on loopback.

Steps: create and migrate the database if needed, load the regions, and generate `--institutions` registry rows
(bulk, bench-only; 85% approved, names from a vocabulary of ~3,600 two-character words so that fragments are about
as selective as real names) when fewer exist; VACUUM ANALYZE; write the requests: `--queries` distinct searches
(name fragments of 2-4 characters taken from stored names, one in ten an exact credit code), each given a
popularity rank, and a sequence of `--requests` paths drawn from them with Zipf weights 1/rank^s (`--zipf`; 0 draws
uniformly). Then, for each cache setting (`--caches`): start granian on 127.0.0.1 (`off`: PUBLIC_CACHE_ENTRIES=0,
every request is a database search; `on`: the server's public cache as deployed, training.public_cache), warm up,
and for each mode — `baseline` (GET /bench/lookup?q=, the stack's ceiling for a read of the same size:
bench/bench_urls.py), `api` (GET /api/v1/training/lookup?q=, JSON) and `page` (GET /training/lookup/?q=, the HTML
page) — run wrk `--runs` times over the same sequence; print every run and the medians.

    .venv/bin/python bench/training_lookup.py [--institutions 200000] [--runs 3] [--duration 10]
        [--caches off,on] [--zipf 1.0] [--workers 8 --threads 1] [--connections 8]
        [--database-url postgres://postgres@127.0.0.1:5432/sj_bench_training]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import homework_common as common

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sj_bench_training"
WORK_DIR = common.ROOT / "var" / "bench" / "training"
LUA = common.ROOT / "bench" / "wrk" / "training_lookup.lua"
PATHS = {"api": "/api/v1/training/lookup?q=", "page": "/training/lookup/?q=", "baseline": "/bench/lookup?q="}
TARGET_RATE, TARGET_P99_MS = 1000.0, 50.0
CACHE_ENTRIES = 2000  # the deployed default (settings.PUBLIC_CACHE_ENTRIES)
_CHARS = "明华新星智博雅育才晨光远航卓越青禾德知启蒙乐学思维书画琴韵艺童趣科创未来阳光彩虹天宇金桥海翼文峰"
_SUFFIXES = ("培训学校", "教育", "艺术培训中心", "体育俱乐部", "科技创新中心", "书院", "学堂", "培训中心")


@dataclass(frozen=True)
class Run:
    mode: str
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        return (
            f"{self.mode:5} {self.rate:8,.0f} req/s  p50 {self.p50_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms  "
            f"max {self.max_ms:7.1f} ms  requests {self.requests:,}  errors {self.errors}"
        )


def _credit_code(rng: random.Random, county: str) -> str:
    from stdnum.cn import uscc

    body = "52" + county + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def ensure_registry(database_url: str, institutions: int) -> None:
    """Create/migrate the database, load the regions and generate the registry when it is short."""
    import psycopg
    from django.core.management import call_command
    from django.db import connection
    from psycopg import sql

    from shuangjian.core.models import Region
    from shuangjian.seeding import load, presets
    from shuangjian.training.models import Institution, InstitutionNameGram

    server, name = common.split_url(database_url)
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    call_command("migrate", verbosity=0, interactive=False)
    load.regions_upsert(presets.regions())
    have = Institution.objects.count()
    if have >= institutions:
        return
    started = time.perf_counter()
    rng = random.Random(f"bench-training:{have}")
    counties = list(Region.objects.filter(level="county").select_related("parent__parent"))
    words = [a + b for a in _CHARS for b in _CHARS if a != b]
    codes: set[str] = set(Institution.objects.values_list("credit_code", flat=True))
    batch: list[Institution] = []
    for _n in range(institutions - have):
        county = rng.choice(counties)
        code = _credit_code(rng, county.code)
        while code in codes:
            code = _credit_code(rng, county.code)
        codes.add(code)
        name = county.name + rng.choice(words) + rng.choice(words) + rng.choice(_SUFFIXES)
        batch.append(
            Institution(
                credit_code=code,
                name=name,
                kind="non_academic",
                category="arts",
                mode="offline",
                county=county,
                city=county.parent,
                province=county.parent.parent if county.parent else None,
                legal_representative="张明",
                licence_status="approved" if rng.random() < 0.85 else "cancelled",
            )
        )
        if len(batch) == 10_000:
            InstitutionNameGram.reindex(Institution.objects.bulk_create(batch))
            batch.clear()
    InstitutionNameGram.reindex(Institution.objects.bulk_create(batch))
    with connection.cursor() as cursor:  # as autovacuum would leave them: statistics, and a visibility map
        cursor.execute("VACUUM ANALYZE training_institution")
        cursor.execute("VACUUM ANALYZE training_institutionnamegram")
    print(f"generated {institutions - have:,} institutions in {time.perf_counter() - started:.0f} s", flush=True)


def write_paths(mode: str, queries: int, requests: int, zipf: float) -> Path:
    from shuangjian.training.models import Institution

    rng = random.Random(f"bench-training-paths:{mode}")
    rows = list(
        Institution.objects.filter(licence_status="approved").values_list("name", "county__name", "credit_code")[
            :50_000
        ]
    )
    distinct: dict[str, None] = {}
    while len(distinct) < queries:
        full_name, county, code = rng.choice(rows)
        name = full_name.removeprefix(county)  # parents type the institution's own words, not its county
        if rng.random() < 0.1:
            query = code
        else:
            length = rng.choice((2, 3, 4))
            start = rng.randrange(len(name) - length + 1)
            query = name[start : start + length]
        distinct[PATHS[mode] + urllib.parse.quote(query)] = None
    ranked = list(distinct)  # drawn at random, so a rank says nothing of a query's length or kind
    weights = [1 / rank**zipf for rank in range(1, len(ranked) + 1)]
    lines = rng.choices(ranked, weights=weights, k=requests)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    target = WORK_DIR / f"paths-{mode}.txt"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def run_wrk(server: common.Server, paths: Path, mode: str, args: argparse.Namespace, seconds: int) -> Run:
    wrk = shutil.which("wrk") or "/usr/bin/wrk"
    command = [
        wrk, f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{seconds}s", "--timeout", "10s",
        "-s", str(LUA), server.url(), "--", str(paths), str(args.wrk_threads),
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 120)  # noqa: S603
    data = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("BENCH_JSON")).split(" ", 1)[1])
    return Run(
        mode=mode,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=sum(data[k] for k in data if k.startswith("errors_")),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--institutions", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=3)
    # As many connections as the server has threads: each request is served at once and the latency is the server's,
    # not a queue's (with 64, at 1,000 requests/s the mean alone would be 64 ms: Little's law). 0: workers x threads.
    parser.add_argument("--connections", type=int, default=0)
    parser.add_argument("--wrk-threads", type=int, default=2)
    # The public pages' own pool (docs/DEPLOYMENT.md): single-thread workers keep the tail short.
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--queries", type=int, default=20_000, help="distinct searches per mode")
    parser.add_argument("--requests", type=int, default=200_000, help="length of the request sequence per mode")
    parser.add_argument("--zipf", type=float, default=1.0, help="popularity exponent s (weights 1/rank^s)")
    parser.add_argument("--caches", default="off,on", help="server cache settings to measure: off, on")
    parser.add_argument("--modes", default="baseline,api,page")
    args = parser.parse_args()
    args.connections = args.connections or args.workers * args.threads

    common.setup_django(args.database_url)
    ensure_registry(args.database_url, args.institutions)
    print(common.machine(args.database_url))
    modes = [m for m in args.modes.split(",") if m in PATHS]
    files = {mode: write_paths(mode, args.queries, args.requests, args.zipf) for mode in modes}
    print(f"requests: {args.requests:,} per mode drawn from {args.queries:,} distinct searches, Zipf s={args.zipf}")
    settings = common.ServerSettings(args.port, args.workers, args.threads, db_options=common.SERVER_DB_OPTIONS)
    print(f"server: {settings.describe()}; wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s")
    for cache in args.caches.split(","):
        os.environ["PUBLIC_CACHE_ENTRIES"] = "0" if cache == "off" else str(CACHE_ENTRIES)
        server = common.Server(settings, args.database_url, db_options=common.SERVER_DB_OPTIONS)
        server.log = WORK_DIR / "granian.log"
        runs: dict[str, list[Run]] = {mode: [] for mode in modes}
        with server:
            for mode in modes:
                print(f"cache {cache} warm-up " + run_wrk(server, files[mode], mode, args, args.warmup).line())
            for _ in range(args.runs):
                for mode in modes:
                    run = run_wrk(server, files[mode], mode, args, args.duration)
                    runs[mode].append(run)
                    print(f"cache {cache} " + run.line(), flush=True)
        for mode, measured in runs.items():
            rate = statistics.median(r.rate for r in measured)
            p99 = statistics.median(r.p99_ms for r in measured)
            met = "met" if rate >= TARGET_RATE and p99 < TARGET_P99_MS else "NOT met"
            print(f"median cache {cache} {mode}: {rate:,.0f} req/s, p99 {p99:.1f} ms (target >= {TARGET_RATE:,.0f} "
                  f"req/s, p99 < {TARGET_P99_MS:.0f} ms: {met})", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
