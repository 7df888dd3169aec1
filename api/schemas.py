"""The API's records as the OpenAPI schema describes them (django-ninja checks every answer
against them). The data comes from api/serializers/, one module per resource, in the same order."""

from typing import Literal

from ninja import Field, Schema


class Texts(Schema):
    """A text in both languages; null where that language's text is not written."""

    de: str | None
    fr: str | None


class Urls(Schema):
    """An address in each language."""

    de: str
    fr: str


class City(Schema):
    code: str
    name: Texts


class Category(Schema):
    code: str
    name: Texts


class ProjectGroup(Schema):
    id: int
    name: Texts


class Accessibility(Schema):
    """The venue's accessibility (OpenAgenda's five flags; their keys there: ``openagenda``)."""

    hearing: bool
    visual: bool
    psychic: bool
    motor: bool
    intellectual: bool
    note: Texts
    example: bool


class Venue(Schema):
    id: int
    name: Texts
    street: str | None
    postal_code: str | None
    locality: Texts
    country: Texts
    website: str | None
    latitude: float | None
    longitude: float | None
    time_zone: str
    accessibility: Accessibility


class Person(Schema):
    id: int
    name: str
    role: Texts
    affiliation: Texts


class Workshop(Schema):
    id: int
    title: Texts
    description: Texts
    seats_left: int | None


class Slot(Schema):
    start: str
    end: str | None
    kind: str
    title: Texts
    description: Texts
    speakers: list[Person]
    workshops: list[Workshop]


class CityPlaces(Schema):
    city: str
    places_left: int | None


class Registration(Schema):
    kind: Literal["none", "link", "built_in"]
    state: Literal["none", "not_yet_open", "open", "full", "closed", "started", "ended", "cancelled"]
    url: Texts
    opens_at: str | None
    closes_at: str | None
    places_left: int | None
    places_left_by_city: list[CityPlaces]
    places_left_other_towns: int | None


Status = Literal["scheduled", "rescheduled", "moved_online", "postponed", "full", "cancelled"]
AttendanceMode = Literal["in_person", "online", "mixed"]
Language = Literal["de", "fr", "lb", "en", "other"]
InterpretationKind = Literal["none", "simultaneous", "consecutive"]
AccessibilityFlag = Literal["hearing", "visual", "psychic", "motor", "intellectual"]


class Interpretation(Schema):
    kind: InterpretationKind
    from_: Literal["de", "fr", "lb", "en"] | None = Field(alias="from")
    to: Literal["de", "fr", "lb", "en"] | None
    note: Texts


class OpenAgendaAccessibility(Schema):
    ii: bool
    hi: bool
    vi: bool
    pi: bool
    mi: bool


class OpenAgenda(Schema):
    """The same facts in OpenAgenda's codes: eventStatus 1 scheduled, 2 rescheduled, 3 moved
    online, 4 postponed, 5 full, 6 cancelled; attendanceMode 1 in person, 2 online, 3 mixed;
    accessibility ii intellectual, hi hearing, vi visual, pi psychic, mi motor (null: no venue)."""

    status: Literal[1, 2, 3, 4, 5, 6]
    attendance_mode: Literal[1, 2, 3]
    accessibility: OpenAgendaAccessibility | None


class Poster(Schema):
    url: str
    alt: Texts


class EventSummary(Schema):
    id: int
    api_url: str
    page_url: Urls
    calendar_url: Urls
    title: Texts
    kicker: Texts
    teaser: Texts
    start: str
    end: str
    time_zone: str
    is_cancelled: bool
    status: Status
    previous_start: str | None
    attendance_mode: AttendanceMode
    online_url: str | None
    languages: list[Language]
    interpretation: Interpretation
    sign_language: bool
    openagenda: OpenAgenda
    category: Category
    project_group: ProjectGroup | None
    cities: list[City]
    venue: Venue | None
    poster: Poster | None
    updated: str


class EventDetail(EventSummary):
    programme_url: Urls
    description: Texts
    moderator: Person | None
    host: Person | None
    contact: Person | None
    programme: list[Slot]
    registration: Registration


class EventPage(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[EventSummary]


class Index(Schema):
    events: str
    openapi: str
    documentation: Urls


class Error(Schema):
    code: str
    message: Texts


class ErrorAnswer(Schema):
    error: Error
