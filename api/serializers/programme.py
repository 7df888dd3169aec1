"""The programme: slots in order, each with its speakers and workshops (loaded by
``events.models.load_programme``: no query here)."""

from .people import person
from .texts import both, moment


def slot(obj, tzinfo, seats_left=None):
    """``tzinfo``: the event's time zone, in which the slot's times are written."""
    return {
        "start": moment(obj.start, tzinfo),
        "end": moment(obj.end, tzinfo),
        "kind": obj.kind,
        "title": both(obj, "title"),
        "description": both(obj, "description"),
        "speakers": [person(link.person) for link in obj.speaker_links],
        "workshops": [workshop(w, seats_left) for w in obj.workshops.all()],
    }


def workshop(obj, seats_left=None):
    """``seats_left``: a function of the workshop's id (built-in registration with seats), or None."""
    return {
        "id": obj.pk,
        "title": both(obj, "title"),
        "description": both(obj, "description"),
        "seats_left": seats_left(obj.pk) if seats_left else None,
    }
