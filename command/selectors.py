"""Reads of command, each scoped to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import require_capability
from core.exceptions import InvalidInput, NotFound
from core.models import Court, User
from core.roles import Role

from .statistics import Scope, Statistics, statistics

LONGEST_PERIOD = dt.timedelta(days=366 * 5)


def statistics_scope(
    *,
    user: User,
    court_code: str | None = None,
    officer_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Scope:
    """What ``user`` asks to see, checked: a court of theirs (a superuser any court), optionally one officer of
    it — the user themself, or anyone's figures for those who oversee officers — over a period of at most five
    years (by default from 1 January to today). ``NotFound`` for a court or officer the user may not see."""
    require_capability(user, "command.statistics")
    if court_code:
        court = Court.objects.filter(code=court_code).first()
        if court is None or not (user.is_superuser or court.pk == user.court_id):
            raise NotFound(_("No such court."), code="statistics.court")
    elif user.court_id:
        court = user.court
    else:
        raise InvalidInput({"court": [_("Choose a court.")]}, code="statistics.invalid")
    officer = None
    if officer_id:
        officer = User.objects.filter(pk=officer_id, court=court).first()
        may = user.is_superuser or officer_id == user.pk or user.can("command.statistics_officers")
        if officer is None or not may:
            raise NotFound(_("No such officer."), code="statistics.officer")
    today = timezone.localdate()
    date_to = date_to or today
    date_from = date_from or date_to.replace(month=1, day=1)
    if date_from > date_to:
        raise InvalidInput({"date_from": [_("The period starts after it ends.")]}, code="statistics.invalid")
    if date_to - date_from > LONGEST_PERIOD:
        raise InvalidInput({"date_from": [_("A period of at most five years.")]}, code="statistics.invalid")
    return Scope(court=court, date_from=date_from, date_to=date_to, officer=officer)


def statistics_for(**kwargs) -> Statistics:
    """``statistics_scope`` checked, then its figures."""
    return statistics(statistics_scope(**kwargs))


def officers_of(court: Court):
    """The officers whose figures can be looked at one by one."""
    return User.objects.filter(
        court=court, role__in=(Role.OFFICER, Role.JUDGE, Role.DIVISION_HEAD), is_active=True
    ).order_by("username")
