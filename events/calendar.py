"""Calendar files (iCalendar, RFC 5545): the one place that builds them.

Each event is a VEVENT whose UID never changes (it comes from the primary key, not the
slug, which editors may correct) and whose SEQUENCE (``Event.ical_sequence``) grows when
the time, venue, status or cancellation changes, so calendar apps replace their copy.
Times are written in the venue's time zone (TZID) with a matching VTIMEZONE; texts in
the language asked for, with fallback to the other one as on the site. Texts are written as
iCalendar allows whatever they hold: no control character (RFC 5545 allows none but the tab), one
line where a property is one line (``SUMMARY``, ``LOCATION``, the calendar's name), line breaks
escaped by the library in ``DESCRIPTION``.
"""

import datetime
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import icalendar
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.text import multi_line, one_line

from . import facts
from .dates import clock, long_date
from .derived import remembered_each
from .language import value_language
from .models import programme_prefetch

CALENDAR_END = b"END:VCALENDAR\r\n"
# How often subscribed calendar apps should fetch the calendar again.
REFRESH_INTERVAL = datetime.timedelta(hours=6)


def event_uid(event):
    """The event's identity in every calendar, whatever is edited later: its stored UUID (made
    once, by migration 0010 for the events before it), so that two deployments never share one."""
    return f"{event.calendar_uid}@quattropole"


# The iCalendar STATUS of each status visitors are told (RFC 5545, 3.8.1.11): a postponed event
# keeps its date, tentatively, until the new one is known.
ICAL_STATUS = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def event_calendar(
    event, *, language, base_url, method=None, organizer=None, revision=0, cancelled=False, online_link=""
):
    """A calendar file (bytes) holding the one event. Sent by e-mail, it names its iTIP
    ``method`` ("PUBLISH", or "CANCEL" to remove the event) and its ``organizer`` (name,
    address); ``revision`` is added to the event's SEQUENCE (one person's later copies),
    ``cancelled`` marks the event cancelled for that person (their registration is), and
    ``online_link`` is the link to join that person has (a registrant's, however public it is)."""
    with translation.override(language):
        return _calendar(
            [event],
            language=language,
            base_url=base_url,
            name=event.title,
            method=method,
            organizer=organizer,
            revision=revision,
            cancelled=cancelled,
            online_link=online_link,
        )


def upcoming_calendar(events, *, language, base_url, filters=()):
    """A calendar to subscribe to, holding ``events`` (a queryset, with their venue and category
    selected; their programmes are loaded here when needed); ``filters`` (a city, a category,
    what visitors need: their names) are named in the calendar's title.

    Each event's VEVENT is derived from that event alone: its text is remembered per event
    (events.derived), so that after an edit only the event edited is written again. Of the
    others, only their primary key, times and time zone are read (for the calendar's time
    zones): no event is loaded but those written again."""
    spans = list(events.values_list("pk", "start", "end", "venue__time_zone"))
    default_zone = timezone.get_default_timezone()

    def entries(pks):
        chosen = list(events.filter(pk__in=pks))
        prefetch_related_objects(chosen, programme_prefetch())
        return {event.pk: vevent(event, language=language, base_url=base_url).to_ical() for event in chosen}

    with translation.override(language):
        name = " – ".join([_("QuattroPole events"), *(str(value) for value in filters if value)])
        written = remembered_each(f"calendar-entry:{language}:{base_url}", [span[0] for span in spans], entries)
        # The calendar's properties and time zones, then the events' entries, where _calendar puts them.
        zones = [(start, end, ZoneInfo(zone) if zone else default_zone) for _pk, start, end, zone in spans]
        frame = _calendar([], language=language, base_url=base_url, name=name, refresh=REFRESH_INTERVAL, zones=zones)
        return frame.removesuffix(CALENDAR_END) + b"".join(written[span[0]] for span in spans) + CALENDAR_END


def _calendar(events, *, language, base_url, name, refresh=None, method=None, organizer=None, zones=(), **changes):
    """The calendar file of ``events``, with the time zones they need and those of ``zones``
    (``(start, end, time zone)`` of events whose entries are written apart)."""
    events = list(events)
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//QuattroPole//Events//{language.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.calendar_name = one_line(name)
    if refresh:
        # REFRESH-INTERVAL's value type is DURATION, and RFC 7986 wants it said.
        cal.add("refresh-interval", icalendar.vDuration(refresh), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(refresh))
    for event in events:
        component = vevent(event, language=language, base_url=base_url, **changes)
        if method:  # with a METHOD, DTSTAMP is when this file was made (RFC 5545, 3.8.7.2)
            del component["DTSTAMP"]
            component.add("dtstamp", timezone.now())
        if organizer:
            organizer_name, address = organizer
            component.add("organizer", f"mailto:{address}", parameters={"CN": organizer_name})
        cal.add_component(component)
    zones = [*zones, *((event.start, event.end, event.tzinfo) for event in events)]
    if zones:
        # One VTIMEZONE per time zone used, with the rules of the years the events span.
        first = min(start.astimezone(zone) for start, _end, zone in zones).year
        last = max(end.astimezone(zone) for _start, end, zone in zones).year
        for name in sorted({str(zone) for _start, _end, zone in zones}):
            cal.add_component(vtimezone(name, first, last + 1))
    return cal.to_ical()


def vtimezone(name, first_year, last_year):
    """The VTIMEZONE of the zone ``name`` from the time-zone database (zoneinfo), its offsets and
    every transition from 1 January ``first_year`` to 1 January ``last_year``: each STANDARD or
    DAYLIGHT block starts at the transition's local time before it (RFC 5545, 3.6.5), so the
    European switch at 01:00 UTC is "02:00" in spring (+01:00) and "03:00" in autumn (+02:00)."""
    zone = ZoneInfo(name)
    start = datetime.datetime(first_year, 1, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(last_year, 1, 1, tzinfo=datetime.UTC)
    component = icalendar.Timezone()
    component.add("tzid", name)
    first_offset = start.astimezone(zone).utcoffset()
    # The offset in force at the start, as a block of its own (no transition).
    local_start = start.astimezone(zone).replace(tzinfo=None)
    component.add_component(_observance(start.astimezone(zone), local_start, first_offset, first_offset))
    for moment in _transitions(zone, start, end):
        before = (moment - datetime.timedelta(seconds=1)).astimezone(zone).utcoffset()
        after = moment.astimezone(zone)
        component.add_component(_observance(after, (moment + before).replace(tzinfo=None), before, after.utcoffset()))
    return component


def _observance(local, dtstart, offset_from, offset_to):
    block = icalendar.TimezoneDaylight() if local.dst() else icalendar.TimezoneStandard()
    block.add("dtstart", dtstart)
    block.add("tzname", local.tzname())
    block.add("tzoffsetfrom", offset_from)
    block.add("tzoffsetto", offset_to)
    return block


def _transitions(zone, start, end):
    """The moments (UTC) between ``start`` and ``end`` at which ``zone``'s offset changes: found
    day by day, then to the second by halving (the database gives no list of its own)."""
    day = datetime.timedelta(days=1)
    moment = start
    while moment < end:
        following = min(moment + day, end)
        if moment.astimezone(zone).utcoffset() != following.astimezone(zone).utcoffset():
            low, high = moment, following
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            yield high.replace(microsecond=0)
        moment = following


def vevent(event, *, language, base_url, revision=0, cancelled=False, online_link=""):
    tz = event.tzinfo
    url = urljoin(base_url, event.get_absolute_url(language))
    component = icalendar.Event()
    with translation.override(language), timezone.override(tz):
        component.add("uid", event_uid(event))
        # Without a METHOD, DTSTAMP is when the event was last revised (RFC 5545, 3.8.7.2).
        component.add("dtstamp", event.updated)
        component.add("created", event.created)
        component.add("last-modified", event.updated)
        component.add("sequence", event.ical_sequence + revision)
        component.add("dtstart", event.start.astimezone(tz))
        component.add("dtend", event.end.astimezone(tz))
        component.add(
            "summary", one_line(event.title), parameters={"LANGUAGE": value_language(event, "title", language)}
        )
        if venue := event.place:
            component.add("location", one_line(location(venue)))
            if venue.latitude is not None and venue.longitude is not None:
                component.add("geo", (float(venue.latitude), float(venue.longitude)))
        elif where := facts.where(event):  # "Online": no address of a place nobody goes to
            component.add("location", where)
        component.add("url", url)
        component.add("description", multi_line(description(event, language, url, online_link)))
        component.add("categories", [one_line(str(event.category))])
        status = "CANCELLED" if cancelled else ICAL_STATUS.get(event.public_status(), "CONFIRMED")
        component.add("status", status)
    return component


def location(venue):
    """The full address on one line: "Hôtel de Ville, 1, place d'Armes, 57036 Metz, France"."""
    return ", ".join([*venue.address_lines, *([venue.country] if venue.country else [])])


def description(event, language, url, online_link=""):
    """Plain text: cancellation, the link to join online (the public one, or ``online_link``, a
    registrant's own), teaser, the programme with its times, interpretation, link. Expects the
    active language and time zone to be the calendar's and the venue's."""
    paragraphs = []
    status = event.public_status()
    if status != event.PublicStatus.SCHEDULED:
        paragraphs.append(facts.status_sentence(event, status))
    if event.is_attended_online:
        if link := online_link or (event.online_url if event.online_link_is_public else ""):
            paragraphs.append(_("Join online: %(link)s") % {"link": link})
        else:
            paragraphs.append(_("Registrants receive the link to join online."))
    if event.teaser:
        paragraphs.append(event.teaser)
    programme = _programme_lines(event, language)
    if programme:
        paragraphs.append("\n".join([_("Programme:"), *programme]))
    languages = ", ".join(part for part in (facts.language_names(event), facts.interpretation(event)) if part)
    if languages:
        paragraphs.append(languages)
    if event.interpretation:
        paragraphs.append(one_line(event.interpretation))
    paragraphs.append(url)
    return "\n\n".join(paragraphs)


def _programme_lines(event, language):
    slots = getattr(event, "programme", None)  # prefetched by the views
    if slots is None:
        slots = event.slots.prefetch_related("workshops", "slotspeaker_set__person")
    several_days = timezone.localtime(event.start).date() != timezone.localtime(event.end).date()
    lines, day = [], None
    for slot in slots:
        if several_days and timezone.localtime(slot.start).date() != day:
            day = timezone.localtime(slot.start).date()
            lines.append(long_date(slot.start, language))
        when = clock(slot.start, language) + (f" – {clock(slot.end, language)}" if slot.end else "")
        links = getattr(slot, "speaker_links", None)
        if links is None:
            links = slot.slotspeaker_set.all()
        speakers = ", ".join(one_line(link.person.name) for link in links)
        lines.append(f"{when} {one_line(slot.title)}" + (f" ({speakers})" if speakers else ""))
        lines += [f"  – {one_line(workshop.title)}" for workshop in slot.workshops.all()]
    return lines
