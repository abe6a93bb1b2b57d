"""The homework pages under /homework/."""

from django.urls import path

from shuangjian.homework.views import assign, board, coordinator, family, hub, monitoring, sheet

app_name = "homework"

urlpatterns = [
    path("", hub.index, name="index"),
    path("assign/", assign.assign, name="assign"),
    path("mine/", assign.my_items, name="my_items"),
    path("items/<int:item_id>/edit/", assign.item_edit, name="item_edit"),
    path("items/<int:item_id>/withdraw/", assign.item_withdraw, name="item_withdraw"),
    path("today/", family.family, name="family"),
    path("grade/", coordinator.grade, name="grade"),
    path("classes/<int:class_id>/board/", board.day, name="board"),
    path("classes/<int:class_id>/week/", board.week, name="week"),
    path("classes/<int:class_id>/load/", assign.load_panel, name="load_panel"),
    path("classes/<int:class_id>/feedback/", sheet.feedback_sheet, name="feedback_sheet"),
    path("classes/<int:class_id>/rebalance/", coordinator.rebalance, name="rebalance"),
    path("classes/<int:class_id>/monitoring/", monitoring.class_page, name="class_monitoring"),
    path("schools/<str:code>/monitoring/", monitoring.school_page, name="school_monitoring"),
    path("regions/<str:code>/monitoring/", monitoring.region_page, name="region_monitoring"),
]
