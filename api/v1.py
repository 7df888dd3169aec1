"""Version 1 of the read-only API (/api/v1/…), with django-ninja: the schema (/api/v1/openapi.json)
is generated from the functions' parameters and api/schemas.py. docs/api.md is the guide.

Only what visitors may see (``Event.objects.published()``), nothing of any registrant. Every
answer is a page the page cache keeps (pagecache/cache.py: ``api:events``, ``api:event``): an
``ETag``, ``304 Not Modified``, and never stale after an edit. Bad input is a ``400`` in JSON
(api/errors.py), whatever the parameter."""

import datetime
from typing import Literal
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Query
from ninja.errors import ValidationError

from events import fullness
from events.models import Category, City, Event, ProjectGroup, load_programme

from . import schemas
from .errors import error_response
from .parameters import EVENT_LIST as LIST_PARAMETERS
from .serializers import events as serialize
from .serializers.texts import absolute_urls

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
ORDERINGS = {
    "start": ("start", "id"),
    "-start": ("-start", "-id"),
    "updated": ("updated", "id"),
    "-updated": ("-updated", "-id"),
}

api = NinjaAPI(
    title="QuattroPole events",
    version="1",
    description=(
        "The public events of the QuattroPole network (Luxembourg, Metz, Saarbrücken, Trier), "
        "read-only, both languages in one record. Guide: /de/api/ and /fr/api/."
    ),
    urls_namespace="api",
    # The schema is served by api/views.py (GET and HEAD only, like every page), the guide by api/docs.py.
    openapi_url=None,
    docs_url=None,
)


@api.exception_handler(ValidationError)
def invalid_parameter(request, error):
    names = sorted({str(part) for problem in error.errors for part in problem.get("loc", ())[1:2]})
    return error_response(
        400,
        "invalid_parameter",
        _("Invalid value for: %(names)s. See the API documentation for the accepted values."),
        names=", ".join(names) or "?",
    )


@api.get(
    "/",
    response=schemas.Index,
    url_name="index",
    summary="What this version offers, and where its guide is",
)
def index(request):
    return {
        "events": request.build_absolute_uri("/api/v1/events"),
        "openapi": request.build_absolute_uri("/api/v1/openapi.json"),
        "documentation": absolute_urls(request, guide_url),
    }


def guide_url(language):
    with translation.override(language):
        return reverse("api_docs")


@api.get(
    "/events",
    response={200: schemas.EventPage, 400: schemas.ErrorAnswer, 404: schemas.ErrorAnswer},
    url_name="events",
    summary="Events, filtered and in pages",
    by_alias=True,
)
def events(
    request,
    city: str | None = Query(None, description="A city's code: luxembourg, metz, saarbruecken, trier."),
    category: str | None = Query(None, description="A category's code."),
    project_group: int | None = Query(None, description="A project group's id."),
    when: Literal["upcoming", "past", "all"] = Query(
        "upcoming", description="upcoming: not yet ended (default); past: ended; all: both."
    ),
    from_date: datetime.date | None = Query(None, alias="from", description="Events on or after this day."),
    to_date: datetime.date | None = Query(None, alias="to", description="Events on or before this day."),
    updated_since: datetime.datetime | None = Query(
        None, description="Events whose record changed at or after this moment (ISO 8601)."
    ),
    status: schemas.Status | None = Query(
        None,
        description="What visitors are told: scheduled (and not full), rescheduled, moved_online, postponed, "
        "full, cancelled (OpenAgenda's eventStatus 1 to 6).",
    ),
    attendance_mode: schemas.AttendanceMode | None = Query(None, description="in_person, online or mixed."),
    accessibility: schemas.AccessibilityFlag | None = Query(
        None, description="Held at a venue accessible to people with this impairment, e.g. motor (step-free)."
    ),
    language: schemas.Language | None = Query(None, description="Held in this language."),
    interpretation: schemas.InterpretationKind | None = Query(None, description="The kind of interpretation."),
    ordering: Literal["start", "-start", "updated", "-updated"] | None = Query(
        None, description="Default: start (upcoming, all), -start (past)."
    ),
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    unknown = sorted(set(request.GET) - set(LIST_PARAMETERS))
    if unknown:
        return error_response(
            400,
            "unknown_parameter",
            _("Unknown parameter: %(names)s. The list takes: %(known)s."),
            names=", ".join(unknown),
            known=", ".join(LIST_PARAMETERS),
        )
    now = timezone.now()
    found = Event.objects.published(now)
    for name, model, value in (("city", City, city), ("category", Category, category)):
        if value is None:
            continue
        chosen = model.objects.filter(code=value).first()
        if chosen is None:
            return unknown_value(name, value, model.objects.values_list("code", flat=True))
        found = found.filter(cities=chosen) if name == "city" else found.filter(category=chosen)
    if project_group is not None:
        if not ProjectGroup.objects.filter(pk=project_group).exists():
            return unknown_value("project_group", project_group, ProjectGroup.objects.values_list("pk", flat=True))
        found = found.filter(project_group_id=project_group)
    if when == "upcoming":
        found = found.upcoming(now)  # with its hint to the (status, end, start) index
    elif when == "past":
        found = found.past(now)
    if from_date is not None:
        found = found.filter(end__gte=day_start(from_date))
    if to_date is not None:
        found = found.filter(start__lt=day_start(to_date + datetime.timedelta(days=1)))
    if updated_since is not None:
        if timezone.is_naive(updated_since):
            updated_since = timezone.make_aware(updated_since)
        found = found.filter(updated__gte=updated_since)
    found = with_facts(found, now, status, attendance_mode, accessibility, language, interpretation)
    ordering = ordering or ("-start" if when == "past" else "start")
    found = found.for_listing().select_related("project_group").order_by(*ORDERINGS[ordering])
    paginator = Paginator(found, page_size)
    try:
        shown = paginator.page(page)
    except EmptyPage:
        return error_response(
            404,
            "page_not_found",
            _("There is no page %(page)s: the last is %(last)s."),
            page=page,
            last=paginator.num_pages,
        )
    return {
        "count": paginator.count,
        "page": shown.number,
        "page_size": page_size,
        "next": page_link(request, shown.next_page_number()) if shown.has_next() else None,
        "previous": page_link(request, shown.previous_page_number()) if shown.has_previous() else None,
        "results": [serialize.summary(request, event) for event in fullness.mark(shown)],
    }


@api.get(
    "/events/{event_id}",
    response={200: schemas.EventDetail, 400: schemas.ErrorAnswer, 404: schemas.ErrorAnswer, 410: schemas.ErrorAnswer},
    url_name="event",
    summary="One event with its programme, people, venue and registration",
    by_alias=True,
)
def event(request, event_id: int):
    if request.GET:
        return error_response(
            400,
            "unknown_parameter",
            _("Unknown parameter: %(names)s. This address takes none."),
            names=", ".join(sorted(request.GET)),
        )
    now = timezone.now()
    related = ("category", "project_group", "venue", "moderator", "contact", "host")
    found = Event.objects.published(now).select_related(*related).filter(pk=event_id).first()
    if found is None:
        if Event.objects.gone(now).filter(pk=event_id).exists():
            return error_response(410, "gone", _("This event is no longer published."))
        return error_response(404, "not_found", _("There is no published event with this id."))
    request.page_cache_event = found.pk  # refreshed with its content and its registrations
    load_programme(found)
    return serialize.detail(request, found, list(City.objects.all()))


def with_facts(found, now, status, attendance_mode, accessibility, language, interpretation):
    """``found`` narrowed to the facts asked for. "full" and "scheduled" part on whether an event
    is full, which ``events.fullness`` tells (as on the pages): one question for all the candidates."""
    if status == Event.PublicStatus.CANCELLED:
        found = found.filter(is_cancelled=True)
    elif status is not None:
        stored = Event.EventStatus.SCHEDULED if status == Event.PublicStatus.FULL else status
        found = found.filter(is_cancelled=False, event_status=stored)
        if stored == Event.EventStatus.SCHEDULED:
            full = fullness.full_ids(found.filter(end__gte=now).only("pk", "end"), now)
            found = found.filter(pk__in=full) if status == Event.PublicStatus.FULL else found.exclude(pk__in=full)
    if attendance_mode is not None:
        found = found.filter(attendance_mode=attendance_mode)
    if accessibility is not None:
        found = found.filter(**{f"venue__access_{accessibility}": True})
    if language is not None:
        found = found.filter(**{f"held_in_{language}": True})
    if interpretation is not None:
        found = found.filter(interpretation_kind=interpretation)
    return found


def unknown_value(name, value, known):
    return error_response(
        400,
        "unknown_value",
        _("Unknown value “%(value)s” for %(name)s. Known values: %(known)s."),
        value=value,
        name=name,
        known=", ".join(str(k) for k in known),
    )


def day_start(day):
    """The first moment of ``day`` in the site's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def page_link(request, number):
    """The list's address with another page number, its parameters in their canonical order."""
    query = {name: request.GET[name] for name in LIST_PARAMETERS if name in request.GET and name != "page"}
    if number > 1:
        query = {**query, "page": number}
    ordered = sorted(query.items(), key=lambda item: LIST_PARAMETERS.index(item[0]))
    return request.build_absolute_uri(request.path + (f"?{urlencode(ordered)}" if ordered else ""))


# HEAD as GET (the page cache answers it from the GET's entry), left out of the schema, where it
# would be a second operation with the same id.
for address, view in (("/", index), ("/events", events), ("/events/{event_id}", event)):
    api.api_operation(["HEAD"], address, include_in_schema=False)(view)
