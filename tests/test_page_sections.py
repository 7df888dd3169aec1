"""The event page's sections that an app above events fills (events/page_sections.py): events
renders its own defaults without them, and names each section once."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from events import page_sections

from .factories import EventFactory
from .registration.factories import event_with_form

pytestmark = pytest.mark.django_db


def test_without_the_registration_app_the_page_shows_the_events_own_registration_link(client, monkeypatch):
    monkeypatch.setattr(page_sections, "_renderers", {})
    event = EventFactory(registration_url_de="https://example.org/anmeldung")
    html = client.get(event.get_absolute_url("de")).content.decode()
    assert 'href="https://example.org/anmeldung"' in html
    with_form = event_with_form(capacity=5)
    html = client.get(with_form.get_absolute_url("de")).content.decode()
    assert 'class="registration-form"' not in html and "registration-summary" not in html


def test_the_registration_app_fills_both_sections(client):
    event = event_with_form(capacity=5)
    html = client.get(event.get_absolute_url("de")).content.decode()
    assert html.count('class="registration-form"') == 1
    assert html.count("registration-summary") == 1
    assert html.index("registration-summary") < html.index('class="registration-form"')


def test_a_section_is_named_and_provided_once():
    with pytest.raises(ImproperlyConfigured):
        page_sections.provide("sidebar", lambda context: "")
    with pytest.raises(ImproperlyConfigured):
        page_sections.provide("registration_box", lambda context: "")
