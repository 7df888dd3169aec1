"""Dates and times written as each language writes them.

French: "mercredi 22 novembre 2017", "9h30", "17h". German: "Mittwoch, 22. November 2017",
"9:30 Uhr", and in the programme "9:30", "10:00". The date part comes from the format
modules in quattropole_site/formats; times are composed here because French drops ":00"
on the hour ("10h"), which a Django format string cannot express.
"""

from django.utils import formats, timezone, translation


def _lang(language):
    return (language or translation.get_language() or "de")[:2]


def clock(value, language=None):
    """A bare clock time: "9h30"/"10h" in French, "9:30"/"10:00" in German."""
    value = timezone.localtime(value)
    if _lang(language) == "fr":
        return f"{value.hour}h{value.minute:02d}" if value.minute else f"{value.hour}h"
    return f"{value.hour}:{value.minute:02d}"


def time_of_day(value, language=None):
    """A time on its own, as in running text: "9h30" / "9:30 Uhr"."""
    text = clock(value, language)
    return text if _lang(language) == "fr" else f"{text} Uhr"


def long_date(value, language=None):
    """ "mercredi 22 novembre 2017" / "Mittwoch, 22. November 2017"."""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    with translation.override(_lang(language)):
        return formats.date_format(value, "DATE_FORMAT")


# A day of a month without the year, as each language writes it in a list of days.
DAY_IN_MONTH = {"fr": "l j F", "de": "l, j. F"}


def day_in_month(value, language=None):
    """ "mercredi 22 novembre" / "Mittwoch, 22. November"."""
    language = _lang(language)
    with translation.override(language):
        return formats.date_format(value, DAY_IN_MONTH.get(language, DAY_IN_MONTH["de"]))


def date_span(start, end, language=None):
    """The date and time range of an event.

    Same day:  "mercredi 22 novembre 2017, 9h30 – 17h" / "Mittwoch, 22. November 2017, 9:30 – 17:00 Uhr"
    Several days: each end with its date.
    """
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{long_date(start, language)}, {clock(start, language)} – {time_of_day(end, language)}"
    return (
        f"{long_date(start, language)}, {time_of_day(start, language)} – "
        f"{long_date(end, language)}, {time_of_day(end, language)}"
    )
