from django.contrib.auth import views as auth_views
from django.urls import path

from shuangjian.core.views import home, roster

urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("schools/<str:code>/roster/import/", roster.roster_import, name="roster_import"),
]
