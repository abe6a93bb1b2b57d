"""The inspection pages under /training/inspections/."""

from django.urls import path

from shuangjian.inspection.views import cases, desk, field, orders

app_name = "inspection"

urlpatterns = [
    path("", desk.index, name="index"),
    path("campaigns/new/", desk.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", desk.campaign, name="campaign"),
    path("campaigns/<int:campaign_id>/edit/", desk.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_id>/close/", desk.campaign_close, name="campaign_close"),
    path("checklist/", desk.checklist, name="checklist"),
    path("new/", field.inspection_new, name="new"),
    path("<int:inspection_id>/", field.inspection_detail, name="detail"),
    path("<int:inspection_id>/order/", field.order_issue, name="order_issue"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:order_id>/", orders.order_detail, name="order"),
    path("orders/<int:order_id>/report/", orders.order_report, name="order_report"),
    path("orders/<int:order_id>/follow-up/", orders.order_follow_up, name="order_follow_up"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/<int:case_id>/advance/", cases.case_advance, name="case_advance"),
]
