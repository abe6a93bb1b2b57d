"""`shuangjian api_token create|list|revoke --user USERNAME ...`: a user's API tokens, from the server.

`create` prints the raw token once; only its digest is stored, so it cannot be shown again.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from shuangjian.core import selectors
from shuangjian.core.errors import DomainError
from shuangjian.core.services import accounts


class Command(BaseCommand):
    help = "Create, list or revoke a user's API tokens. The raw token is printed once, at creation."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it once")
        create.add_argument("--user", required=True, help="username of the token's owner")
        create.add_argument("--name", required=True, help="what the token is for, e.g. the client's name")
        create.add_argument("--dry-run", action="store_true", help="check the user and name, create nothing")
        listing = actions.add_parser("list", help="list the user's tokens (never the raw tokens)")
        listing.add_argument("--user", required=True)
        revoke = actions.add_parser("revoke", help="revoke one of the user's tokens")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("--id", type=int, required=True, dest="token_id", help="the token's id (from list)")
        revoke.add_argument("--dry-run", action="store_true", help="check the token, revoke nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = selectors.user_get_by_username(username=options["user"])
            if options["action"] == "create":
                self._create(user, options["name"], dry_run=options["dry_run"])
            elif options["action"] == "list":
                self._list(user)
            else:
                self._revoke(user, options["token_id"], dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc

    def _create(self, user: Any, name: str, *, dry_run: bool) -> None:
        if dry_run:
            clean_name = accounts.api_token_clean_name(name)
            message = _("试运行：将为 %(user)s 创建令牌“%(name)s”，未作任何更改。")
            self.stdout.write(message % {"user": user.username, "name": clean_name})
            return
        token, raw = accounts.api_token_create(actor=user, name=name)
        self.stdout.write(
            _("已为 %(user)s 创建令牌“%(name)s”（编号 %(id)s）。令牌只显示这一次，请立即妥善保存：")
            % {"user": user.username, "name": token.name, "id": token.pk}
        )
        self.stdout.write(raw)

    def _list(self, user: Any) -> None:
        for token in selectors.api_token_list(actor=user):
            last_used = token.last_used_at.isoformat() if token.last_used_at else "-"
            self.stdout.write(f"{token.pk}\t{token.name}\t{token.created_at.isoformat()}\t{last_used}")

    def _revoke(self, user: Any, token_id: int, *, dry_run: bool) -> None:
        token = selectors.api_token_get(actor=user, token_id=token_id)
        if dry_run:
            self.stdout.write(
                _("试运行：将吊销令牌“%(name)s”（编号 %(id)s），未作任何更改。") % {"name": token.name, "id": token.pk}
            )
            return
        accounts.api_token_revoke(actor=user, token_id=token_id)
        self.stdout.write(_("已吊销令牌“%(name)s”（编号 %(id)s）。") % {"name": token.name, "id": token.pk})
