"""Privacy done properly: each registration records which notice was shown (the form's own text
and the site's privacy page); the registration form and the privacy page state the retention the
anonymisation applies, in the same words."""

import datetime
import hashlib

import pytest
from django.utils import translation

from pages.models import SitePage
from registration import privacy
from registration.services import booking
from tests.helpers import html_of
from tests.registration.conftest import answers
from tests.registration.factories import event_with_form, member_cities

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return event_with_form(capacity=10, privacy_notice_de="Hinweis A", privacy_notice_fr="Notice A")


def test_a_registration_records_the_notice_it_was_shown(event, site_pages, django_capture_on_commit_callbacks):
    privacy_page = SitePage.objects.get(kind="privacy")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        held = booking.request_place(event, answers(member_cities()["metz"]), language="fr")
    form_hash = hashlib.sha256(b"Notice A").hexdigest()[:12]
    page_version = privacy_page.updated.strftime("%Y-%m-%dT%H:%M:%S%z")
    assert held.privacy_notice_version == f"form:{form_hash} site:{page_version}"


def test_an_edited_notice_is_a_new_version(event, site_pages):
    settings = event.registration_settings
    with translation.override("de"):
        before = privacy.notice_version(settings)
        settings.privacy_notice_de = "Hinweis B"
        assert privacy.notice_version(settings) != before
        SitePage.objects.filter(kind="privacy").update(updated=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC))
        assert privacy.notice_version(settings).endswith("site:2027-01-01T00:00:00+0000")


@pytest.mark.parametrize("months", [6, 12])
def test_the_form_and_the_privacy_page_state_the_retention_the_job_applies(client, event, site_pages, settings, months):
    settings.REGISTRATION_RETENTION_MONTHS = months
    sentence = f"Vos données personnelles sont anonymisées {months} mois après la fin de l’événement"
    form_page = html_of(client.get(event.get_absolute_url("fr")))
    assert sentence in form_page
    assert '<a href="/fr/donnees-personnelles/">Toutes les informations sur vos données personnelles</a>' in form_page
    assert sentence in html_of(client.get("/fr/donnees-personnelles/"))
