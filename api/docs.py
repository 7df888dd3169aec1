"""The API's guide for the cities' web teams (/de/api/, /fr/api/): how to read the events, with
examples in curl and JavaScript, the version policy, and the operations and parameters as the
OpenAPI schema (/api/v1/openapi.json) gives them — the page and the schema cannot disagree."""

from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from .parameters import EVENT_LIST
from .v1 import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, api


@require_safe
def guide(request):
    schema = api.get_openapi_schema()
    operations = [
        {
            "method": method.upper(),
            "path": "/api/v1" + path,
            "summary": operation.get("summary", ""),
            "parameters": [
                {
                    "name": p["name"],
                    "description": p.get("description") or p.get("schema", {}).get("description", ""),
                    "type": schema_type(p.get("schema", {})),
                }
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
