"""The supervision pages under /training/supervision/."""

from django.urls import path

from shuangjian.supervision.views import reports, warnings

app_name = "supervision"

urlpatterns = [
    path("", warnings.index, name="index"),
    path("warnings/<int:warning_id>/", warnings.detail, name="warning"),
    path("warnings/<int:warning_id>/appeal/", warnings.appeal, name="appeal"),
    path("warnings/<int:warning_id>/decision/", warnings.decide, name="decide"),
    path("reports/", reports.report, name="reports"),
    path("reports/files/<int:file_id>/", reports.report_file, name="report_file"),
]
