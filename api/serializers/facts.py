"""The facts of an event that issue 27 added (status, attendance, languages, interpretation) and
its venue's accessibility, with OpenAgenda's codes beside our words so that a city's OpenAgenda
can import them one to one (docs/api.md, "OpenAgenda")."""

from events import fullness
from events.models import ACCESSIBILITY_FIELDS, Event

from .texts import both, moment

# OpenAgenda's eventStatus, one to one with what visitors are told (Event.PublicStatus).
STATUS_CODES = {
    Event.PublicStatus.SCHEDULED: 1,
    Event.PublicStatus.RESCHEDULED: 2,
    Event.PublicStatus.MOVED_ONLINE: 3,
    Event.PublicStatus.POSTPONED: 4,
    Event.PublicStatus.FULL: 5,
    Event.PublicStatus.CANCELLED: 6,
}
# OpenAgenda's attendanceMode.
ATTENDANCE_CODES = {
    Event.AttendanceMode.IN_PERSON: 1,
    Event.AttendanceMode.ONLINE: 2,
    Event.AttendanceMode.MIXED: 3,
}
# The venue's flags by the API's name (the field without "access_"), and OpenAgenda's key for each.
ACCESSIBILITY = {field.removeprefix("access_"): field for field in ACCESSIBILITY_FIELDS}
OPENAGENDA_ACCESSIBILITY = {"motor": "mi", "hearing": "hi", "visual": "vi", "psychic": "pi", "intellectual": "ii"}


def event_facts(event):
    """The fields of an event's record; its fullness read from ``events.fullness`` as the pages
    read it (a list marks its events first: ``fullness.mark``, one question for all)."""
    status = fullness.status(event)
    return {
        "status": status.value,
        "previous_start": (
            moment(event.previous_start, event.tzinfo) if status == Event.PublicStatus.RESCHEDULED else None
        ),
        "attendance_mode": event.attendance_mode,
        # Never the registrants-only link: that one is sent to those registered.
        "online_url": event.online_url if event.online_link_is_public else None,
        "languages": event.languages,
        "interpretation": {
            "kind": event.interpretation_kind,
            "from": event.interpretation_from or None,
            "to": event.interpretation_to or None,
            "note": both(event, "interpretation"),
        },
        "sign_language": event.sign_language,
        "openagenda": {
            "status": STATUS_CODES[status],
            "attendance_mode": ATTENDANCE_CODES[event.attendance_mode],
            "accessibility": (
                {OPENAGENDA_ACCESSIBILITY[name]: getattr(event.venue, field) for name, field in ACCESSIBILITY.items()}
                if event.venue_id
                else None
            ),
        },
    }


def accessibility(venue):
    """A venue's accessibility: its five flags, its note in each language, and whether the values
    are example data (the demo's venues) rather than taken from the venue."""
    return {
        **{name: getattr(venue, field) for name, field in ACCESSIBILITY.items()},
        "note": both(venue, "accessibility_note"),
        "example": venue.accessibility_example,
    }
