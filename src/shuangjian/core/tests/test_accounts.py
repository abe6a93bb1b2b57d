"""API tokens: the services (core.services.accounts) and the `api_token` command."""

import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from shuangjian.core import selectors
from shuangjian.core.errors import DomainError
from shuangjian.core.models import APIToken
from shuangjian.core.services import accounts
from shuangjian.core.tests import factories as f

pytestmark = pytest.mark.django_db


def test_create_stores_only_the_digest() -> None:
    # given
    user = f.user("zhang")
    # when
    token, raw = accounts.api_token_create(actor=user, name=" 报表 ")
    # then
    stored = APIToken.objects.get(pk=token.pk)
    assert (stored.user_id, stored.name, stored.last_used_at) == (user.pk, "报表", None)
    assert stored.token_digest == hashlib.sha256(raw.encode()).hexdigest()
    assert len(raw) == 43
    found = selectors.api_token_use(raw=raw, stale_before=timezone.now())
    assert found is not None
    assert (found.token_id, found.user, found.first_use, found.stale) == (stored.pk, user, True, False)


def test_each_token_is_different() -> None:
    user = f.user()
    raws = {accounts.api_token_create(actor=user, name=str(n))[1] for n in range(5)}
    assert len(raws) == 5


@pytest.mark.parametrize(("_case", "name"), [("blank", "   "), ("too long", "名" * 65)])
def test_create_refuses_bad_names(_case: str, name: str) -> None:
    user = f.user()
    with pytest.raises(DomainError) as raised:
        accounts.api_token_create(actor=user, name=name)
    assert (raised.value.code, raised.value.details) == ("core.invalid_input", {"field": "name", "max_length": 64})
    assert APIToken.objects.count() == 0


def test_anonymous_and_inactive_users_cannot_create_tokens() -> None:
    inactive = f.user()
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    for actor in (AnonymousUser(), inactive):
        with pytest.raises(DomainError) as raised:
            accounts.api_token_create(actor=actor, name="x")
        assert raised.value.code == "core.forbidden"
    assert APIToken.objects.count() == 0


def test_revoke_deletes_own_token_only() -> None:
    # given
    owner, other = f.user(), f.user()
    token, raw = accounts.api_token_create(actor=owner, name="a")
    # when: someone else tries, then the owner
    with pytest.raises(DomainError) as raised:
        accounts.api_token_revoke(actor=other, token_id=token.pk)
    assert (raised.value.code, raised.value.status) == ("core.not_found", 404)
    assert APIToken.objects.filter(pk=token.pk).exists()
    accounts.api_token_revoke(actor=owner, token_id=token.pk)
    # then
    assert not APIToken.objects.filter(pk=token.pk).exists()
    assert selectors.api_token_use(raw=raw, stale_before=timezone.now()) is None


def test_creating_and_revoking_leave_a_history_the_owner_alone_reads(client: Client) -> None:
    # given: a token created and revoked, another kept, a refused revocation by someone else
    owner, other = f.user(), f.user()
    gone, _raw = accounts.api_token_create(actor=owner, name="报表")
    kept, _raw = accounts.api_token_create(actor=owner, name="同步")
    accounts.api_token_revoke(actor=owner, token_id=gone.pk)
    with pytest.raises(DomainError):
        accounts.api_token_revoke(actor=other, token_id=kept.pk)
    # then: the owner's history, newest first, names the tokens but holds nothing secret
    history = list(selectors.api_token_event_list(actor=owner).values_list("token_id", "token_name", "kind"))
    assert history == [(gone.pk, "报表", "revoked"), (kept.pk, "同步", "created"), (gone.pk, "报表", "created")]
    assert not selectors.api_token_event_list(actor=other).exists()
    assert not selectors.api_token_event_list(actor=AnonymousUser()).exists()
    # and: through the API, only one's own
    client.force_login(owner)
    items = client.get("/api/v1/core/tokens/events").json()["items"]
    assert [(i["token_id"], i["kind"]) for i in items] == [(t, k) for t, _name, k in history]
    assert set(items[0]) == {"token_id", "token_name", "kind", "at"}
    client.force_login(other)
    assert client.get("/api/v1/core/tokens/events").json()["items"] == []


def test_mark_used_sets_last_used_at() -> None:
    token, _raw = accounts.api_token_create(actor=f.user(), name="a")
    before = timezone.now()
    accounts.api_token_mark_used(token_id=token.pk)
    used = APIToken.objects.get(pk=token.pk).last_used_at
    assert used is not None and before <= used <= timezone.now()


def test_a_token_is_stale_when_last_used_before_the_given_time() -> None:
    # given: a token last used at noon
    token, raw = accounts.api_token_create(actor=f.user(), name="a")
    noon = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    APIToken.objects.filter(pk=token.pk).update(last_used_at=noon)
    # when / then
    earlier = selectors.api_token_use(raw=raw, stale_before=noon - timedelta(microseconds=1))
    later = selectors.api_token_use(raw=raw, stale_before=noon + timedelta(seconds=1))
    assert earlier is not None and (earlier.first_use, earlier.stale) == (False, False)
    assert later is not None and (later.first_use, later.stale) == (False, True)


def test_an_inactive_users_token_authenticates_nobody() -> None:
    user = f.user()
    _token, raw = accounts.api_token_create(actor=user, name="a")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert selectors.api_token_use(raw=raw, stale_before=timezone.now()) is None


# --- the command ----------------------------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_command_creates_and_prints_the_token_once() -> None:
    # given
    user = f.user("li")
    # when
    output = run("create", "--user", "li", "--name", "数据同步")
    # then
    lines = output.strip().splitlines()
    token = APIToken.objects.get(user=user)
    assert lines[0] == f"已为 li 创建令牌“数据同步”（编号 {token.pk}）。令牌只显示这一次，请立即妥善保存："
    assert token.token_digest == hashlib.sha256(lines[1].encode()).hexdigest()
    assert len(lines) == 2
    assert lines[1] not in run("list", "--user", "li")


def test_command_lists_and_revokes() -> None:
    user = f.user("wang")
    token, _raw = accounts.api_token_create(actor=user, name="旧脚本")
    listing = run("list", "--user", "wang")
    assert listing.startswith(f"{token.pk}\t旧脚本\t")
    assert listing.rstrip().endswith("\t-")
    assert run("revoke", "--user", "wang", "--id", str(token.pk), "--dry-run").startswith("试运行")
    assert APIToken.objects.filter(pk=token.pk).exists()
    assert run("revoke", "--user", "wang", "--id", str(token.pk)) == f"已吊销令牌“旧脚本”（编号 {token.pk}）。\n"
    assert not APIToken.objects.filter(pk=token.pk).exists()


def test_command_dry_run_creates_nothing() -> None:
    f.user("zhao")
    output = run("create", "--user", "zhao", "--name", "试", "--dry-run")
    assert output == "试运行：将为 zhao 创建令牌“试”，未作任何更改。\n"
    assert APIToken.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "args", "code"),
    [
        ("unknown user", ("create", "--user", "nobody", "--name", "x"), "core.not_found"),
        ("blank name", ("create", "--user", "sun", "--name", "  "), "core.invalid_input"),
        ("missing token", ("revoke", "--user", "sun", "--id", "0"), "core.not_found"),
    ],
)
def test_command_errors(_case: str, args: tuple[str, ...], code: str) -> None:
    f.user("sun")
    with pytest.raises(CommandError, match=code):
        run(*args)
    assert APIToken.objects.count() == 0
