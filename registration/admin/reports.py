"""What the secretariat reads about an event's registrations: the overview with its counts
(status, city, workshop, lunch, bus, language, attendance), the CSV export and the sign-in
sheet. Each is a fixed number of queries, whatever the number of registrations."""

from urllib.parse import urlencode

from django.db.models import Count
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events import dates
from events.models import City

from .. import display, export
from ..models import Registration, WorkshopChoice
from ..services import capacity

CONFIRMED, WAITLISTED = Registration.Status.CONFIRMED, Registration.Status.WAITLISTED


def changelist(**filters):
    return reverse("admin:registration_registration_changelist") + "?" + urlencode(filters)


def overview(event, form):
    """Counts of ``event``'s registrations, each linking to the matching list."""
    places = capacity.availability(event, form)
    cities = list(City.objects.all())
    base = {"event__id__exact": event.pk}
    by = {}
    for name in ("status", "city", "lunch", "bus_city", "language", "attended"):
        rows = Registration.objects.filter(event=event).values_list("status", name).annotate(n=Count("id")).order_by()
        by[name] = {(status, value): n for status, value, n in rows}

    def count(name, value, status=CONFIRMED):
        return by[name].get((status, value), 0)

    statuses = [
        (label, by["status"].get((status, status), 0), changelist(**base, status__exact=status))
        for status, label in Registration.Status.choices
    ]
    city_rows = []
    for city in [*cities, None]:
        key = city.pk if city else None
        where = {"city__id__exact": city.pk} if city else {"city__isnull": "True"}
        city_rows.append(
            {
                "name": city.name if city else _("Other towns"),
                "confirmed": count("city", key),
                "waitlisted": count("city", key, WAITLISTED),
                "limit": places.quotas.get(city.pk) if city else form.other_places,
                "url": changelist(**base, status__exact=CONFIRMED, **where),
            }
        )
    choices = (
        WorkshopChoice.objects.filter(registration__event=event)
        .values_list("registration__status", "workshop_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_workshop = {(status, pk): n for status, pk, n in choices}
    workshops = [
        {
            "name": f"{slot.title} – {workshop.title}",
            "confirmed": by_workshop.get((CONFIRMED, workshop.pk), 0),
            "waitlisted": by_workshop.get((WAITLISTED, workshop.pk), 0),
            "limit": places.seats.get(workshop.pk),
            "url": changelist(**base, status__exact=CONFIRMED, workshop=workshop.pk),
        }
        for slot in event.slots.prefetch_related("workshops")
        for workshop in slot.workshops.all()
    ]
    lunch = [
        (
            display.yes_no(value),
            count("lunch", value),
            changelist(**base, status__exact=CONFIRMED, lunch__exact=int(value)),
        )
        for value in (True, False)
        if form.ask_lunch or count("lunch", value)
    ]
    dietary = Registration.objects.filter(event=event, status=CONFIRMED).exclude(dietary_needs="").count()
    bus = [
        (
            city.name,
            count("bus_city", city.pk),
            changelist(**base, status__exact=CONFIRMED, bus_city__id__exact=city.pk),
        )
        for city in cities
        if form.ask_bus or count("bus_city", city.pk)
    ]
    languages = [
        (
            display.language_name(code),
            count("language", code),
            changelist(**base, status__exact=CONFIRMED, language__exact=code),
        )
        for code, _name in Registration._meta.get_field("language").choices
    ]
    return {
        "event": event,
        "settings": form,
        "state": capacity.state(event, form),
        "when": dates.date_span(event.start, event.end),
        "places_left": places.places_left(),
        "places_text": [*display.places_left(places, cities), *filter(None, [display.held_places(places)])],
        "statuses": statuses,
        "cities": city_rows,
        "workshops": workshops,
        "lunch": lunch,
        "dietary": dietary,
        "bus": bus,
        "languages": languages,
        "present": count("attended", True),
        "confirmed": places.confirmed,
        "held": places.held,
        "waiting_list_url": changelist(**base, status__exact=WAITLISTED),
        "attendance_url": changelist(**base, status__exact=CONFIRMED),
    }


def csv_response(registrations, name):
    response = HttpResponse(export.csv_bytes(registrations), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def sign_in_sheet(event, form):
    """The confirmed registrants with a signature column; a workshop and a lunch column when the
    registration form asks for them."""
    rows = export.sign_in_rows(event)
    return {
        "event": event,
        "when": dates.date_span(event.start, event.end),
        "rows": rows,
        "workshops": form.workshop_choice != form.WorkshopChoice.NONE,
        "lunch": form.ask_lunch,
        "blank_rows": range(len(rows) + 1, len(rows) + 9),  # for people who come without registering
    }
