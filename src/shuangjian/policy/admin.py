"""Read-mostly admin: profiles are published through policy.services.profile_publish, never edited."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shuangjian.policy.models import PolicyProfile


@admin.register(PolicyProfile)
class PolicyProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("region", "version", "effective_from", "created_by", "created_at")
    list_filter = ("effective_from",)
    search_fields = ("region__code", "region__name", "note")
    ordering = ("region", "-effective_from")
    readonly_fields = ("region", "version", "effective_from", "values", "sources", "note", "created_by", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
