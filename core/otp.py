"""Two-step login for court staff: a password, then the 6-digit code of an authenticator app (TOTP, RFC 6238,
through django-otp's ``TOTPDevice``).

A member of staff enrols on ``/account/otp/``: the page shows the secret as a QR code (an inline SVG drawn
on the server, no script) and as text, and the app's first code confirms it. From then on every login asks
for a code before any staff page (``OtpRequiredMiddleware``); the admin site asks for it whenever the user
has an app, whatever the session says. With ``ZHIXING_REQUIRE_OTP`` every member of staff must enrol at
their next login. Wrong codes slow the next attempt down exponentially (django-otp's throttling). The court
administrator removes a lost phone's app in the admin (OTP TOTP → TOTP devices).

Backup codes (django-otp's ``StaticDevice``): with an app enrolled, the user may print ten single-use codes
(``otp_backup_codes_issue``, shown once; issuing again replaces them). At the second step a backup code is
accepted in place of the app's code and is used up; so a lost phone does not lock its owner out before the
court administrator has replaced the app.

Whether a session owes a code is decided at the login and kept in the session (``NEED``), so an ordinary
request costs no query to find out.
"""

from __future__ import annotations

import logging
import re
import time
from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from .audit import audit_record
from .exceptions import InvalidInput, RuleViolation
from .models import User
from .sessions import htmx_redirect

logger = logging.getLogger(__name__)

NEED = "_zx_otp_need"  # "" (no code owed), "verify" (enter the app's code) or "setup" (enrol an app first)
PENDING_KEY = "_zx_otp_pending_key"  # the secret shown on the enrol page until its first code confirms it
DEVICE_NAME = "authenticator"
TOKEN = re.compile(r"^\d{6}$")
BACKUP_DEVICE_NAME = "backup codes"
BACKUP_CODES = 10
BACKUP = re.compile(r"^[a-z2-7]{8}$")  # django-otp's StaticToken.random_token: 5 random bytes in base32


def normal_token(text: str) -> str:
    """What was typed, as it is compared: spaces and hyphens dropped, letters in lower case (``abcd-efgh``)."""
    return re.sub(r"[\s-]+", "", text or "").lower()


# ---- rules -------------------------------------------------------------------------------------------------


def otp_eligible(user) -> bool:
    """Court staff and the site's administrators may (and with ZHIXING_REQUIRE_OTP must) use two-step login;
    agency clients authenticate with API keys instead."""
    return bool(user.is_authenticated and user.is_active and (user.is_court_staff or user.is_staff))


def _confirmed_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def otp_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    if not user.is_authenticated:
        return None
    return _confirmed_devices(user).first()


def otp_need(user) -> str:
    """What the user owes after the password: ``"verify"``, ``"setup"`` or ``""`` (one query)."""
    if not otp_eligible(user):
        return ""
    if _confirmed_devices(user).exists():
        return "verify"
    return "setup" if settings.ZHIXING_REQUIRE_OTP else ""


@receiver(user_logged_in, dispatch_uid="core.otp.decide_need")
def decide_need(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[NEED] = otp_need(user)


def _wrong_code() -> InvalidInput:
    return InvalidInput(
        {"token": _("That code is wrong or has expired: enter the 6-digit code your app shows now.")},
        code="otp.wrong_code",
    )


# ---- services ----------------------------------------------------------------------------------------------


def otp_new_key() -> str:
    """A fresh TOTP secret (20 random bytes, hex), to be shown on the enrol page."""
    return random_hex(20)


@transaction.atomic
def otp_device_enrol(*, user: User, key: str, token: str) -> TOTPDevice:
    """Enrol the authenticator app holding ``key`` once it shows ``token``. Audited as ``otp.enrol``."""
    if not otp_eligible(user):
        raise RuleViolation(_("Two-step login is for court staff."), code="otp.staff_only")
    if _confirmed_devices(user).select_for_update().exists():
        raise RuleViolation(_("An authenticator app is already enrolled for this account."), code="otp.enrolled")
    if not TOKEN.match(token or ""):
        raise _wrong_code()
    device = TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), device.tolerance):
        raise _wrong_code()
    device.last_t = totp.t()  # the code just used may not log anyone in again
    device.full_clean()
    device.save()
    audit_record(actor=user, action="otp.enrol", obj=device)
    return device


def otp_verify(*, user: User, token: str) -> TOTPDevice | StaticDevice:
    """The device that accepts ``token``: the app for its current code, the backup codes for one of them (used
    up). Otherwise InvalidInput, and that device's throttle counts the failure: the wait before the next try
    doubles with each wrong code."""
    token = normal_token(token)
    if not (TOKEN.match(token) or BACKUP.match(token)):
        raise _wrong_code()
    with transaction.atomic():
        device = _confirmed_devices(user).select_for_update().first()
        if device is None:
            raise RuleViolation(_("No authenticator app is enrolled for this account."), code="otp.not_enrolled")
        if not TOKEN.match(token):
            device = _backup_devices(user).select_for_update().first()
            if device is None:
                raise _wrong_backup_code()
        allowed, data = device.verify_is_allowed()
        if not allowed:
            locked_until = (data or {}).get("locked_until")
            seconds = max(1, int((locked_until.timestamp() - time.time()) + 0.999)) if locked_until else 1
            raise InvalidInput(
                {"token": _("Too many wrong codes: try again in %(seconds)d seconds.") % {"seconds": seconds}},
                code="otp.throttled",
            )
        verified = device.verify_token(token)  # counts a failure in the same transaction, which commits
        if verified and isinstance(device, StaticDevice):
            left = device.token_set.count()
            audit_record(actor=user, action="otp.backup_code_used", obj=device, changes={"left": left})
    if not verified:
        raise _wrong_code() if TOKEN.match(token) else _wrong_backup_code()
    return device


def _backup_devices(user):
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk")


def _wrong_backup_code() -> InvalidInput:
    return InvalidInput(
        {"token": _("That backup code is wrong or has been used already.")}, code="otp.wrong_backup_code"
    )


def otp_backup_codes_left(user) -> int:
    """How many of the user's backup codes are still unused."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def otp_backup_codes_issue(*, user: User) -> list[str]:
    """Ten single-use backup codes for logging in without the phone, replacing any issued before. Returned to be
    shown once (django-otp keeps them to compare, as it keeps an app's secret). Only with an app enrolled.
    Audited as ``otp.backup_codes`` with their number, never the codes."""
    if _confirmed_devices(user).select_for_update().first() is None:
        raise RuleViolation(_("No authenticator app is enrolled for this account."), code="otp.not_enrolled")
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < BACKUP_CODES:
        candidate = StaticToken.random_token()
        if candidate not in codes:
            codes.append(candidate)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(actor=user, action="otp.backup_codes", obj=device, changes={"codes": len(codes)})
    return codes


@transaction.atomic
def otp_device_remove(*, actor: User, user: User, reason: str = "") -> int:
    """Remove the user's authenticator app(s). The user may not switch two-step login off while the court
    requires it (the court administrator may, so that a lost phone can be replaced). Audited as ``otp.remove``."""
    if settings.ZHIXING_REQUIRE_OTP and actor.pk == user.pk:
        raise RuleViolation(
            _("This court requires two-step login: ask the court administrator to replace a lost app."),
            code="otp.required",
        )
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user))
    if not devices:
        raise RuleViolation(_("No authenticator app is enrolled for this account."), code="otp.not_enrolled")
    for device in devices:
        audit_record(actor=actor, action="otp.remove", obj=device, reason=reason)
        device.delete()
    StaticDevice.objects.filter(user=user).delete()  # the backup codes go with the app they stand in for
    return len(devices)


# ---- presentation helpers ----------------------------------------------------------------------------------


def qr_svg(text: str) -> str:
    """``text`` as a QR code: an <svg> element to put inline in the page (drawn here, no script, no CDN)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    label = escape(_("QR code for your authenticator app"))
    # The SVG holds only the code's geometry (generated here from our own key), never the text itself.
    return mark_safe(svg.replace("<svg ", f'<svg class="zx-otp-qr" role="img" aria-label="{label}" ', 1))  # noqa: S308


def secret_text(key: str) -> str:
    """The secret as an app's "enter a setup key" field wants it: base32, in groups of four."""
    b32 = b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def safe_next(request: HttpRequest, default: str = "home") -> str:
    candidate = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


class OtpTokenForm(forms.Form):
    """The app's 6-digit code (at enrolment, only that; at login, a backup code too)."""

    backup_allowed = False

    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
            }
        ),
    )

    def clean_token(self) -> str:
        token = normal_token(self.cleaned_data["token"])
        if TOKEN.match(token) or (self.backup_allowed and BACKUP.match(token)):
            return token
        if self.backup_allowed:
            raise forms.ValidationError(gettext_lazy("Enter the 6 digits your app shows, or one of your backup codes."))
        raise forms.ValidationError(gettext_lazy("Enter the 6 digits your app shows."))


class OtpLoginForm(OtpTokenForm):
    """The second step of the login: the app's code or a backup code (letters too: no numeric keypad)."""

    backup_allowed = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].label = gettext_lazy("Code from your authenticator app, or a backup code")
        self.fields["token"].widget.attrs.pop("inputmode", None)


def _form_errors(form: forms.Form, error) -> None:
    if isinstance(error, InvalidInput):
        for field, texts in error.fields.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)
    else:
        form.add_error(None, error.message)


def otp_exempt(view):
    """Reachable by a logged-in user who still owes a code (the pages where it is entered)."""
    view.otp_exempt = True
    return view


# ---- views -------------------------------------------------------------------------------------------------


@otp_exempt
@never_cache
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app, or see (and switch off) the one enrolled."""
    user = request.user
    if not otp_eligible(user):
        raise DjangoPermissionDenied(_("Two-step login is for court staff."))
    next_url = safe_next(request, default="otp-setup")
    device = otp_device(user)
    if device is not None:
        if not user.is_verified():
            return redirect_to_login(request.get_full_path(), login_url=resolve_url("otp-verify"))
        context = {
            "device": device,
            "required": settings.ZHIXING_REQUIRE_OTP,
            "backup_left": otp_backup_codes_left(user),
        }
        return render(request, "registration/otp_setup.html", context)
    key = request.session.get(PENDING_KEY) or otp_new_key()
    request.session[PENDING_KEY] = key
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_device_enrol(user=user, key=key, token=form.cleaned_data["token"])
        except (InvalidInput, RuleViolation) as error:
            _form_errors(form, error)
        else:
            del request.session[PENDING_KEY]
            django_otp.login(request, device)
            request.session.cycle_key()
            request.session[NEED] = "verify"
            messages.success(
                request,
                _("Two-step login is on: after your password, every login will ask for the code of your app."),
            )
            return HttpResponseRedirect(next_url)
    uri = TOTPDevice(user=user, key=key).config_url
    context = {
        "form": form,
        "qr": qr_svg(uri),
        "secret": secret_text(key),
        "required": settings.ZHIXING_REQUIRE_OTP,
        "must_enrol": request.session.get(NEED) == "setup",
        "next": request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, ""),
    }
    return render(request, "registration/otp_setup.html", context)


@otp_exempt
@never_cache
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step of the login: the code of the user's app."""
    user = request.user
    next_url = safe_next(request)
    if otp_device(user) is None:
        need = otp_need(user)
        request.session[NEED] = need
        if need == "setup":
            return redirect_to_login(next_url, login_url=resolve_url("otp-setup"))
        return HttpResponseRedirect(next_url)
    if user.is_verified():
        return HttpResponseRedirect(next_url)
    form = OtpLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_verify(user=user, token=form.cleaned_data["token"])
        except (InvalidInput, RuleViolation) as error:
            _form_errors(form, error)
            logger.info("wrong two-step code for user %s", user.pk)
        else:
            django_otp.login(request, device)
            request.session.cycle_key()
            return HttpResponseRedirect(next_url)
    next_value = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    return render(request, "registration/otp_verify.html", {"form": form, "next": next_value})


@never_cache
@require_POST
def otp_backup_codes(request: HttpRequest) -> HttpResponse:
    """Issue a new set of backup codes and show them, this once, after the session has been verified."""
    user = request.user
    if not user.is_verified():
        return redirect_to_login(resolve_url("otp-setup"), login_url=resolve_url("otp-verify"))
    try:
        codes = otp_backup_codes_issue(user=user)
    except RuleViolation as error:
        messages.error(request, error.message)
        return redirect("otp-setup")
    shown = [f"{code[:4]} {code[4:]}" for code in codes]
    return render(request, "registration/otp_backup_codes.html", {"codes": shown})


@never_cache
@require_POST
def otp_remove(request: HttpRequest) -> HttpResponse:
    """Switch two-step login off (the user's own app), after the session has been verified with it."""
    user = request.user
    if otp_device(user) is not None and not user.is_verified():
        return redirect_to_login(resolve_url("otp-setup"), login_url=resolve_url("otp-verify"))
    try:
        otp_device_remove(actor=user, user=user, reason="switched off by the user")
    except RuleViolation as error:
        messages.error(request, error.message)
    else:
        request.session[NEED] = otp_need(user)
        request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Two-step login is off for your account."))
    return redirect("otp-setup")


# ---- middleware --------------------------------------------------------------------------------------------


class OtpRequiredMiddleware:
    """After OTPMiddleware and LoginRequiredMiddleware. A logged-in user who owes a code reaches only the
    code pages, logout and the public pages (views marked ``login_not_required``); every other page sends
    them to enter the code (or to enrol an app when the court requires one). The API answers 403. On the
    admin site the need is looked up afresh on every request, so an app enrolled in another session counts
    at once there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        session = request.session
        if SESSION_KEY not in session:
            return None
        match = request.resolver_match
        is_api = request.path.startswith("/api/")
        if getattr(view_func, "otp_exempt", False) or (match is not None and match.url_name == "logout"):
            return None
        if not is_api and getattr(view_func, "login_required", True) is False:
            return None
        user = request.user
        if getattr(user, "is_verified", lambda: False)():
            return None  # no query: OTPMiddleware loaded the session's device with the user
        if match is not None and match.app_name == "admin":
            need = otp_need(user)
        else:
            need = session.get(NEED)
            if need is None:  # a session from before two-step login existed
                need = session[NEED] = otp_need(user)
        if not need:
            return None
        return self.refuse(request, need, is_api)

    @staticmethod
    def refuse(request: HttpRequest, need: str, is_api: bool) -> HttpResponse:
        if is_api:
            message = _("Enter the code of your authenticator app on the login page first (two-step login).")
            return JsonResponse({"message": message, "code": "otp.required", "extra": {}}, status=403)
        target = resolve_url("otp-verify" if need == "verify" else "otp-setup")
        if request.htmx:
            return htmx_redirect(target)
        if request.method == "GET":
            return redirect_to_login(request.get_full_path(), login_url=target)
        return HttpResponseRedirect(target)
