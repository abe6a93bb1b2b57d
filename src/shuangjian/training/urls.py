"""The training-supervision pages under /training/ (the public lookup needs no login)."""

from django.urls import URLPattern

app_name = "training"

urlpatterns: list[URLPattern] = []
