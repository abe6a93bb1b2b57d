"""Forms of the supervision pages: they parse input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shuangjian.supervision.models import ReportKind


class AppealForm(forms.Form):
    text = forms.CharField(label=_("申诉理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结果"), choices=[("uphold", _("维持预警")), ("withdraw", _("撤销预警"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("处理意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("报表"), choices=ReportKind.choices)
    region = forms.CharField(label=_("行政区划代码"), max_length=6)
    day = forms.DateField(label=_("统计期间内任一日期"), widget=forms.DateInput(attrs={"type": "date"}))
