"""Forms of the complaint desk: they parse input only; the services check every rule and the page shows the
DomainError message."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangjian.training.forms import DateInput
from shuangjian.training.models import (
    ComplaintCategory,
    ComplaintOutcome,
    ComplaintPriority,
    PartnerDepartment,
)

HOTLINE_CHOICES = [("hotline_12345", _("12345 政务服务便民热线")), ("hotline_12315", _("12315 市场监管热线"))]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _text(label: Any, rows: int = 3, *, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=2000, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class HotlineForm(forms.Form):
    channel = forms.ChoiceField(label=_("转办热线"), choices=HOTLINE_CHOICES)
    hotline_reference = forms.CharField(label=_("热线工单号"), max_length=32)
    received_at = forms.DateTimeField(label=_("热线受理时间"), widget=DateTimeInput())
    county_code = forms.ChoiceField(label=_("培训所在县（区）"))
    institution_name = forms.CharField(label=_("被投诉机构名称"), max_length=128)
    credit_code = forms.CharField(label=_("统一社会信用代码（已登记机构）"), max_length=32, required=False)
    institution_address = forms.CharField(label=_("机构地址（未登记机构）"), max_length=200, required=False)
    content = _text(_("投诉内容"), 4)
    wants_reply = forms.BooleanField(label=_("投诉人需要回复"), required=False)
    contact_name = forms.CharField(label=_("投诉人"), max_length=64, required=False)
    phone = forms.CharField(
        label=_("投诉人手机号"), max_length=20, required=False, help_text=_("加密保存，页面只显示部分号码。")
    )

    def __init__(self, *args: Any, counties: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        county_field: forms.ChoiceField = self.fields["county_code"]  # type: ignore[assignment]
        county_field.choices = counties


class TriageForm(forms.Form):
    category = forms.ChoiceField(label=_("类别"), choices=ComplaintCategory.choices)
    priority = forms.ChoiceField(label=_("紧急程度"), choices=ComplaintPriority.choices)
    note = _text(_("说明（可不填）"), 2, required=False)


class RejectForm(forms.Form):
    reason = _text(_("不予受理理由"), 2)


class AssignForm(forms.Form):
    assignee_id = forms.TypedChoiceField(label=_("承办督查员"), coerce=int)
    note = _text(_("说明（可不填）"), 2, required=False)

    def __init__(self, *args: Any, inspectors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.TypedChoiceField = self.fields["assignee_id"]  # type: ignore[assignment]
        field.choices = inspectors


class StartForm(forms.Form):
    note = _text(_("说明（可不填）"), 2, required=False)


class NoteForm(forms.Form):
    note = _text(_("调查记录"), 3)


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=ComplaintOutcome.choices)
    reply = _text(_("答复投诉人"), 4)


class CloseForm(forms.Form):
    note = _text(_("说明（可不填）"), 2, required=False)


class ReopenForm(forms.Form):
    reason = _text(_("重新办理原因"), 2)


class JointSanctionForm(forms.Form):
    partners = forms.MultipleChoiceField(
        label=_("联合惩戒部门"), choices=PartnerDepartment.choices, widget=forms.CheckboxSelectMultiple
    )
    measures = _text(_("惩戒措施"), 2)
    reason = _text(_("事由"), 2)
    authority = forms.CharField(label=_("决定机关"), max_length=128)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期（不填为长期）"), required=False, widget=DateInput())


class ResponseForm(forms.Form):
    response = _text(_("机构说明"), 3)
