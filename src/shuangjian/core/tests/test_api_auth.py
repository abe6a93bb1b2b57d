"""Bearer-token authentication records token use without a write per request (core.api_auth)."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from shuangjian.core import api_auth
from shuangjian.core.models import APIToken
from shuangjian.core.services import accounts
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_pending_uses_are_written_together_once_the_oldest_has_waited() -> None:
    # given
    user = f.user()
    first, _ = accounts.api_token_create(actor=user, name="a")
    second, _ = accounts.api_token_create(actor=user, name="b")
    clock = FakeClock()
    uses = api_auth._TokenUses(clock=clock)
    # when: two uses inside the resolution
    uses.add(first.pk)
    clock.now += api_auth.TOKEN_USE_RESOLUTION_SECONDS - 1
    uses.add(second.pk)
    # then: nothing written yet
    assert list(APIToken.objects.order_by("pk").values_list("last_used_at", flat=True)) == [None, None]
    # when: a use once the oldest pending one has waited the resolution
    clock.now += 1
    uses.add(second.pk)
    # then: both written in one go, and nothing is left pending
    stored = list(APIToken.objects.order_by("pk").values_list("last_used_at", flat=True))
    assert stored[0] is not None
    assert stored[0] == stored[1]
    assert uses._take() == set()


def test_a_full_batch_is_written_before_the_oldest_has_waited(monkeypatch: pytest.MonkeyPatch) -> None:
    # given: batches of three
    monkeypatch.setattr(api_auth, "TOKEN_USE_BATCH", 3)
    user = f.user()
    tokens = [accounts.api_token_create(actor=user, name=name)[0].pk for name in "abc"]
    uses = api_auth._TokenUses(clock=FakeClock())
    # when: two uses, then a third at the same moment
    uses.add(tokens[0])
    uses.add(tokens[1])
    # then: nothing written yet
    assert APIToken.objects.filter(last_used_at__isnull=False).count() == 0
    # when
    uses.add(tokens[2])
    # then: the three together
    assert APIToken.objects.filter(last_used_at__isnull=False).count() == 3
    assert uses._take() == set()


def test_flush_writes_what_is_pending() -> None:
    # given
    token, _ = accounts.api_token_create(actor=f.user(), name="a")
    uses = api_auth._TokenUses(clock=FakeClock())
    uses.add(token.pk)
    # when
    uses.flush()
    # then
    assert APIToken.objects.get(pk=token.pk).last_used_at is not None
    assert uses._take() == set()


def test_a_token_used_long_ago_is_queued_not_written_by_the_request() -> None:
    # given: a token last used yesterday
    user = f.user()
    token, raw = accounts.api_token_create(actor=user, name="a")
    yesterday = timezone.now() - timedelta(days=1)
    APIToken.objects.filter(pk=token.pk).update(last_used_at=yesterday)
    api_auth.token_uses._take()
    # when
    response = Client().get("/api/v1/core/me", headers={"Authorization": f"Bearer {raw}"})
    # then: authenticated; the use waits in the process's queue
    assert response.status_code == 200
    assert APIToken.objects.get(pk=token.pk).last_used_at == yesterday
    assert api_auth.token_uses._take() == {token.pk}


def test_a_token_used_within_the_resolution_is_not_queued_again() -> None:
    # given
    user = f.user()
    token, raw = accounts.api_token_create(actor=user, name="a")
    api_auth.token_uses._take()
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/core/me").status_code == 200  # the first use is written at once
    first_use = APIToken.objects.get(pk=token.pk).last_used_at
    assert first_use is not None
    # when: used again a moment later
    with time_machine.travel(first_use + timedelta(seconds=api_auth.TOKEN_USE_RESOLUTION_SECONDS - 1)):
        response = client.get("/api/v1/core/me")
    # then
    assert response.status_code == 200
    assert APIToken.objects.get(pk=token.pk).last_used_at == first_use
    assert api_auth.token_uses._take() == set()


@pytest.mark.requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_batch_skips_tokens_another_transaction_holds() -> None:
    # given: another transaction holds one of two tokens
    user = f.user()
    held, _ = accounts.api_token_create(actor=user, name="held")
    free, _ = accounts.api_token_create(actor=user, name="free")
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic():
            APIToken.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(timeout=10)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(timeout=10)
    # when: a batch of uses (it must not wait for the held row, which could deadlock with another batch)
    written = accounts.api_tokens_mark_used(token_ids=[held.pk, free.pk], at=timezone.now())
    release.set()
    holder.join(timeout=10)
    # then
    assert written == 1
    assert APIToken.objects.get(pk=free.pk).last_used_at is not None
    assert APIToken.objects.get(pk=held.pk).last_used_at is None
