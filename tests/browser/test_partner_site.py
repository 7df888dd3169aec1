"""Issue 28's "done when", in a real browser: a city's website on another origin (a server the
test starts on a free port) shows the Metz events in an iframe and reads /api/v1/events?city=metz
with its own JavaScript (CORS); the same page on an origin the settings do not allow cannot frame
the list. A page with the admin generator's snippet sizes the iframe to the list it shows."""

import contextlib
import html
import http.server
import re
import socket
import threading

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from tests.factories import CityFactory, EventFactory

pytestmark = pytest.mark.browser

PARTNER_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Ville de Metz – agenda</title></head>
<body>
<h1>Agenda</h1>
<iframe id="quattropole" title="QuattroPole" src="{site}/fr/integrer/?city=metz" width="600" height="400"></iframe>
<ul id="from-api"></ul>
<script>
fetch("{site}/api/v1/events?city=metz")
  .then((response) => response.json())
  .then((page) => {{
    for (const event of page.results) {{
      const item = document.createElement("li");
      item.textContent = event.title.fr;
      document.getElementById("from-api").append(item);
    }}
  }})
  .catch((error) => {{ document.getElementById("from-api").dataset.error = String(error); }});
</script>
</body></html>
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SNIPPET_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Ville de Metz – agenda</title></head>
<body>
<h1>Agenda</h1>
{snippet}
<p id="after">Mairie de Metz</p>
</body></html>
"""


@contextlib.contextmanager
def partner_site(site, page=PARTNER_PAGE):
    """A city's website: one page, served on 127.0.0.1 and a free port of its own."""
    body = page.format(site=site).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def events_in_metz_and_trier(transactional_db):
    metz = CityFactory(code="metz", name_de="Metz", name_fr="Metz")
    trier = CityFactory(code="trier", name_de="Trier", name_fr="Trèves")
    EventFactory(title_fr="Rencontre citoyenne à Metz", title_de="Bürgerbegegnung in Metz").cities.set([metz])
    EventFactory(title_fr="Forum à Trèves", title_de="Forum in Trier").cities.set([trier])


def test_an_allowed_partner_frames_the_metz_events_and_reads_the_api(
    open_page, live_server, settings, events_in_metz_and_trier
):
    with partner_site(live_server.url) as origin:
        settings.EMBED_ALLOWED_ORIGINS = [origin]
        page = open_page("fr")
        page.goto(origin)
        frame = page.frame_locator("#quattropole")
        expect(frame.get_by_role("link", name="Rencontre citoyenne à Metz")).to_be_visible()
        expect(frame.get_by_text("Forum à Trèves")).to_have_count(0)
        expect(page.locator("#from-api li")).to_have_text(["Rencontre citoyenne à Metz"])


def test_a_partner_not_allowed_cannot_frame_the_list(open_page, live_server, settings, events_in_metz_and_trier):
    with partner_site(live_server.url) as allowed, partner_site(live_server.url) as other:
        settings.EMBED_ALLOWED_ORIGINS = [allowed]
        page = open_page("fr")
        # Chromium reports the refusal on the console: the frame's answer arrived and was refused.
        with page.expect_console_message(lambda message: "frame-ancestors" in message.text) as refusal:
            page.goto(other)
        assert allowed in refusal.value.text
        expect(page.frame_locator("#quattropole").get_by_text("Rencontre citoyenne à Metz")).to_have_count(0)
        # Reading the API stays open to every origin; framing does not.
        expect(page.locator("#from-api li")).to_have_text(["Rencontre citoyenne à Metz"])


def generated_snippet(live_server):
    """The code the admin's generator gives for the Metz events in French, as staff copy it."""
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "a-long-password"))
    answer = client.get("/admin/embed/?language=fr&city=metz&height=600", HTTP_HOST=live_server.url.split("//")[1])
    return html.unescape(
        re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', answer.content.decode(), re.S)[1]
    )


@pytest.fixture
def many_events_in_metz(transactional_db):
    metz = CityFactory(code="metz", name_de="Metz", name_fr="Metz")
    for number in range(1, 13):
        EventFactory(title_fr=f"Rencontre {number} à Metz", title_de=f"Begegnung {number} in Metz").cities.set([metz])


def iframe_and_list_heights(page):
    """The height of the iframe's window on the partner's page and that of the list it shows."""
    listing = next(frame for frame in page.frames if "/fr/integrer/" in frame.url)
    return (
        page.locator("iframe").evaluate("frame => frame.clientHeight"),
        listing.evaluate("() => document.documentElement.getBoundingClientRect().height"),
    )


def wait_until_sized(page):
    """The heights, once the iframe has the list's height (within a pixel; 5 s at most)."""
    for _ in range(50):
        frame_height, list_height = iframe_and_list_heights(page)
        if abs(frame_height - list_height) <= 1:
            break
        page.wait_for_timeout(100)
    return frame_height, list_height


def test_the_generated_snippet_gives_the_iframe_the_height_of_the_list(
    open_page, live_server, settings, many_events_in_metz
):
    snippet = generated_snippet(live_server)
    assert 'height="600"' in snippet and "/static/js/embed-resize.js" in snippet
    with partner_site(live_server.url, SNIPPET_PAGE.replace("{snippet}", snippet)) as origin:
        settings.EMBED_ALLOWED_ORIGINS = [origin]
        page = open_page("fr", width=1280, height=800)
        page.goto(origin)
        expect(page.frame_locator("iframe").get_by_role("link", name="Rencontre 12 à Metz")).to_be_visible()
        frame_height, list_height = wait_until_sized(page)
        # Twelve events are taller than the 600 px of the snippet: the iframe grew to show them all.
        assert list_height > 600
        assert abs(frame_height - list_height) <= 1
        assert not page.errors, page.errors

        # A narrower page wraps the titles: the iframe follows the list's new height.
        page.set_viewport_size({"width": 360, "height": 800})
        narrow_frame, narrow_list = wait_until_sized(page)
        assert narrow_list > list_height
        assert abs(narrow_frame - narrow_list) <= 1

        # A message from any other origin (here the partner's page itself) is ignored.
        page.evaluate("window.postMessage({type: 'quattropole-embed:height', height: 50}, '*')")
        page.wait_for_timeout(300)
        assert iframe_and_list_heights(page)[0] == narrow_frame


def test_without_the_script_the_iframe_keeps_its_height(open_page, live_server, settings, many_events_in_metz):
    snippet = re.sub(r"<script[^>]*></script>", "", generated_snippet(live_server))
    with partner_site(live_server.url, SNIPPET_PAGE.replace("{snippet}", snippet)) as origin:
        settings.EMBED_ALLOWED_ORIGINS = [origin]
        page = open_page("fr", width=1280, height=800)
        page.goto(origin)
        expect(page.frame_locator("iframe").get_by_role("link", name="Rencontre 12 à Metz")).to_be_attached()
        page.wait_for_timeout(300)
        frame_height, list_height = iframe_and_list_heights(page)
        assert frame_height == 600
        assert list_height > 600  # the rest of the list scrolls inside the iframe
