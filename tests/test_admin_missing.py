"""An event's own admin pages (translation, pasting the programme, history) asked for an event
that is not there — deleted meanwhile, or a mistyped address: the staff member lands on the events
list with Django's warning in their language, as on Django's own change page, never a 404 or 500."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

PAGES = ["admin:events_event_translate", "admin:events_event_paste_programme", "admin:events_event_history"]
WARNINGS = {
    "de": "Veranstaltung mit ID „{key}“ existiert nicht. Eventuell gelöscht?",
    "fr": "événement avec l’identifiant «\u00a0{key}\u00a0» n’existe pas. Peut-être a-t-il été supprimé\u00a0?",
}


@pytest.mark.parametrize("language", ["de", "fr"])
@pytest.mark.parametrize("page", PAGES)
def test_a_page_of_a_deleted_event_leads_back_to_the_list_with_a_warning(admin_client, page, language):
    event = EventFactory()
    key = event.pk
    event.delete()
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = admin_client.get(reverse(page, args=[key]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:events_event_changelist")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [WARNINGS[language].format(key=key)]


@pytest.mark.parametrize("page", PAGES)
def test_a_mistyped_address_is_the_same_warning(admin_client, page):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    response = admin_client.get(reverse(page, args=["abc"]))

    assert response["Location"] == reverse("admin:events_event_changelist")
    assert [str(message) for message in get_messages(response.wsgi_request)] == [WARNINGS["de"].format(key="abc")]
