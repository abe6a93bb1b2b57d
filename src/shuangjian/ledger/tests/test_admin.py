"""The ledger's admin is read-only: money moves only through the services."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from shuangjian.core.models import User
from shuangjian.ledger import models


@pytest.mark.parametrize(
    "model",
    [
        models.Account,
        models.InstitutionLedger,
        models.Purchase,
        models.Transfer,
        models.Posting,
        models.Hold,
        models.BankStatement,
        models.StatementLine,
        models.Difference,
        models.DifferenceResolution,
    ],
)
def test_ledger_rows_cannot_be_added_changed_or_deleted_in_the_admin(db: None, model: type) -> None:
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("root", password="pw-123456!")
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
