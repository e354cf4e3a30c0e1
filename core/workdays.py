"""Working days (工作日) for deadlines such as "delete within three working days" (失信规定 2017 art. 10):
Monday to Friday, except the public holidays, plus the make-up working days (调休) on weekends, both kept
as ``CalendarDay`` rows by the court administrator."""

from __future__ import annotations

import datetime as dt

from .models import CalendarDay

# A deadline of n working days never looks further ahead than this (n is small: 3, 5, 15).
_LOOKAHEAD_DAYS = 60


def _exceptions(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "working"))


def is_working_day(day: dt.date, *, exceptions: dict[dt.date, bool] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted): the last day of a deadline
    of ``days`` working days that starts to run on ``start``. One query."""
    if days < 0:
        raise ValueError("days must not be negative")
    exceptions = _exceptions(start, start + dt.timedelta(days=_LOOKAHEAD_DAYS + days * 3))
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, exceptions=exceptions):
            counted += 1
    return day
