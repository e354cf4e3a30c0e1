"""``/verify/``: the public verification page of the courts' electronic seal (电子签章). Anyone holding a
document enters the verification number printed in its footer and, optionally, uploads the file: the page
shows the issuing court, the date, the key and whether the seal holds ("签名有效") or not ("签名无效或文件已被
修改"). Look-ups are limited per client (``VERIFY_RATE`` a minute, setting ``ZHIXING_VERIFY_RATE``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from .ratelimit import rate_exceeded
from .signing import document_verify, normalise_number

VERIFY_RATE = 30
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("Verification number"),
        max_length=32,
        help_text=_("As printed in the document's footer, e.g. 20261128-7KD2M9PA."),
    )
    file = forms.FileField(
        label=_("Document file (optional)"),
        required=False,
        help_text=_("Upload the .docx to check that it is exactly the file the court signed."),
    )

    def clean_number(self) -> str:
        return normalise_number(self.cleaned_data["number"])

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


def _render(request, form, check=None, *, status=200):
    context = {"form": form, "check": check, "limited": status == 429}
    return render(request, "core/verify.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request, number: str = ""):
    """GET: the form (with ``number`` in the path, that document's seal); POST: the number and a file."""
    if request.method == "GET" and not number:
        return _render(request, VerifyForm())
    if rate_exceeded(request, bucket="verify-rate", limit=getattr(settings, "ZHIXING_VERIFY_RATE", VERIFY_RATE)):
        form = VerifyForm(initial={"number": number})
        response = _render(request, form, status=429)
        response["Retry-After"] = "60"
        return response
    if request.method == "GET":
        form = VerifyForm(initial={"number": number})
        return _render(request, form, document_verify(number=number))
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    upload = form.cleaned_data.get("file")
    content = b"".join(upload.chunks()) if upload is not None else None
    return _render(request, form, document_verify(number=form.cleaned_data["number"], content=content))
