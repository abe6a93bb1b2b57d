"""Writes on a user's own account: API tokens.

A token belongs to the user who creates it and acts with exactly that user's roles. Only its SHA-256 digest
is stored; the raw value is returned once, at creation, and cannot be recovered.
"""

import secrets
from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuangjian.core import selectors
from shuangjian.core.errors import AccessDenied, CoreError, DomainError
from shuangjian.core.models import APIToken, APITokenEvent, APITokenEventKind

_NAME_MAX_LENGTH = APIToken._meta.get_field("name").max_length or 0


def _require_active_user(actor: Any, action: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        raise AccessDenied(action)


def api_token_clean_name(name: str) -> str:
    """The token name, stripped; refused when empty or too long."""
    clean_name = name.strip()
    if not clean_name or len(clean_name) > _NAME_MAX_LENGTH:
        raise DomainError(
            CoreError.INVALID_INPUT,
            _("令牌名称不能为空，且不超过 %(max_length)s 个字符。"),
            {"field": "name", "max_length": _NAME_MAX_LENGTH},
        )
    return clean_name


@transaction.atomic(durable=True)
def api_token_create(*, actor: Any, name: str) -> tuple[APIToken, str]:
    """Create a token for the actor. Returns the token row and the raw token, which is shown only this once."""
    _require_active_user(actor, "core.api_token_create")
    clean_name = api_token_clean_name(name)
    raw = secrets.token_urlsafe(32)
    token = APIToken(user=actor, name=clean_name, token_digest=selectors.api_token_digest(raw))
    token.full_clean()
    token.save()
    _token_event(token, APITokenEventKind.CREATED)
    return token, raw


@transaction.atomic(durable=True)
def api_token_revoke(*, actor: Any, token_id: int) -> None:
    """Revoke (delete) one of the actor's own tokens. Another user's token is "not found", like a missing one."""
    _require_active_user(actor, "core.api_token_revoke")
    token = selectors.api_token_get(actor=actor, token_id=token_id)
    _token_event(token, APITokenEventKind.REVOKED)
    token.delete()


def _token_event(token: APIToken, kind: str) -> None:
    APITokenEvent.objects.create(
        user_id=token.user_id, token_id=token.pk, token_name=token.name, kind=kind, at=timezone.now()
    )


def api_token_mark_used(*, token_id: int) -> None:
    """Record that the token authenticated a request (one UPDATE; no read-modify-write)."""
    APIToken.objects.filter(pk=token_id).update(last_used_at=timezone.now())


def api_tokens_mark_used(*, token_ids: Collection[int], at: datetime) -> int:
    """Record that these tokens were used by `at`, in one UPDATE (core.api_auth collects uses and writes them
    together). Returns the rows updated."""
    if not token_ids:
        return 0
    # Rows another transaction holds (another worker's batch, a revoke) are skipped rather than waited for: two
    # batches locking overlapping rows in different orders would deadlock, and a skipped time is only late.
    free = APIToken.objects.filter(pk__in=list(token_ids)).order_by("pk").select_for_update(skip_locked=True)
    with transaction.atomic():
        return APIToken.objects.filter(pk__in=Subquery(free.values("pk"))).update(last_used_at=at)
