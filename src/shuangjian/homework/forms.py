"""Forms of the homework pages: they parse input only. Every rule (minutes, dates, the cap, banned practices)
is checked by the services, whose DomainError message the page shows."""

import datetime
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangjian.homework.models import HomeworkKind, Layer
from shuangjian.homework.rules import MAX_PLAUSIBLE_MINUTES
from shuangjian.homework.selectors import BoardEntry
from shuangjian.homework.selectors_pages import GroupRow, TeachingRow

# The longest period a monitoring page reads at once: a school year and a bit (a page length, not a policy number).
MAX_PERIOD_DAYS = 400


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _minutes_widget(**attrs: Any) -> forms.NumberInput:
    return forms.NumberInput(attrs={"min": 0, "max": MAX_PLAUSIBLE_MINUTES, "inputmode": "numeric", **attrs})


class AssignForm(forms.Form):
    """布置作业. The class and subject come from the teacher's own teaching assignments (任课)."""

    class_id = forms.TypedChoiceField(label=_("班级"), coerce=int)
    subject = forms.ChoiceField(label=_("学科"))
    group_id = forms.TypedChoiceField(label=_("布置给"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label=_("作业类型"), choices=HomeworkKind.choices, initial=HomeworkKind.WRITTEN)
    layer = forms.ChoiceField(label=_("层次"), choices=Layer.choices, initial=Layer.BASIC)
    title = forms.CharField(label=_("标题"), max_length=100)
    instructions = forms.CharField(label=_("要求"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    estimated_minutes = forms.IntegerField(label=_("预计用时（分钟）"), widget=_minutes_widget(min=1))
    due_date = forms.DateField(label=_("完成日期"), widget=DateInput())
    start_date = forms.DateField(
        label=_("开始日期（多日完成时填写）"),
        required=False,
        widget=DateInput(),
        help_text=_("项目作业等分几天完成时填写开始日期，用时会平均分到其间的每个上课日；当天完成的作业留空。"),
    )
    attest = forms.BooleanField(
        label=_("我确认：本作业不要求家长检查、批改或签字，不要求学生自批自改，也不是重复性、惩罚性作业。"),
        error_messages={"required": _("请确认本作业符合作业管理要求。")},
    )

    def __init__(self, *args: Any, teaching: Sequence[TeachingRow], groups: Sequence[GroupRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        classes: dict[int, str] = {}
        for row in teaching:
            classes.setdefault(row.class_id, row.class_name)
        subjects = list(dict.fromkeys(row.subject for row in teaching))
        class_field: forms.TypedChoiceField = self.fields["class_id"]  # type: ignore[assignment]
        class_field.choices = list(classes.items())
        subject_field: forms.ChoiceField = self.fields["subject"]  # type: ignore[assignment]
        subject_field.choices = [(s, s) for s in subjects]
        group_field: forms.TypedChoiceField = self.fields["group_id"]  # type: ignore[assignment]
        group_field.choices = [("", _("全班")), *((g.group_id, g.name) for g in groups)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("start_date") is None and cleaned.get("due_date") is not None:
            cleaned["start_date"] = cleaned["due_date"]
        return cleaned


class ItemUpdateForm(forms.Form):
    """Shorten or move an item."""

    estimated_minutes = forms.IntegerField(label=_("预计用时（分钟）"), widget=_minutes_widget(min=1))
    due_date = forms.DateField(label=_("完成日期"), widget=DateInput())
    start_date = forms.DateField(label=_("开始日期（多日完成时填写）"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("start_date") is None and cleaned.get("due_date") is not None:
            cleaned["start_date"] = cleaned["due_date"]
        return cleaned


class FeedbackForm(forms.Form):
    """A guardian's (or the student's own) report of one day's written homework time."""

    student_id = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput)
    reported_minutes = forms.IntegerField(label=_("今天实际用了多少分钟"), widget=_minutes_widget())
    unfinished_at_bedtime = forms.BooleanField(label=_("到就寝时间仍未完成"), required=False)


class SheetRowForm(forms.Form):
    """One student's row in the head teacher's class sheet; an empty row is skipped."""

    student_id = forms.IntegerField(widget=forms.HiddenInput)
    reported_minutes = forms.IntegerField(label=_("实际用时（分钟）"), required=False, widget=_minutes_widget())
    unfinished_at_bedtime = forms.BooleanField(label=_("到就寝时间仍未完成"), required=False)


SheetFormSet = forms.formset_factory(SheetRowForm, extra=0)


class DayForm(forms.Form):
    """?date= on the board pages; an invalid or missing date falls back to the given default."""

    date = forms.DateField(label=_("日期"), required=False, widget=DateInput())

    def day(self, default: datetime.date) -> datetime.date:
        if self.is_valid() and self.cleaned_data["date"] is not None:
            value: datetime.date = self.cleaned_data["date"]
            return value
        return default


class PeriodForm(forms.Form):
    """?start=&end=&min_days= on the monitoring pages."""

    start = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    end = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())
    min_days = forms.IntegerField(label=_("超过上限的天数至少"), required=False, min_value=1, max_value=MAX_PERIOD_DAYS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None:
            if end < start:
                raise forms.ValidationError(_("结束日期不能早于开始日期。"), code="order")
            if (end - start).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(
                    _("时间段最长 %(days)s 天。"), code="length", params={"days": MAX_PERIOD_DAYS}
                )
        return cleaned

    def period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The chosen period; this week (Monday to Sunday) when none or an invalid one was given."""
        monday = today - timedelta(days=today.weekday())
        default = (monday, monday + timedelta(days=6))
        if not self.is_valid():
            return default
        start: datetime.date | None = self.cleaned_data.get("start")
        end: datetime.date | None = self.cleaned_data.get("end")
        if start is not None and end is not None:
            return start, end
        if start is not None:
            return start, start + timedelta(days=6)
        if end is not None:
            return end - timedelta(days=6), end
        return default

    def wanted_min_days(self) -> int | None:
        if not self.is_valid():
            return None
        value: int | None = self.cleaned_data.get("min_days")
        return value


class RebalanceForm(forms.Form):
    """A grade coordinator's new minutes for each one-day item of a class's day."""

    def __init__(self, *args: Any, entries: Sequence[BoardEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_ids = [entry.item.pk for entry in entries]
        for entry in entries:
            self.fields[self.field_name(entry)] = forms.IntegerField(
                label=entry.item.title, initial=entry.minutes_today, widget=_minutes_widget(min=1)
            )

    @staticmethod
    def field_name(entry: BoardEntry) -> str:
        return f"minutes_{entry.item.pk}"

    def minutes_by_item(self) -> dict[int, int]:
        return {item_id: self.cleaned_data[f"minutes_{item_id}"] for item_id in self.item_ids}
