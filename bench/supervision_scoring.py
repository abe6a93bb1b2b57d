"""Benchmark: the nightly risk scoring of a city's training institutions (issue 4, item 6: "Nightly risk scoring of
all institutions in a city in under 10 s").

Two registries in Shangqiu (411400), generated in bulk into a bench database (bench-only setup writes rows
directly, as STYLE.md 5 allows for bulk seed paths; the code timed is the production service):
- `city`: the city preset's figures, 217 licensed and 152 cancelled institutions (seeding/training.py);
- `stress`: 20,000 institutions.
Each has signals: one or two courses per institution with weekly sittings (some ending after 20:30, some academic on
Saturdays), recent cheaper courses (price cuts), complaints in the window, sanctions in force, suspended licences.
The ledger's tables are empty here (its two grouped queries still run). The city's early-warning thresholds are the
Shangqiu example profile's.

Timed per run: `risk_score_region(region=411400, on=day)`, the full nightly run (signals, rules, bulk insert of the
day's scores and notices), on successive days; the baseline in the same run is a plain `SELECT count(*)` over the
same institutions. Prints every run, the medians and whether the target is met. Keep the runs few: the machine is
shared.

    .venv/bin/python bench/supervision_scoring.py [--runs 5] [--stress 20000]
        [--database-url postgres://postgres@127.0.0.1:5432/sj_h3_bench]
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import homework_common as common

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sj_h3_bench"
TARGET_SECONDS = 10.0
CITY_LICENSED, CITY_CANCELLED = 217, 152
FIRST_DAY = date(2026, 9, 7)
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _generate(total: int, licensed_share: float, tag: str) -> None:
    """Replace the registry with `total` institutions and their signals (bulk)."""
    import psycopg  # noqa: F401 (PostgreSQL only)
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone
    from stdnum.cn import uscc

    from shuangjian.core.models import Region, User
    from shuangjian.supervision.models import RiskScore, RiskWarning, WarningEvent
    from shuangjian.training.models import Complaint, Course, Institution, Sanction, TimetableEntry

    WarningEvent.objects.all().delete()
    RiskWarning.objects.all().delete()
    RiskScore.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE training_timetableentry, training_course, training_complaint, training_sanction, "
            "training_institutionevent, training_site, training_institutionstaff, training_institution CASCADE"
        )
    rng = random.Random(f"bench-supervision:{tag}")
    user, _created = User.objects.get_or_create(
        username="bench-supervision", defaults={"password": make_password(None)}
    )
    counties = list(Region.objects.filter(level="county", parent_id="411400").select_related("parent__parent"))
    institutions = []
    for n in range(total):
        county = counties[n % len(counties)]
        body = "52" + county.code + "".join(rng.choice(_ALPHABET) for _ in range(9))
        academic = rng.random() < 0.4
        status = "approved" if n < total * licensed_share else "cancelled"
        if status == "approved" and rng.random() < 0.03:
            status = "suspended"
        institutions.append(
            Institution(
                credit_code=body + uscc.calc_check_digit(body), name=f"{county.name}测评机构{tag}{n}",
                kind="academic" if academic else "non_academic", category="" if academic else "arts", mode="offline",
                county=county, city=county.parent, province=county.parent.parent if county.parent else None,
                legal_representative="张明", licence_status=status,
            )
        )  # fmt: skip
    Institution.objects.bulk_create(institutions, batch_size=5000, ignore_conflicts=True)
    rows = list(Institution.objects.values_list("pk", "county_id", "kind", "licence_status", "name"))
    now = timezone.now()
    courses, complaints, sanctions = [], [], []
    for pk, county, kind, status, name in rows:
        if status == "cancelled":
            continue
        for c in range(rng.choice((1, 1, 2))):
            recent = rng.random() < 0.1
            courses.append(
                Course(
                    institution_id=pk, title="课程", subject="数学" if kind == "academic" else "美术", grade_min=3,
                    grade_max=6, lesson_minutes=60, lesson_count=20, class_size=20,
                    price_fen_per_lesson=rng.choice((3000, 6000)) if not (recent and c) else 1500, charge_lessons=20,
                    charge_months=3, start_date=FIRST_DAY, end_date=FIRST_DAY + timedelta(days=90), created_by=user,
                )
            )  # fmt: skip
        if rng.random() < 0.1:
            for _k in range(rng.randint(1, 6)):
                complaints.append(
                    Complaint(
                        reference=f"TSB{len(complaints):09d}", channel="web", county_id=county,
                        city_id="411400", province_id="410000", institution_id=pk, institution_name=name,
                        content="退费难", received_at=now - timedelta(days=rng.randint(0, 40)),
                    )
                )  # fmt: skip
        if rng.random() < 0.02:
            sanctions.append(
                Sanction(institution_id=pk, kind="warning", reason="违规", authority="商丘市教育局",
                         starts_on=FIRST_DAY - timedelta(days=10), decided_by=user)
            )  # fmt: skip
    Course.objects.bulk_create(courses, batch_size=5000)
    Complaint.objects.bulk_create(complaints, batch_size=5000)
    Sanction.objects.bulk_create(sanctions, batch_size=5000)
    cheap = set(Course.objects.filter(price_fen_per_lesson=1500).values_list("pk", flat=True))
    Course.objects.filter(pk__in=cheap).update(created_at=now)
    Course.objects.exclude(pk__in=cheap).update(created_at=now - timedelta(days=120))
    entries = []
    for course_pk, kind in Course.objects.values_list("pk", "institution__kind"):
        end = clock(21, 0) if rng.random() < 0.05 else clock(19, 0)
        weekday = 6 if kind == "academic" and rng.random() < 0.05 else rng.randint(1, 5)
        entries.append(TimetableEntry(course_id=course_pk, weekday=weekday, start_time=clock(18, 0), end_time=end))
    TimetableEntry.objects.bulk_create(entries, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{tag}: {len(rows):,} institutions, {len(courses):,} courses, {len(entries):,} sittings, "
        f"{len(complaints):,} complaints, {len(sanctions):,} sanctions",
        flush=True,
    )


def _profile() -> None:
    """The Shangqiu example profile's values for the city (bench setup: one row, as a publish would write it)."""
    from shuangjian.core.models import Region
    from shuangjian.policy.datafiles import read_example
    from shuangjian.policy.models import PolicyProfile
    from shuangjian.policy.selectors import forget_cached_profiles

    example = read_example("shangqiu")
    if not PolicyProfile.objects.filter(region_id=example.region_code).exists():
        PolicyProfile.objects.create(
            region=Region.objects.get(code=example.region_code), version=1, effective_from=example.effective_from,
            values=example.values, note="bench",
        )  # fmt: skip
    forget_cached_profiles()


def _measure(runs: int, tag: str) -> tuple[float, float]:
    from django.db import connection

    from shuangjian.supervision.selectors import region_for
    from shuangjian.supervision.services.scoring import risk_score_region

    city = region_for("411400")
    timings, baselines = [], []
    for n in range(runs):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM training_institution WHERE city_id = %s", ["411400"])
            count = cursor.fetchone()
        baselines.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = risk_score_region(region=city, on=FIRST_DAY + timedelta(days=n))
        timings.append(time.perf_counter() - started)
        levels = dict(sorted(result.levels.items()))
        print(
            f"{tag} run {n + 1}: scored {result.scored:,} of {count[0] if count else 0:,} in {timings[-1]:.3f} s "
            f"(levels {levels}, notices {len(result.notices)}); count(*) {baselines[-1] * 1000:.1f} ms",
            flush=True,
        )
    return statistics.median(timings), statistics.median(baselines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stress", type=int, default=20_000)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args()
    common.setup_django(args.database_url)
    import psycopg
    from django.core.management import call_command
    from psycopg import sql

    from shuangjian.seeding import load, presets

    server, name = common.split_url(args.database_url)
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    call_command("migrate", verbosity=0, interactive=False)
    load.regions_upsert(presets.regions())
    _profile()
    print(common.machine(args.database_url), flush=True)
    figures = {}
    for tag, total in (("city", CITY_LICENSED + CITY_CANCELLED), ("stress", args.stress)):
        _generate(total, CITY_LICENSED / (CITY_LICENSED + CITY_CANCELLED) if tag == "city" else 0.85, tag)
        figures[tag] = _measure(args.runs, tag)
    for tag, (median, baseline) in figures.items():
        print(f"{tag}: median {median:.3f} s; count(*) baseline median {baseline * 1000:.1f} ms")
    met = all(median < TARGET_SECONDS for median, _baseline in figures.values())
    print(f"target (< {TARGET_SECONDS:.0f} s per city): {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
