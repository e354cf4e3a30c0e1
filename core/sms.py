"""Sending SMS: a small provider interface and the backend named by ``ZHIXING_SMS_BACKEND``.

A court connects its SMS gateway by writing a class with ``send(*, phone, text) -> str`` (the provider's
message reference; raise ``SmsError`` on failure) and naming it in the setting. The default,
``LoggingSmsBackend``, writes each message to the log and keeps it in ``outbox`` (like Django's locmem mail
backend), so development and tests see what would have been sent.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("zhixing.sms")


class SmsError(Exception):
    """The provider refused or failed to send the message."""


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> str: ...


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str
    reference: str


outbox: list[SmsMessage] = []
_counter = itertools.count(1)


class LoggingSmsBackend:
    """Logs the message and keeps it in ``core.sms.outbox``; never fails."""

    def send(self, *, phone: str, text: str) -> str:
        reference = f"log-{next(_counter)}"
        outbox.append(SmsMessage(phone=phone, text=text, reference=reference))
        logger.info("SMS to %s (%s): %s", phone, reference, text)
        return reference


def get_backend() -> SmsBackend:
    return import_string(getattr(settings, "ZHIXING_SMS_BACKEND", "core.sms.LoggingSmsBackend"))()
