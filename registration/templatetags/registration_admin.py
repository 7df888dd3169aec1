"""The registration's place on the event's admin page: an object tool leading to the event's
registrations (their overview), or, for an event without a registration form, to setting one up.

The event form (templates/admin/events/event/change_form_object_tools.html) offers the place;
registration fills it, as it fills the event page's registration box: events knows nothing of
registration. One query: whether the event has a registration form."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import RegistrationSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def registration_object_tool(context, event):
    user = context["request"].user
    if RegistrationSettings.objects.filter(event_id=event.pk).exists():
        if not user.has_perm("registration.view_registration"):
            return ""
        url, label = reverse("admin:registration_registration_overview", args=[event.pk]), _("Registrations")
    elif event.registration_url_de or event.registration_url_fr:
        return ""  # it links to an external form instead
    elif user.has_perm("registration.add_registrationsettings"):
        url = reverse("admin:registration_registrationsettings_add") + f"?event={event.pk}"
        label = _("Set up registration")
    else:
        return ""
    return format_html('<li><a href="{}" class="registrationlink">{}</a></li>', url, label)
