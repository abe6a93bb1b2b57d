"""The escrow pages under /escrow/: a guardian's course fees, an institution's balances, the bureau's coverage
table and the reconciliation with the custodian bank."""

from django.urls import path

from shuangjian.ledger.views import desk, family, reconciliation

app_name = "escrow"

urlpatterns = [
    path("", desk.index, name="index"),
    path("family/", family.purchases, name="family"),
    path("holds/<int:hold_id>/confirm/", family.hold_confirm, name="hold_confirm"),
    path("holds/<int:hold_id>/dispute/", family.hold_dispute, name="hold_dispute"),
    path("institutions/<int:institution_id>/", desk.institution, name="institution"),
    path("purchases/<int:purchase_id>/deliver/", desk.lesson_deliver, name="lesson_deliver"),
    path("coverage/", desk.coverage, name="coverage"),
    path("statements/", reconciliation.statements, name="statements"),
    path("statements/<int:statement_id>/", reconciliation.statement, name="statement"),
    path("differences/<int:difference_id>/resolve/", reconciliation.difference_resolve, name="difference_resolve"),
]
