"""Events: the record of the list (``summary``) and the full record of one event (``detail``)."""

from . import places, programme
from .facts import event_facts
from .people import person
from .registration import registration
from .texts import absolute_urls, both, moment


def summary(request, event):
    """What the list gives of each event (``EventQuerySet.for_listing`` with the project group,
    and ``events.fullness.mark``: no query per event)."""
    return {
        "id": event.pk,
        "api_url": request.build_absolute_uri(f"/api/v1/events/{event.pk}"),
        "page_url": absolute_urls(request, event.get_absolute_url),
        "calendar_url": absolute_urls(request, event.get_calendar_url),
        "title": both(event, "title"),
        "kicker": both(event, "kicker"),
        "teaser": both(event, "teaser"),
        "start": moment(event.start, event.tzinfo),
        "end": moment(event.end, event.tzinfo),
        "time_zone": str(event.tzinfo),
        "is_cancelled": event.is_cancelled,
        **event_facts(event),
        "category": places.category(event.category),
        "project_group": places.project_group(event.project_group),
        "cities": [places.city(city) for city in event.cities.all()],
        "venue": places.venue(event.venue),
        "poster": poster(request, event),
        "updated": moment(event.updated),
    }


def detail(request, event, cities):
    """One event with its programme (``events.models.load_programme``), people and registration."""
    data = summary(request, event)
    state, seats_left = registration(request, event, cities)
    data.update(
        programme_url=absolute_urls(request, event.get_programme_url),
        description=both(event, "description"),
        moderator=person(event.moderator),
        host=person(event.host),
        contact=person(event.contact),
        programme=[programme.slot(slot, event.tzinfo, seats_left) for slot in event.programme],
        registration=state,
    )
    return data


def poster(request, event):
    if not event.poster:
        return None
    return {"url": request.build_absolute_uri(event.poster.url), "alt": both(event, "poster_alt")}
