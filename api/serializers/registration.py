"""Where registration stands, read from the registration app's own services (the event page's
box asks the same ones: registration/page_sections.py). Counts only: no registrant's data."""

from django.utils import timezone

from events.models import Event
from registration.services import capacity

from .texts import absolute_urls, both, moment

# The states of a registration link (the event's own field) in the API's words.
LINK_STATES = {
    Event.RegistrationState.NONE: "none",
    Event.RegistrationState.OPEN: "open",
    Event.RegistrationState.CLOSED: "closed",
    Event.RegistrationState.ENDED: "ended",
}


def registration(request, event, cities, now=None):
    """``cities``: the member cities, in their order (for the places left per city). Returns the
    data and, when workshops have limited seats, a function giving a workshop's seats left."""
    now = now or timezone.now()
    form = capacity.form_settings(event)
    if form is None:
        return {
            "kind": "link" if any(both(event, "registration_url").values()) else "none",
            "state": LINK_STATES[event.registration_state(now)],
            "url": both(event, "registration_url"),
            "opens_at": None,
            "closes_at": moment(event.registration_closes_at()),
            "places_left": None,
            "places_left_by_city": [],
            "places_left_other_towns": None,
        }, None
    state = capacity.state(event, form, now)
    data = {
        "kind": "built_in",
        "state": state,
        "url": absolute_urls(request, lambda code: event.page_url("registration:register", code)),
        "opens_at": moment(form.opens_at),
        "closes_at": moment(form.closing_moment()),
        "places_left": None,
        "places_left_by_city": [],
        "places_left_other_towns": None,
    }
    if state != capacity.State.OPEN:
        return data, None
    places = capacity.availability(event, form, now)
    left = places.places_left()
    data.update(
        state="full" if left == 0 else "open",
        places_left=left,
        places_left_by_city=[
            {"city": city.code, "places_left": places.left_for(city.pk)} for city in cities if city.pk in places.quotas
        ],
        places_left_other_towns=places.left_for(None) if form.other_places is not None else None,
    )
    return data, places.seats_left
