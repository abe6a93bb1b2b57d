"""The allocation (random serial dictatorship with a published seed): examples, the pinned draw, and its
properties proven with Hypothesis. No database."""

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuangjian.afterschool import rules
from shuangjian.afterschool.rules import AllocationInput, AllocationResult, Candidate, Held, Promotion

MON, TUE, WED = frozenset({(1, 2)}), frozenset({(2, 2)}), frozenset({(3, 2)})


def allocation(
    preferences: Mapping[int, Sequence[int]],
    capacities: Mapping[int, int],
    slots: Mapping[int, frozenset[rules.Slot]],
    limit: int = 1,
    seed: str = "2026 秋季 公示种子",
) -> AllocationInput:
    return AllocationInput(seed, preferences, capacities, slots, limit)


# The draw is pinned: a stored run must verify with any later version of the code.


def test_the_lottery_order_is_pinned() -> None:
    # the definition, written out: SHA-256 of the seed, a unit separator and the id, in byte order
    assert rules.lottery_key("s", 1) == hashlib.sha256(b"s\x1f1").digest()
    assert rules.lottery_key("s", 1).hex()[:16] == "e2ce58fb211682f2"
    assert rules.lottery_order("2026 秋季 公示种子", range(1, 9)) == [8, 2, 7, 6, 4, 5, 1, 3]


def test_the_hashes_are_pinned() -> None:
    given = allocation({1: [10], 2: [10]}, {10: 1}, {10: MON})
    assert rules.digest(rules.inputs_document(given))[:16] == "21d4eb8d4f259ee3"
    assert rules.digest(rules.result_document(rules.allocate(given)))[:16] == "c251595ee4fbdb10"


# Examples


def test_everyone_gets_their_first_choice_when_there_is_room() -> None:
    result = rules.allocate(allocation({1: [10, 11], 2: [11, 10]}, {10: 5, 11: 5}, {10: MON, 11: TUE}))
    assert result.assigned == {1: (10,), 2: (11,)}
    assert result.waitlists == {}


def test_an_oversubscribed_course_goes_by_the_draw_and_the_rest_wait() -> None:
    # given: three students want the one-seat chess club first, football second
    given = allocation({1: [10, 11], 2: [10, 11], 3: [10, 11]}, {10: 1, 11: 5}, {10: MON, 11: TUE})
    # when
    result = rules.allocate(given)
    # then: whoever is drawn first gets chess; the others get football and wait for chess in draw order
    first, *others = result.order
    assert result.assigned == {first: (10,), **dict.fromkeys(others, (11,))}
    assert result.waitlists == {10: tuple(others)}


def test_courses_that_clash_are_never_both_given() -> None:
    # given: two Monday courses and a Tuesday one, two courses each
    result = rules.allocate(allocation({1: [10, 11, 12]}, {10: 1, 11: 1, 12: 1}, {10: MON, 11: MON, 12: TUE}, 2))
    # then: the second Monday course is skipped, not waited for
    assert result.assigned == {1: (10, 12)}
    assert result.waitlists == {}


def test_a_student_waits_only_for_courses_wanted_more_than_the_limit_reached() -> None:
    # given: student 1 holds the only seat of 10; student 2 ranks 10, 11, 12 with one course allowed
    result = rules.allocate(
        AllocationInput("fixed", {1: [10], 2: [10, 11, 12]}, {10: 1, 11: 1, 12: 1}, {10: MON, 11: TUE, 12: WED}, 1)
    )
    if result.order[0] == 1:
        assert result.assigned == {1: (10,), 2: (11,)}
        assert result.waitlists == {10: (2,)}  # not on 12's list: they got 11, which they wanted more
    else:
        assert result.assigned == {2: (10,)}
        assert result.waitlists == {10: (1,)}


def test_no_choices_no_seat() -> None:
    result = rules.allocate(allocation({1: []}, {10: 1}, {10: MON}))
    assert result.order == (1,)
    assert result.assigned == {}


# Promotion from a waitlist


@pytest.mark.parametrize(
    ("_case", "candidates", "limit", "expected"),
    [
        ("first in line, holding nothing", [Candidate(5, 1, ()), Candidate(6, 1, ())], 1, Promotion(5, ())),
        (
            "gives up a clashing course wanted less",
            [Candidate(5, 1, (Held(11, 2, MON),))],
            1,
            Promotion(5, (11,)),
        ),
        (
            "keeps a clashing course wanted more",
            [Candidate(5, 2, (Held(11, 1, MON),)), Candidate(6, 3, ())],
            1,
            Promotion(6, ()),
        ),
        ("a placed course is never given up", [Candidate(5, 1, (Held(11, None, MON),))], 1, None),
        (
            "at the limit: gives up the least wanted course",
            [Candidate(5, 1, (Held(11, 2, TUE), Held(12, 3, WED)))],
            2,
            Promotion(5, (12,)),
        ),
        ("at the limit, everything held wanted more", [Candidate(5, 3, (Held(11, 1, TUE), Held(12, 2, WED)))], 2, None),
        ("under the limit, another day", [Candidate(5, 2, (Held(11, 1, TUE),))], 2, Promotion(5, ())),
        ("nobody waiting", [], 1, None),
    ],
)
def test_choose_promotion(_case: str, candidates: list[Candidate], limit: int, expected: Promotion | None) -> None:
    assert rules.choose_promotion(candidates, MON, limit) == expected


# Properties

SLOT_UNIVERSE = [(w, b) for w in (1, 2, 3) for b in (2, 3)]


@st.composite
def inputs(draw: st.DrawFn) -> AllocationInput:
    offerings = draw(st.lists(st.integers(100, 999), min_size=1, max_size=8, unique=True))
    capacities = {o: draw(st.integers(0, 4)) for o in offerings}
    slots = {o: frozenset(draw(st.sets(st.sampled_from(SLOT_UNIVERSE), min_size=1, max_size=2))) for o in offerings}
    students = draw(st.lists(st.integers(1, 10_000), max_size=30, unique=True))
    preferences = {
        s: draw(st.lists(st.sampled_from(offerings), max_size=min(4, len(offerings)), unique=True)) for s in students
    }
    seed = draw(st.text(min_size=1, max_size=12))
    return AllocationInput(seed, preferences, capacities, slots, draw(st.integers(1, 3)))


def _clash(a: frozenset[rules.Slot], b: frozenset[rules.Slot]) -> bool:
    return bool(a & b)


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_capacities_are_never_exceeded_and_nobody_holds_a_clash(given: AllocationInput) -> None:
    result = rules.allocate(given)
    taken = Counter(o for offerings in result.assigned.values() for o in offerings)
    assert all(taken[o] <= given.capacities[o] for o in taken)
    for student, offerings in result.assigned.items():
        assert len(offerings) <= given.courses_per_student
        prefs = list(given.preferences[student])
        assert [o for o in prefs if o in offerings] == list(offerings)  # only ranked ones, in their order
        for i, a in enumerate(offerings):
            assert not any(_clash(given.slots[a], given.slots[b]) for b in offerings[i + 1 :])


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_nobody_gets_a_lower_choice_while_a_higher_one_had_a_seat_for_them_at_their_turn(
    given: AllocationInput,
) -> None:
    result = rules.allocate(given)
    taken_before: Counter[int] = Counter()
    for student in result.order:
        got = result.assigned.get(student, ())
        prefs = list(given.preferences[student])
        lowest = max((prefs.index(o) for o in got), default=-1)
        for higher in prefs[:lowest]:
            if higher in got:
                continue
            full = taken_before[higher] >= given.capacities[higher]
            wanted_more_clashes = any(
                _clash(given.slots[higher], given.slots[o]) and prefs.index(o) < prefs.index(higher) for o in got
            )
            assert full or wanted_more_clashes, (student, higher)
        taken_before.update(got)


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_waitlists_hold_only_students_who_found_the_course_full_in_draw_order(given: AllocationInput) -> None:
    result = rules.allocate(given)
    position = {student: index for index, student in enumerate(result.order)}
    assert sorted(result.order) == sorted(given.preferences)
    for offering, waiting in result.waitlists.items():
        assert [position[s] for s in waiting] == sorted(position[s] for s in waiting)
        for student in waiting:
            assert offering in given.preferences[student]
            assert offering not in result.assigned.get(student, ())
            taken_by_earlier = sum(
                1 for other, got in result.assigned.items() if offering in got and position[other] < position[student]
            )
            assert taken_by_earlier >= given.capacities[offering]


def _reordered(given: AllocationInput) -> AllocationInput:
    return AllocationInput(
        given.seed,
        dict(reversed(list(given.preferences.items()))),
        dict(reversed(list(given.capacities.items()))),
        dict(reversed(list(given.slots.items()))),
        given.courses_per_student,
    )


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_the_same_seed_gives_the_same_result_whatever_the_input_order(given: AllocationInput) -> None:
    first = rules.result_document(rules.allocate(given))
    assert rules.result_document(rules.allocate(given)) == first
    assert rules.result_document(rules.allocate(_reordered(given))) == first
    assert rules.digest(rules.inputs_document(_reordered(given))) == rules.digest(rules.inputs_document(given))


@settings(max_examples=200, deadline=None)
@given(inputs())
def test_the_stored_inputs_re_run_to_the_same_hashes(given: AllocationInput) -> None:
    document = rules.inputs_document(given)
    restored = rules.inputs_from_document(document)
    assert rules.digest(rules.inputs_document(restored)) == rules.digest(document)
    again: AllocationResult = rules.allocate(restored)
    assert rules.digest(rules.result_document(again)) == rules.digest(rules.result_document(rules.allocate(given)))


@settings(max_examples=100, deadline=None)
@given(inputs(), st.text(min_size=1, max_size=12))
def test_the_seed_alone_changes_only_the_draw(given: AllocationInput, other_seed: str) -> None:
    other = AllocationInput(other_seed, given.preferences, given.capacities, given.slots, given.courses_per_student)
    assert sorted(rules.allocate(other).order) == sorted(rules.allocate(given).order)
    assert tuple(rules.lottery_order(other_seed, given.preferences)) == rules.allocate(other).order
