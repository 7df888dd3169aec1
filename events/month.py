"""The month view's calendar: the weeks of a month as the active language starts them, each day
with the events on it. Pure arithmetic on dates and the events given; the view reads them.

A week starts on the day the language's format module names (``FIRST_DAY_OF_WEEK``: Monday in
German and in French); days and months are named by Django's date formatting in that language.
An event of several days is on each of its days; one that ends at midnight is not on the day
that midnight begins.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils import dateformat, formats, timezone


@dataclass
class Entry:
    """An event on a day: ``continued`` when it began on an earlier day."""

    event: object
    continued: bool


@dataclass
class Day:
    date: datetime.date
    in_month: bool
    is_today: bool
    entries: list = field(default_factory=list)


def first_weekday():
    """The first day of the week as Python's calendar counts (0 = Monday), from the active
    language's ``FIRST_DAY_OF_WEEK`` (which Django counts from 0 = Sunday)."""
    return (int(formats.get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def weekday_names():
    """The days of the week in the language's order, as (abbreviation, full name): ("Mo", "Montag")."""
    monday = datetime.date(2017, 11, 20)  # any Monday
    days = [monday + datetime.timedelta(days=(first_weekday() + offset) % 7) for offset in range(7)]
    return [(dateformat.format(day, "D"), dateformat.format(day, "l")) for day in days]


def bounds(year, month):
    """The first moment of the month and of the next one, in the active time zone."""
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return start_of(first), start_of(following)


def start_of(day):
    """The first moment of a local date."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def neighbour(year, month, step):
    """The month ``step`` months (1 or -1) from year/month, as (year, month)."""
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def event_days(event):
    """The local dates an event is on: from its start's to its end's (an end at midnight is the
    end of the day before)."""
    first = timezone.localdate(event.start)
    end = timezone.localtime(event.end)
    last = end.date()
    if end.time() == datetime.time.min and last > first:
        last -= datetime.timedelta(days=1)
    return first, max(first, last)


def weeks(year, month, events, today):
    """The month's weeks, each a list of seven ``Day``: the days of the month with their events
    (in the order given), the days of the months before and after that fill its first and last
    week without any."""
    grid = calendar.Calendar(first_weekday()).monthdatescalendar(year, month)
    days = {day: Day(day, day.month == month, day == today) for week in grid for day in week}
    month_first, month_last = grid[0][0], grid[-1][-1]
    for event in events:
        first, last = event_days(event)
        day = max(first, month_first)
        while day <= min(last, month_last):
            if days[day].in_month:
                days[day].entries.append(Entry(event, continued=day != first))
            day += datetime.timedelta(days=1)
    return [[days[day] for day in week] for week in grid]
