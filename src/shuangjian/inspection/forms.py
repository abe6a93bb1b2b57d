"""Forms of the inspection pages: they parse input only. Every rule is checked by the services, whose DomainError
message the page shows."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangjian.inspection.models import CaseSource, ChecklistItem, Result, TargetKind
from shuangjian.inspection.rules import CaseAction
from shuangjian.training.models import SanctionKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class InspectionForm(forms.Form):
    """The field form: what was inspected, who was there, and one result per checklist item (big radio buttons)."""

    address = forms.CharField(
        label=_("检查地点"), max_length=200, required=False, widget=forms.TextInput(attrs={"list": "ins-sites"})
    )
    inspected_on = forms.DateField(label=_("检查日期"), widget=DateInput())
    campaign = forms.TypedChoiceField(label=_("所属专项整治"), coerce=int, required=False, empty_value=None)
    co_inspectors = forms.TypedMultipleChoiceField(
        label=_("同行检查人员"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("检查情况"), required=False, widget=_text(), max_length=2000)

    def __init__(
        self,
        *args: Any,
        items: Sequence[ChecklistItem],
        campaigns: Sequence[tuple[int, str]],
        colleagues: Sequence[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["campaign"].choices = [("", _("—（日常检查）")), *campaigns]  # type: ignore[attr-defined]
        self.fields["co_inspectors"].choices = colleagues  # type: ignore[attr-defined]
        for item in self.items:
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=f"{item.code} {item.text}",
                choices=Result.choices,
                widget=forms.RadioSelect(attrs={"class": "ins-result"}),
                help_text=item.legal_basis,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(label=_("说明"), required=False, max_length=500)

    def checklist_rows(self) -> list[tuple[ChecklistItem, forms.BoundField, forms.BoundField]]:
        return [(item, self[f"result_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def results(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {item.pk: (data[f"result_{item.pk}"], data.get(f"note_{item.pk}", "")) for item in self.items}


class OrderIssueForm(forms.Form):
    requirements = forms.CharField(label=_("整改要求"), widget=_text(), max_length=2000)
    deadline = forms.DateField(
        label=_("整改期限"), required=False, widget=DateInput(), help_text=_("不填写则按本地区规定的整改期限计算。")
    )


class OrderReportForm(forms.Form):
    report = forms.CharField(label=_("整改情况"), widget=_text(4), max_length=2000)


class FollowUpForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        label=_("复查结论"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("已整改到位，办结")), ("no", _("未整改到位，移交处罚"))],
        widget=forms.RadioSelect(attrs={"class": "ins-result"}),
    )
    recommended_sanction = forms.ChoiceField(
        label=_("建议处罚（移交处罚时）"), required=False, choices=[("", "—"), *SanctionKind.choices]
    )
    note = forms.CharField(label=_("复查情况"), required=False, widget=_text(), max_length=2000)
    co_inspectors = forms.TypedMultipleChoiceField(
        label=_("同行检查人员"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, colleagues: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_inspectors"].choices = colleagues  # type: ignore[attr-defined]


class CampaignEditForm(forms.Form):
    """A campaign's name, period and targets: launching one (CampaignForm adds its region) and correcting it."""

    name = forms.CharField(label=_("名称"), max_length=128)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    target_kinds = forms.MultipleChoiceField(
        label=_("整治对象"), choices=TargetKind.choices, widget=forms.CheckboxSelectMultiple
    )
    target_inspections = forms.IntegerField(label=_("每个县（区）目标检查次数"), min_value=1)


class CampaignForm(CampaignEditForm):
    region_code = forms.ChoiceField(label=_("组织地区"))

    def __init__(self, *args: Any, regions: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = regions  # type: ignore[attr-defined]


class CaseForm(forms.Form):
    county_code = forms.ChoiceField(label=_("县/区"))
    name = forms.CharField(label=_("名称或招牌"), max_length=128)
    address = forms.CharField(label=_("地址"), max_length=200)
    source = forms.ChoiceField(label=_("来源"), choices=CaseSource.choices)
    complaint_reference = forms.CharField(label=_("投诉受理编号（来自投诉时）"), max_length=20, required=False)
    description = forms.CharField(label=_("情况"), required=False, widget=_text(2), max_length=2000)

    def __init__(self, *args: Any, counties: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county_code"].choices = counties  # type: ignore[attr-defined]


class CaseAdvanceForm(forms.Form):
    action = forms.ChoiceField(
        label=_("办理环节"),
        choices=[
            (CaseAction.VERIFY.value, _("核实为无证培训")),
            (CaseAction.DISMISS.value, _("查无实据")),
            (CaseAction.ORDER_CLOSURE.value, _("责令停止办学")),
            (CaseAction.CLOSE.value, _("确认已关停")),
            (CaseAction.RECHECK_CLOSED.value, _("复查：仍已关停")),
            (CaseAction.RECHECK_REOPENED.value, _("复查：死灰复燃")),
        ],
    )
    on = forms.DateField(label=_("日期"), required=False, widget=DateInput())
    note = forms.CharField(label=_("办理情况"), required=False, max_length=500)
