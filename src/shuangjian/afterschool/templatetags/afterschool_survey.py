"""Reading a question's mean out of a survey summary in a template."""

from collections.abc import Mapping

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def mean_of(means: Mapping[str, float | None], question: str) -> str:
    value = means.get(question)
    return _("人数过少") if value is None else f"{value:.2f}"
