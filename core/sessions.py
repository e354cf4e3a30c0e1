"""Session timeouts: a staff session ends after ``ZHIXING_SESSION_IDLE_SECONDS`` without a request (default
30 minutes) and ``ZHIXING_SESSION_ABSOLUTE_SECONDS`` after the login however busy the user (default 8 hours,
the session cookie's age). The user is logged out, told why, and sent to the login page, which brings them
back to the page they asked for.

The login time and the time of the last request are kept in the session as Unix seconds. The last request is
written back at most once a minute, so an ordinary request does not rewrite the session row. A page's own
polling (an htmx element that reloads itself every few seconds, marked with the header ``POLL_HEADER``) is not
the user at work: it is answered, or timed out like any request, but does not restart the idle clock, so that a
workspace left open in a browser still ends after the idle time.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

logger = logging.getLogger(__name__)

AUTH_AT = "_zx_auth_at"  # when the user logged in
SEEN_AT = "_zx_seen_at"  # the user's last request, to the minute
TOUCH_EVERY = 60  # seconds: the last-request time is written back at most this often
POLL_HEADER = "X-Zhixing-Poll"  # sent by the pages' polling elements (``hx-headers``): not the user's activity


def _now() -> int:
    return int(timezone.now().timestamp())


def idle_limit() -> int:
    return settings.ZHIXING_SESSION_IDLE_SECONDS


def absolute_limit() -> int:
    return settings.ZHIXING_SESSION_ABSOLUTE_SECONDS


@receiver(user_logged_in, dispatch_uid="core.sessions.stamp_login")
def stamp_login(sender, request, user, **kwargs) -> None:
    """Start both clocks at the login (``django.contrib.auth.login`` has just given the session a new key)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[AUTH_AT] = session[SEEN_AT] = _now()


def expired(session) -> str | None:
    """``"idle"`` or ``"absolute"`` when the logged-in session has run out, else None."""
    now = _now()
    auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
    if auth_at is None or seen_at is None:
        return None
    if now - auth_at > absolute_limit():
        return "absolute"
    if now - seen_at > idle_limit():
        return "idle"
    return None


def htmx_redirect(url: str) -> HttpResponse:
    """Tell htmx to load ``url`` as a whole page (a redirect would only swap the login page into a fragment)."""
    return HttpResponseClientRedirect(url, status=204)


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware, MessageMiddleware and HtmxMiddleware. An API request of a timed-out
    session carries on as anonymous (the API answers 403 and writes nothing); a page is redirected to the login
    page, an htmx request is told to go there with ``HX-Redirect``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            why = expired(session)
            if why is not None:
                response = self.timed_out(request, why)
                if response is not None:
                    return response
            elif POLL_HEADER not in request.headers:
                self.touch(session)
        return self.get_response(request)

    @staticmethod
    def touch(session) -> None:
        now = _now()
        if session.get(AUTH_AT) is None:  # a session from before the timeouts: its clocks start now
            session[AUTH_AT] = session[SEEN_AT] = now
        elif now - session.get(SEEN_AT, 0) >= min(TOUCH_EVERY, max(idle_limit() // 10, 1)):
            session[SEEN_AT] = now

    def timed_out(self, request: HttpRequest, why: str) -> HttpResponse | None:
        user_id = request.session.get(SESSION_KEY)
        logout(request)
        logger.info("session of user %s ended: %s timeout", user_id, why)
        if request.path.startswith("/api/"):
            return None
        messages.warning(request, _("Your session has timed out. Please log in again."))
        if request.htmx:
            # back to the page the browser shows (htmx sends it), if it is a page of this site
            return htmx_redirect(self.login_url(request.htmx.current_url_abs_path or ""))
        return HttpResponseRedirect(self.login_url(request.get_full_path() if request.method == "GET" else ""))

    @staticmethod
    def login_url(next_path: str) -> str:
        if not next_path:
            return resolve_url(settings.LOGIN_URL)
        return redirect_to_login(next_path)["Location"]
