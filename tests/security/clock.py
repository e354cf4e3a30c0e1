"""Time travel for the authentication tests, without sleeping: ``Clock`` stands in for ``timezone.now`` (and
for the copies django-axes imported), starting at the real time; ``advance(minutes=31)`` moves it on."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

TARGETS = ("django.utils.timezone.now", "axes.handlers.proxy.now", "axes.attempts.now")


class Clock:
    def __init__(self, monkeypatch):
        self.now = timezone.now()
        for target in TARGETS:
            monkeypatch.setattr(target, self.read)

    def read(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now
