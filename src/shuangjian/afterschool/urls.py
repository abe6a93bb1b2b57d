"""The after-school pages under /afterschool/."""

from django.urls import URLPattern

app_name = "afterschool"

urlpatterns: list[URLPattern] = []
