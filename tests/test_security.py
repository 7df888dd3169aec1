"""The strict Content-Security-Policy we are heading for holds today: every page sends it, and
no page needs an exception to it (no inline script, no style attribute, no inline handler)."""

import re

import pytest

from .factories import EventFactory, ProgrammeSlotFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def assert_csp_clean(response):
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not STYLE_ATTRIBUTE.search(html)
    assert not STYLE_ELEMENT.search(html)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html).group(0)


@pytest.fixture
def event():
    event = EventFactory(description_de="**Fett** <span style='color:red' onclick='x()'>rot</span>")
    WorkshopFactory(slot=ProgrammeSlotFactory(event=event))
    return event


@pytest.mark.parametrize("language", ["de", "fr"])
def test_public_pages(client, event, language):
    for path in (f"/{language}/", event.get_absolute_url(language), event.get_absolute_url(language) + "x-missing/"):
        response = client.get(path)
        assert response.status_code in (200, 404)
        assert_csp_clean(response)
    for name in ("/de/veranstaltungen/", "/de/veranstaltungen/vergangene/", "/fr/evenements/", "/de/nichts/"):
        assert_csp_clean(client.get(name))


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/events/event/", "/admin/events/event/add/", "/admin/events/person/add/"]
)
def test_admin_pages(admin_client, event, path):
    response = admin_client.get(path)
    assert response.status_code == 200
    assert_csp_clean(response)


def test_admin_change_page(admin_client, event):
    assert_csp_clean(admin_client.get(f"/admin/events/event/{event.pk}/change/"))
