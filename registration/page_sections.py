"""The registration app's sections of the event page (events/page_sections.py), registered in
apps.ready(): ``registration_box`` below the programme shows, for an event with built-in
registration, where registration stands, the places left and the form;
``registration_summary`` in the side column the short version — the places left and a link to
the form — or, for any other event, the registration link as before (includes/registration.html).
Both add, together, a fixed number of queries to the page, whatever the number of
registrations: the form settings (1, or 3 with quotas and seats), the counts (1, +1 with
workshop seats) and the member cities (1).
"""

from django.utils import timezone

from events.models import City

from . import display
from .forms import RegistrationForm
from .services import capacity


def render_box(context):
    return _render("registration/box.html", context)


def render_summary(context):
    return _render("registration/summary.html", context)


def _render(template_name, context):
    """The template with the registration's data, as an inclusion tag renders it: a context of
    its own that keeps the page's CSRF token (the form posts)."""
    section = context.new(_registration(context))
    if (csrf_token := context.get("csrf_token")) is not None:
        section["csrf_token"] = csrf_token
    return context.template.engine.get_template(template_name).render(section)


def _registration(context):
    """What both boxes show, read once per rendering of the page."""
    known = context.render_context.setdefault("registration_box", {})
    event = context["event"]
    if event.pk not in known:
        known[event.pk] = _registration_data(context, event)
    return known[event.pk]


def _registration_data(context, event):
    form_settings = capacity.page_form(event)
    if form_settings is None:
        return {"built_in": False, "event": event, "registration_state": context.get("registration_state")}
    state = capacity.state(event, form_settings, timezone.now())
    data = {
        "built_in": True,
        "event": event,
        "settings": form_settings,
        "state": state,
        "opens_at": display.moment(form_settings.opens_at),
        "closes_at": display.moment(form_settings.closing_moment()),
        "resend_url": event.page_url("registration:resend"),
        "may_still_cancel": state in (capacity.State.OPEN, capacity.State.CLOSED, capacity.State.NOT_YET_OPEN),
    }
    if state == capacity.State.OPEN:
        places = capacity.availability(event, form_settings)
        cities = list(City.objects.all())
        form = context.get("registration_form") or RegistrationForm(
            event=event, form=form_settings, places=places, cities=cities
        )
        data.update(
            places_text=display.places_left(places, cities),
            waiting=display.waiting_list_size(places),
            held=display.held_places(places),
            full=places.places_left() == 0,
            form=form,
            action=event.page_url("registration:register") + "#register",
            offer=context.get("offer"),
            workshop_problem=any(p.kind == "workshop" for p in getattr(context.get("offer"), "problems", ())),
            already_registered=context.get("already_registered"),
        )
    return data
