"""The registration box of the event page, and helpers for accessible forms.

``{% registration_box %}`` (in templates/events/event_detail.html, below the programme) shows,
for an event with built-in registration, where registration stands, the places left and the
form; ``{% registration_summary %}`` (in the page's side column) the short version — the places
left and a link to the form — or, for any other event, the registration link as before
(includes/registration.html). Both add, together, a fixed number of queries to the page,
whatever the number of registrations: the form settings (1, or 3 with quotas and seats), the
counts (1, +1 with workshop seats) and the member cities (1).
"""

from django import forms, template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from events.models import City

from .. import display, services
from ..forms import RegistrationForm

register = template.Library()


@register.inclusion_tag("registration/box.html", takes_context=True)
def registration_box(context):
    return _registration(context)


@register.inclusion_tag("registration/summary.html", takes_context=True)
def registration_summary(context):
    return _registration(context)


def _registration(context):
    """What both boxes show, read once per rendering of the page."""
    known = context.render_context.setdefault("registration_box", {})
    event = context["event"]
    if event.pk not in known:
        known[event.pk] = _registration_data(context, event)
    return known[event.pk]


def _registration_data(context, event):
    form_settings = services.form_settings(event)
    if form_settings is None:
        return {"built_in": False, "event": event, "registration_state": context.get("registration_state")}
    state = services.state(event, form_settings, timezone.now())
    data = {
        "built_in": True,
        "event": event,
        "settings": form_settings,
        "state": state,
        "opens_at": display.moment(form_settings.opens_at),
        "closes_at": display.moment(form_settings.closing_moment()),
        "resend_url": event.page_url("registration:resend"),
        "may_still_cancel": state in (services.State.OPEN, services.State.CLOSED, services.State.NOT_YET_OPEN),
    }
    if state == services.State.OPEN:
        places = services.availability(event, form_settings)
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


@register.filter
def is_radio(field):
    return isinstance(field.field.widget, forms.RadioSelect)


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


def _described_by(field, extra=()):
    ids = list(extra)
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def field_input(field, describedby=""):
    """The field's input, tied to its hint and error message for assistive technology."""
    attrs = {}
    ids = _described_by(field, describedby.split())
    if ids:
        attrs["aria-describedby"] = ids
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def fieldset_describedby(field, extra=""):
    """` aria-describedby="…"` for the fieldset of a group of choices."""
    ids = _described_by(field, extra.split())
    return format_html(' aria-describedby="{}"', ids) if ids else ""


@register.simple_tag
def form_errors(form):
    """Every error of the form as (anchor, message): what the error summary lists, in the
    order of the form, each linking to its field (anchor None for the form's own errors)."""
    errors = [(None, message) for message in form.non_field_errors()]
    for field in form:
        errors += [(form.error_anchor(field.name), message) for message in field.errors]
    return errors


@register.simple_tag
def retention_months():
    """How many months after an event its registrations are anonymised: the period the
    anonymisation applies (settings.REGISTRATION_RETENTION_MONTHS), shown under the notice."""
    return settings.REGISTRATION_RETENTION_MONTHS


@register.simple_tag
def site_privacy_url():
    """The site's privacy page, named by settings.REGISTRATION_PRIVACY_URL_NAME (an app above this
    one keeps it); "" when there is none."""
    name = getattr(settings, "REGISTRATION_PRIVACY_URL_NAME", "")
    return reverse(name) if name else ""
