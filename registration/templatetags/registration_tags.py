"""Helpers for the registration app's accessible forms (the event page's registration box and
summary are registration/page_sections.py)."""

from django import forms, template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


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
