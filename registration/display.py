"""What registrants and staff read about registrations, in the active language: the places
left ("Noch 7 Plätze, davon 2 für Trier" / "Encore 7 places, dont 2 pour Trèves"), a
workshop's seats, and a registration's answers. Callers choose the language (the page's, or
the registrant's with ``translation.override``)."""

import re

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from events import dates

from .models import Registration


def join_and(items):
    """ "a, b and c" / "a, b und c" / "a, b et c"."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    conjunction = pgettext("list", "and")
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def places_left(places, cities):
    """Sentences about the places left, for the event page: ``places`` an Availability,
    ``cities`` the member cities in their order. Empty when nothing limits the places."""
    total = places.places_left()
    groups = [(city.name, places.left_for(city.pk)) for city in cities if city.pk in places.quotas]
    if places.form.other_places is not None:
        groups.append((_("other towns"), places.left_for(None)))
    if total == 0:
        return [_("All places are taken.")]
    free = [_("%(count)s for %(place)s") % {"count": n, "place": name} for name, n in groups if n]
    full = [name for name, n in groups if n == 0]
    sentences = []
    if total is not None:
        headline = ngettext("%(count)s place left", "%(count)s places left", total) % {"count": total}
        if free and len(groups) > 1:
            headline = _("%(places_left)s, of which %(list)s") % {"places_left": headline, "list": join_and(free)}
        sentences.append(headline + ".")
    elif free:
        sentences.append(_("Places left: %(list)s.") % {"list": join_and(free)})
    if full:
        sentences.append(_("No place left for %(places)s; the waiting list is open.") % {"places": join_and(full)})
    return sentences


def waiting_list_size(places):
    if not places.waitlisted:
        return ""
    return ngettext(
        "%(count)s person is on the waiting list.", "%(count)s people are on the waiting list.", places.waitlisted
    ) % {"count": places.waitlisted}


def held_places(places):
    """ "3 places held awaiting confirmation." — places counted as taken that may come free
    again; "" when none."""
    if not places.held:
        return ""
    return ngettext(
        "%(count)s place held awaiting confirmation.", "%(count)s places held awaiting confirmation.", places.held
    ) % {"count": places.held}


def seats_left(places, workshop):
    """ "3 seats left" / "full – waiting list", or "" when the workshop has no limit."""
    left = places.seats_left(workshop.pk)
    if left is None:
        return ""
    if left == 0:
        return _("full – waiting list")
    return ngettext("%(count)s seat left", "%(count)s seats left", left) % {"count": left}


def yes_no(value):
    return _("yes") if value else _("no")


def moment(value):
    """ "Mittwoch, 15. November 2017, 18:00 Uhr" / "mercredi 15 novembre 2017, 18h"."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    return f"{dates.long_date(value)}, {dates.time_of_day(value)}"


def language_name(code):
    return translation.get_language_info(code)["name_local"].capitalize() if code else ""


def answers(registration, form=None, workshops=None):
    """The registrant's answers as (label, value) pairs, the questions ``form`` asks (all
    stored ones when it is None). ``workshops``: the chosen workshops, if already loaded."""
    if workshops is None:
        workshops = [choice.workshop for choice in registration.workshop_choices.select_related("workshop")]
    rows = [
        (_("First name"), registration.first_name),
        (_("Last name"), registration.last_name),
        (_("E-mail"), registration.email),
        (_("Organisation"), registration.organisation or "—"),
        (_("City"), registration.town or _("another town")),
    ]
    if workshops or (form and form.workshop_choice != form.WorkshopChoice.NONE):
        label = _("Workshop") if len(workshops) < 2 else _("Workshops")
        rows.append((label, "; ".join(str(w) for w in workshops) or "—"))
    if registration.lunch is not None or (form and form.ask_lunch):
        rows.append((_("Lunch"), "—" if registration.lunch is None else yes_no(registration.lunch)))
    if registration.dietary_needs or (form and form.ask_dietary_needs):
        rows.append((_("Dietary needs"), registration.dietary_needs or "—"))
    if registration.bus_city_id or (form and form.ask_bus):
        value = str(registration.bus_city) if registration.bus_city_id else _("no, I come on my own")
        rows.append((_("Bus"), value))
    rows.append((_("Language of the e-mails"), language_name(registration.language)))
    return rows


def status(registration, position=None):
    """Where the registration stands, in the active language and time zone: "Confirmed",
    "Waiting list, number 3", "Place held until 14:35, address not confirmed yet",
    "Cancelled"; for an event called off, that the registration no longer applies."""
    Status = Registration.Status
    if registration.is_active and registration.event.is_cancelled:
        return _("No longer applies: the event has been cancelled")
    if registration.status == Status.WAITLISTED and position:
        return _("Waiting list, number %(position)s") % {"position": position}
    if registration.is_unconfirmed and registration.expires_at and registration.expires_at <= timezone.now():
        return str(Status.EXPIRED.label)  # overdue: expired, whether finalised yet or not
    if registration.is_unconfirmed and registration.expires_at:
        values = {"time": dates.time_of_day(timezone.localtime(registration.expires_at))}
        if registration.status == Status.HELD:
            return _("Place held until %(time)s, address not confirmed yet") % values
        return _("Waiting list requested, address to be confirmed by %(time)s") % values
    return str(registration.get_status_display())


# A name in an e-mail to an address nobody confirmed yet is the only text of the sender's:
# cut, and left out when it looks like an address to visit (a spammer's "name").
NAME_LENGTH = 40
LOOKS_LIKE_AN_ADDRESS = re.compile(r"://|www\.|@|[^\W_]\.[^\W\d_]{2,}\b|\.[^\W\d_]{2,}/", re.IGNORECASE)


def safe_name(registration):
    """The registrant's full name for a greeting: control characters out, at most NAME_LENGTH
    characters, and "" when it looks like a web or e-mail address."""
    name = " ".join("".join(c if c.isprintable() else " " for c in registration.full_name).split())
    if LOOKS_LIKE_AN_ADDRESS.search(name):
        return ""
    return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1].rstrip() + "…"


def short_datetime(value):
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""
