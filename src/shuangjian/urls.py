from django.contrib import admin
from django.urls import include, path

from shuangjian.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("homework/", include("shuangjian.homework.urls")),
    path("afterschool/", include("shuangjian.afterschool.urls")),
    path("training/supervision/", include("shuangjian.supervision.urls")),
    path("training/inspections/", include("shuangjian.inspection.urls")),
    path("training/", include("shuangjian.training.urls")),
    path("escrow/", include("shuangjian.ledger.urls")),
    path("", include("shuangjian.core.urls")),
]
