"""Choosing the event first: adding a registration form or a registration starts with a list of
the upcoming events, soonest first; past ones only when asked for (``?past``), the latest first."""

from django.template.response import TemplateResponse
from django.utils import timezone


def choose_event(model_admin, request, events, *, title, intro, empty, **more):
    """The page that picks one of ``events`` (a queryset). ``intro`` and ``empty`` are pairs of
    texts, (upcoming events, all events); ``more`` goes to the template as it is (a note, a link)."""
    past = "past" in request.GET
    events = events.order_by("-start") if past else events.filter(end__gte=timezone.now()).order_by("start")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.opts,
        "events": events,
        "past": past,
        "intro": intro[past],
        "empty": empty[past],
        **more,
    }
    return TemplateResponse(request, "admin/registration/choose_event.html", context)
