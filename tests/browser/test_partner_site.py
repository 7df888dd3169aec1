"""Issue 28's "done when", in a real browser: a city's website on another origin (a server the
test starts on a free port) shows the Metz events in an iframe and reads /api/v1/events?city=metz
with its own JavaScript (CORS); the same page on an origin the settings do not allow cannot frame
the list."""

import contextlib
import http.server
import socket
import threading

import pytest
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


@contextlib.contextmanager
def partner_site(site):
    """A city's website: one page, served on 127.0.0.1 and a free port of its own."""
    body = PARTNER_PAGE.format(site=site).encode()

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
