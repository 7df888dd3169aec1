"""Sections of the event page that an app above events fills (the layers run one way: events
never imports them).

The event page (templates/events/event_detail.html) names its sections with
``{% event_page_section "name" %}`` (events_tags). An app that has something to show there
registers a renderer for the name in its ``AppConfig.ready()``::

    from events import page_sections

    page_sections.provide("registration_box", render_box)

A renderer takes the page's template ``Context`` and returns the section's HTML (safe: it
escapes what it shows, e.g. by rendering a template). Without one, the page shows the
section's default template, or nothing.

The sections:

- ``registration_summary``, in the side column: where registration stands, in short. Default:
  the event's external registration link (includes/registration.html). The registration app
  shows its built-in form's state there, and that same link for an event without one.
- ``registration_box``, below the programme, as wide as its column: the registration form.
  Default: nothing.
- ``materials``, the event's documentation (documents, photos, videos): first in the main
  column once the event is over, below the programme before. Default: nothing.
- ``slot_materials``, in a programme slot (the template's context has ``slot``): that slot's
  materials. Default: nothing.
"""

from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    "registration_summary": "includes/registration.html",
    "registration_box": None,
    "materials": None,
    "slot_materials": None,
}

_renderers = {}


def provide(name, renderer):
    """Makes ``renderer(context)`` the renderer of the section ``name`` (one per section)."""
    if name not in DEFAULTS:
        raise ImproperlyConfigured(f"The event page has no section {name!r} (events.page_sections.DEFAULTS).")
    if _renderers.get(name, renderer) is not renderer:
        raise ImproperlyConfigured(f"The event page's section {name!r} is provided twice.")
    _renderers[name] = renderer


def render(name, context):
    """The HTML of the section ``name`` for the page rendered with ``context``."""
    renderer = _renderers.get(name)
    if renderer is not None:
        return renderer(context)
    if name not in DEFAULTS:
        raise ImproperlyConfigured(f"The event page has no section {name!r} (events.page_sections.DEFAULTS).")
    default = DEFAULTS[name]
    return context.template.engine.get_template(default).render(context) if default else ""
