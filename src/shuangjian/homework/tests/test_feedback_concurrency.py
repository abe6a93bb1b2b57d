"""Concurrent reports (PostgreSQL): the class-day row serialises a class's reports, so duplicates sent at the same
moment (a double tap, two guardians) leave one report and a rollup that counts it once."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from shuangjian.core.models import User
from shuangjian.homework.models import ClassDayRollup, HomeworkFeedback
from shuangjian.homework.services import feedback
from shuangjian.homework.tests.conftest import MONDAY, HomeworkWorld
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _national_profile(transactional_db: None) -> None:
    """A transactional test starts from a flushed database: put back the national profile the migration loads.
    (serialized_rollback would do it too, but its re-inserted content types clash with the ones a flush recreates.)"""
    create_missing_national_versions(PolicyProfile)


def in_threads(calls: list[Callable[[], object]]) -> list[BaseException]:
    start = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            call()
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def submit(world: HomeworkWorld, minutes: int) -> Callable[[], object]:
    def call() -> object:
        actor = User.objects.get(pk=world.parent.pk)  # each request loads its own user
        return feedback.feedback_submit(
            actor=actor, student_id=world.child.pk, day=MONDAY, reported_minutes=minutes,
            unfinished_at_bedtime=minutes > 60, today=MONDAY,
        )  # fmt: skip

    return call


@pytest.mark.parametrize(("_case", "rollup_exists"), [("first reports of the day", False), ("row exists", True)])
def test_simultaneous_reports_for_one_child_count_once(world: HomeworkWorld, _case: str, rollup_exists: bool) -> None:
    # given
    if rollup_exists:
        submit(world, 10)()
    # when: six reports for the same child and day at once
    errors = in_threads([submit(world, minutes) for minutes in (20, 30, 40, 50, 70, 80)])
    # then: no error, one report, and the rollup counts exactly that one
    assert errors == []
    stored = HomeworkFeedback.objects.get(student=world.child, date=MONDAY)
    rollup = ClassDayRollup.objects.get(school_class=world.class4, date=MONDAY)
    cap = rollup.cap_minutes
    assert cap is not None
    assert (rollup.feedback_count, rollup.reported_minutes_sum) == (1, stored.reported_minutes)
    assert rollup.within_cap_count == (1 if stored.reported_minutes <= cap else 0)
    assert rollup.unfinished_count == int(stored.unfinished_at_bedtime)
