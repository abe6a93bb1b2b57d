"""Forms of the school-system pages."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

ROSTER_MAX_BYTES = 20 * 1024 * 1024  # a 5,000-row roster is well under 1 MB as .xlsx
ROSTER_EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".txt")


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("名册文件"),
        help_text=_("Excel（.xlsx）或 CSV 文件，第一行为表头，每行一名学生。"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ROSTER_EXTENSIONS)}),
    )
    create_classes = forms.BooleanField(label=_("自动创建名册中本校还没有的班级"), required=False)
    # Set by the button pressed: "导入" (import) or "仅校验" (validate only, nothing written).
    action = forms.ChoiceField(choices=[("import", _("导入")), ("validate", _("仅校验"))], required=False)

    def clean_file(self) -> "UploadedFile[bytes]":
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(ROSTER_EXTENSIONS):
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件。"), code="extension")
        if upload.size is not None and upload.size > ROSTER_MAX_BYTES:
            raise forms.ValidationError(
                _("文件太大（最大 %(max)s MB）。"), code="size", params={"max": ROSTER_MAX_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("文件是空的。"), code="empty")
        return upload

    @property
    def dry_run(self) -> bool:
        return self.cleaned_data.get("action") == "validate"
