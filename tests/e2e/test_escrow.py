"""Escrow journey in a real browser: a guardian on a phone sees the course fees, confirms one delivered lesson
(its price is released to the institution) and disputes another (it stays held)."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from shuangjian.ledger.models import Hold, HoldStatus
from shuangjian.ledger.tests.builders import buy, deliver
from shuangjian.ledger.tests.conftest import build_world
from shuangjian.policy.datafiles import create_missing_national_versions
from shuangjian.policy.models import PolicyProfile
from tests.e2e.helpers import assert_no_horizontal_overflow, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guardian_on_a_phone_confirms_one_lesson_and_disputes_another(live_server: Any, phone: Page) -> None:
    # given: 10 lessons at 100 yuan; the institution recorded two delivered lessons
    create_missing_national_versions(PolicyProfile)
    world = build_world()
    purchase = buy(world, lessons=10, price=10_000)
    first, second = deliver(world, purchase), deliver(world, purchase)
    # when: the guardian opens the fees page from the menu
    log_in(phone, live_server.url, world.parent.username)
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("link", name="我的课程费用").click()
    card = phone.get_by_test_id(f"purchase-{purchase.pk}")
    expect(card.get_by_test_id("held")).to_have_text("2")
    assert_no_horizontal_overflow(phone)
    screenshot(phone, "escrow-family-phone")
    # and confirms the first lesson
    phone.get_by_test_id(f"confirm-{first.pk}").click()
    # then: released to the institution
    expect(phone.get_by_role("status").or_(phone.locator(".message-success")).first).to_contain_text("已确认")
    expect(card.get_by_test_id("consumed")).to_have_text("1")
    expect(card.get_by_test_id("released")).to_contain_text("100.00")
    # when: disputes the second
    phone.get_by_test_id(f"dispute-{second.pk}").click()
    # then: it stays held, marked disputed, and can no longer be disputed again
    hold = phone.get_by_test_id(f"hold-{second.pk}")
    expect(hold).to_contain_text("已提出异议")
    expect(phone.get_by_test_id(f"dispute-{second.pk}")).to_have_count(0)
    expect(card.get_by_test_id("held")).to_have_text("1")
    screenshot(phone, "escrow-family-phone-after")
    statuses = dict(Hold.objects.values_list("pk", "status"))
    assert statuses == {first.pk: HoldStatus.RELEASED, second.pk: HoldStatus.DISPUTED}
