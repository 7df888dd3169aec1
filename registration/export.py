"""Registrations as a table for the secretariat: the CSV export (one row per registrant, every
answer, headings in the staff member's language) and the rows of the sign-in sheet.

The CSV opens in Excel with accents intact: UTF-8 with a byte order mark, semicolons between
the columns (what Excel expects in German and French settings), and cells that Excel would
take for a formula (=, +, -, @ first) prefixed with an apostrophe.
"""

import csv
import io
import unicodedata
from collections import Counter

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from events import dates

from . import display
from .models import Registration, WorkshopChoice

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
STATUS_ORDER = {Registration.Status.CONFIRMED: 0, Registration.Status.WAITLISTED: 1, Registration.Status.CANCELLED: 2}


def vouched_for(registrations):
    """Leaves out registrations whose address was never confirmed (held, pending, expired, or
    released unconfirmed): nobody but whoever typed them vouches for them."""
    return registrations.exclude(status__in=[*Registration.UNCONFIRMED, Registration.Status.EXPIRED]).exclude(
        status=Registration.Status.CANCELLED, expires_at__isnull=False
    )


def safe(value):
    """A cell Excel shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def sort_key(text):
    """Alphabetical as a list of names is read: accents and case aside (Ärmel with the A's)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def when(value):
    return date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def with_choices(registrations):
    return registrations.select_related("event", "city", "bus_city").prefetch_related(
        Prefetch(
            "workshop_choices", queryset=WorkshopChoice.objects.select_related("workshop__slot"), to_attr="choices"
        )
    )


def table(registrations):
    """(headings, rows) for ``registrations``: confirmed by name, then the waiting list in its
    order, then the cancelled. Registrations of several events get an "Event" column."""
    registrations = list(with_choices(vouched_for(registrations)))
    events = {registration.event_id for registration in registrations}
    slots = {}
    for registration in registrations:
        for choice in registration.choices:
            slots.setdefault(choice.workshop.slot_id, choice.workshop.slot)
    slots = sorted(slots.values(), key=lambda slot: (slot.start, slot.pk))
    one_event = len(events) <= 1
    positions, counter = {}, Counter()
    for pk, event_id in Registration.objects.waiting_list().filter(event_id__in=events).values_list("pk", "event_id"):
        counter[event_id] += 1
        positions[pk] = counter[event_id]
    registrations.sort(
        key=lambda r: (
            r.event.start if not one_event else 0,
            r.event_id,
            STATUS_ORDER[r.status],
            positions.get(r.pk, 0),
            sort_key(r.last_name),
            sort_key(r.first_name),
            r.pk,
        )
    )
    headings = [] if one_event else [_("Event")]
    headings += [
        _("Status"),
        _("Position on the waiting list"),
        _("Last name"),
        _("First name"),
        _("E-mail"),
        _("Organisation"),
        _("City"),
        _("Other town"),
    ]
    if one_event and len(slots) > 1:
        headings += [_("Workshop at %(time)s") % {"time": dates.clock(slot.start)} for slot in slots]
    else:
        headings.append(_("Workshop"))
    headings += [
        _("Lunch"),
        _("Dietary needs"),
        _("Bus from"),
        _("Language of the e-mails"),
        _("Registered"),
        _("Privacy notice accepted"),
        _("Attended"),
    ]
    rows = []
    for r in registrations:
        row = [] if one_event else [str(r.event)]
        row += [
            r.get_status_display(),
            positions.get(r.pk, ""),
            r.last_name,
            r.first_name,
            r.email,
            r.organisation,
            str(r.city) if r.city_id else _("another town"),
            r.other_town,
        ]
        chosen = {choice.workshop.slot_id: choice.workshop for choice in r.choices}
        if one_event and len(slots) > 1:
            row += [str(chosen[slot.pk]) if slot.pk in chosen else "" for slot in slots]
        else:
            row.append("; ".join(str(workshop) for workshop in chosen.values()))
        row += [
            "" if r.lunch is None else display.yes_no(r.lunch),
            r.dietary_needs,
            str(r.bus_city) if r.bus_city_id else "",
            display.language_name(r.language),
            when(r.created),
            when(r.consented_at),
            display.yes_no(r.attended),
        ]
        rows.append([safe(cell) for cell in row])
    return headings, rows


def csv_bytes(registrations):
    headings, rows = table(registrations)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sign_in_rows(event):
    """The confirmed registrants of ``event`` in alphabetical order, for the sign-in sheet."""
    registrations = with_choices(Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED))
    return sorted(registrations, key=lambda r: (sort_key(r.last_name), sort_key(r.first_name), r.pk))
