"""The seed operation: plan a preset, write it in one transaction, create the demo logins."""

import time
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Final

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _
from tqdm import tqdm

from shuangjian.core.errors import DomainError
from shuangjian.core.models import (
    Guardian,
    GuardianLink,
    Region,
    School,
    SchoolClass,
    SchoolGroup,
    Staff,
    Stage,
    Student,
    TeachingAssignment,
)
from shuangjian.seeding import accounts, class_sizes, load, training
from shuangjian.seeding.afterschool import seed_afterschool_demo
from shuangjian.seeding.generate import Generator
from shuangjian.seeding.inspection import seed_inspection_demo
from shuangjian.seeding.ledger import seed_ledger_demo
from shuangjian.seeding.presets import Preset, build_plan
from shuangjian.seeding.profiles import publish_example_profile
from shuangjian.seeding.supervision import seed_supervision_demo

DEFAULT_BATCH_ROWS: Final = 200_000


class SeedError(StrEnum):
    NOT_EMPTY = "core.seed_database_not_empty"


@dataclass(frozen=True, slots=True)
class SeedResult:
    created: bool  # False when --if-empty found schools and did nothing
    preset: Preset | None
    seconds: float
    counts: dict[str, int]
    logins: list[accounts.DemoLogin]

    @property
    def students_per_second(self) -> float:
        return self.counts["students"] / self.seconds if self.created and self.seconds else 0.0


def row_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "school_groups": SchoolGroup.objects.count(),
        "schools": School.objects.count(),
        "classes": SchoolClass.objects.count(),
        "students": Student.objects.count(),
        "guardians": Guardian.objects.count(),
        "guardian_links": GuardianLink.objects.count(),
        "staff": Staff.objects.count(),
        "teaching_assignments": TeachingAssignment.objects.count(),
    }


def _services_may_run() -> bool:
    """The demo's later steps run the apps' services, durable use cases that Django refuses inside a caller's
    transaction (a test case's own excepted, as Django's durable check does); inside one, they are left out."""
    blocks = connection.atomic_blocks
    return not blocks or bool(getattr(blocks[-1], "_from_testcase", False))


def seed_database(
    *,
    preset: Preset,
    seed: int = 1,
    if_empty: bool = False,
    scale: float = 1.0,
    progress: bool = False,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> SeedResult:
    """Seed `preset`. Refuses (core.seed_database_not_empty) when schools exist, unless `if_empty`, which
    then does nothing and returns the demo logins already there."""
    started = time.perf_counter()
    if School.objects.exists():
        if if_empty:
            return SeedResult(False, None, 0.0, row_counts(), accounts.demo_logins())
        raise DomainError(
            SeedError.NOT_EMPTY,
            _("数据库中已有学校数据（%(schools)s 所），不再生成；可用 --if-empty 跳过。"),
            {"schools": School.objects.count()},
        )
    plan = build_plan(preset, seed, scale)

    @cache
    def class_size_max(county_code: str, stage: Stage) -> int:
        return class_sizes.class_size_max(county_code, stage, date(plan.school_year, 9, 1))

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        regions = load.regions_upsert(plan.regions)
        load.calendar_upsert(plan.terms)
        group_ids = load.groups_create(plan.groups)
        school_ids = load.schools_create(plan.schools, regions, group_ids)
        generator = Generator(plan, load.next_ids(), class_size_max)
        loader = load.BulkLoader(load.bulk_writer(), batch_rows)
        with tqdm(total=plan.students, unit=" students", disable=None if progress else True) as bar:
            for school in plan.schools:
                loader.add(generator.school(school, school_ids[school.code]))
                bar.update(school.students)
            loader.flush()
        load.reset_sequences()
        if generator.anchor is not None:
            accounts.create_demo_accounts(generator.anchor, seed)
        training.seed_institutions(plan, scale)
    if preset == Preset.DEMO and _services_may_run():
        publish_example_profile()  # the [LOCAL] values the services below need
        seed_afterschool_demo(seed)  # after the bulk transaction: it runs the after-school services
        seed_ledger_demo(seed)  # likewise: the escrow through the ledger services
        seed_supervision_demo()  # after the ledger: the scoring reads its coverage
        seed_inspection_demo()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # Fresh statistics: until autovacuum catches up, the planner mis-plans the per-request role lookup.
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    return SeedResult(True, preset, seconds, row_counts(), accounts.demo_logins())
