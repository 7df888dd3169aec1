"""The facts a visitor decides by, in the active language's words: whether the event happens as
announced (its status), how one takes part, the languages it is held in and its interpretation,
and what its venue offers people with disabilities. Pure functions of an event; the templates
(includes/event_status.html, includes/event_facts.html) and the calendar files show them."""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import dates
from .models import Event

# The words of each status, as the top of the event page and every list entry write them.
STATUS_LABELS = {
    Event.PublicStatus.POSTPONED: lambda: pgettext("event status", "Postponed"),
    Event.PublicStatus.RESCHEDULED: lambda: pgettext("event status", "Rescheduled"),
    Event.PublicStatus.MOVED_ONLINE: lambda: pgettext("event status", "Moved online"),
    Event.PublicStatus.FULL: lambda: pgettext("event status", "Fully booked"),
    Event.PublicStatus.CANCELLED: lambda: pgettext("event status", "Cancelled"),
}

# A language as a visitor reads it in a list ("Deutsch, Französisch" / "français, allemand").
LANGUAGE_NAMES = {
    Event.Language.DE: lambda: pgettext("held in", "German"),
    Event.Language.FR: lambda: pgettext("held in", "French"),
    Event.Language.LB: lambda: pgettext("held in", "Luxembourgish"),
    Event.Language.EN: lambda: pgettext("held in", "English"),
    Event.Language.OTHER: lambda: pgettext("held in", "another language"),
}

# The venue's flags, said as what a visitor may count on (OpenAgenda's five, step-free first).
ACCESSIBILITY_TEXTS = {
    "access_motor": lambda: _("Step-free access for wheelchair users"),
    "access_hearing": lambda: _("Suited to people with a hearing impairment"),
    "access_visual": lambda: _("Suited to people with a visual impairment"),
    "access_psychic": lambda: _("Suited to people with a psychic impairment"),
    "access_intellectual": lambda: _("Suited to people with an intellectual impairment"),
}


def where(event, short=False):
    """Where the event takes place, as a page header writes it ("Rathaus, Saarbrücken"; ``short``,
    as a list entry: "Saarbrücken"), "Online" for an event held only online, or ""."""
    if event.attendance_mode == Event.AttendanceMode.ONLINE:
        return _("Online")
    if venue := event.place:
        return venue.locality if short else f"{venue.name}, {venue.locality}"
    return ""


def status_label(status):
    """The status in a word or two, or "" for a scheduled event (nothing to tell)."""
    label = STATUS_LABELS.get(status)
    return label() if label else ""


def status_sentence(event, status):
    """What the top of the event page says about the status, or "" when it is scheduled."""
    if status == Event.PublicStatus.CANCELLED:
        return _("This event has been cancelled.")
    if status == Event.PublicStatus.POSTPONED:
        return _("This event has been postponed. The new date is not known yet; it will be announced here.")
    if status == Event.PublicStatus.RESCHEDULED:
        if event.previous_start:
            start = event.previous_start.astimezone(event.tzinfo)
            return _("This event has been moved to a new date. It was planned for %(date)s, %(time)s.") % {
                "date": dates.long_date(start),
                "time": dates.time_of_day(start),
            }
        return _("This event has been moved to a new date.")
    if status == Event.PublicStatus.MOVED_ONLINE:
        return _("This event has been moved online: it takes place on the internet only.")
    if status == Event.PublicStatus.FULL:
        return _("This event is fully booked: all places are taken.")
    return ""


def previous_date(event):
    """The previous start of a rescheduled event, in the event's time zone."""
    if not event.previous_start:
        return ""
    start = event.previous_start.astimezone(event.tzinfo)
    return f"{dates.long_date(start)}, {dates.time_of_day(start)}"


def language_names(event):
    """ "Deutsch, Französisch" / "allemand, français", or "" when not recorded."""
    return ", ".join(LANGUAGE_NAMES[code]() for code in event.languages)


def interpretation(event):
    """ "Simultanübersetzung Deutsch/Französisch" / "Interprétation simultanée allemand/français",
    or "" without interpretation."""
    if event.interpretation_kind == Event.Interpretation.NONE:
        return ""
    pair = {
        "source": LANGUAGE_NAMES[event.interpretation_from]() if event.interpretation_from else "",
        "target": LANGUAGE_NAMES[event.interpretation_to]() if event.interpretation_to else "",
    }
    if event.interpretation_kind == Event.Interpretation.SIMULTANEOUS:
        text = _("Simultaneous interpretation %(source)s/%(target)s") % pair
    else:
        text = _("Consecutive interpretation %(source)s/%(target)s") % pair
    return capfirst(text.strip("/ "))


def accessibility(event):
    """The venue's accessibility as sentences, and the event's own (sign language)."""
    lines = []
    venue = event.venue if event.venue_id else None
    if venue is not None:
        lines += [text() for name, text in ACCESSIBILITY_TEXTS.items() if getattr(venue, name)]
    if event.sign_language:
        lines.append(_("Sign-language interpretation"))
    return lines
