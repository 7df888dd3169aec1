"""The API's guide for the cities' web teams (/de/api/, /fr/api/): how to read the events, with
examples in curl and JavaScript, the version policy, and the operations and parameters as the
OpenAPI schema (/api/v1/openapi.json) gives them — the page and the schema cannot disagree."""

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from .parameters import EVENT_LIST
from .v1 import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, api

# What each operation and parameter is, in the page's language (the schema says it in English).
OPERATIONS = {
    "/api/v1/": _("What this version offers, and the addresses of its guide."),
    "/api/v1/events": _("The events, filtered, in pages."),
    "/api/v1/events/{event_id}": _("One event with its programme, people, venue, cities and registration."),
}
PARAMETERS = {
    "city": _("A city’s code: luxembourg, metz, saarbruecken, trier."),
    "category": _("A category’s code."),
    "project_group": _("A project group’s id."),
    "when": _("upcoming: not yet ended (the default); past: ended; all: both."),
    "from": _("Events taking place on or after this day."),
    "to": _("Events taking place on or before this day."),
    "updated_since": _("Events whose record changed at or after this moment (ISO 8601)."),
    "status": _(
        "What visitors are told: scheduled (and not full), rescheduled, moved_online, postponed, full, cancelled "
        "(OpenAgenda’s eventStatus 1 to 6)."
    ),
    "attendance_mode": _("in_person, online or mixed."),
    "accessibility": _("Held at a venue accessible to people with this impairment, e.g. motor (step-free)."),
    "language": _("Held in this language."),
    "interpretation": _("The kind of interpretation: none, simultaneous, consecutive."),
    "ordering": _("The default: start (upcoming, all), -start (past)."),
    "page": _("The page number, from 1."),
    "page_size": _("Events per page."),
}


@require_safe
def guide(request):
    schema = api.get_openapi_schema()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": OPERATIONS[path],
            "parameters": [
                {"name": p["name"], "description": PARAMETERS[p["name"]], "type": schema_type(p.get("schema", {}))}
                for p in operation.get("parameters", ())
                if p.get("in") == "query"
            ],
        }
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    base = request.build_absolute_uri("/").rstrip("/")
    language = translation.get_language()
    return render(
        request,
        f"api/guide_{language}.html",
        {
            "operations": operations,
            "base": base,
            "parameters": EVENT_LIST,
            "default_page_size": DEFAULT_PAGE_SIZE,
            "max_page_size": MAX_PAGE_SIZE,
        },
    )


def schema_type(schema):
    """A parameter's type as the schema gives it: ``string (date)``, ``integer``, ``upcoming | past``."""
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    options = [s for s in schema.get("anyOf", ()) if s.get("type") != "null"]
    if options:
        return schema_type(options[0])
    kind = schema.get("type", "")
    return f"{kind} ({schema['format']})" if "format" in schema else kind
