"""Several app servers: two gunicorn servers sharing one PostgreSQL database and one Redis, as
docs/deploy.md's "Scaling out" sets them up. A page cached by one is served by the other, and an
edit made through the admin of one is visible on the other at the very next request."""

import re

import pytest

from devtools.servers import AppServer, production_environment

from .web_client import Browser, form_fields

pytestmark = pytest.mark.processes

HOST = "veranstaltungen.quattropole.org"
EVENT_DE = "/de/veranstaltungen/zuwanderung-als-chance-fuer-unsere-vier-staedte/"
EVENT_FR = "/fr/evenements/immigrations-une-chance-pour-nos-quatre-villes/"


def test_two_app_servers_share_the_cache_and_never_serve_a_stale_page(
    postgres_server, redis_server, tmp_path, production_static, postgres_demo
):
    postgres_server.create_database("quattropole")
    postgres_server.load("quattropole", postgres_demo.sql)
    postgres_demo.copy_media(tmp_path / "media")
    env = production_environment(
        tmp_path,
        DATABASE_URL=postgres_server.url("quattropole"),
        REDIS_URL=redis_server.url,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_STATIC_ROOT=production_static,
    )
    first, second = AppServer(env), AppServer(env)
    first.start()
    second.start()
    try:
        # nginx passes the site's name to every app server (deploy/nginx.conf).
        on_first, on_second = Browser(first.base_url, host=HOST), Browser(second.base_url, host=HOST)
        page = on_first.get(EVENT_DE)
        assert page.status == 200 and page.headers["X-Page-Cache"] == "miss"
        served = on_second.get(EVENT_DE)
        assert served.headers["X-Page-Cache"] == "hit"  # rendered by the first server
        assert served.body == page.body
        for path in (EVENT_FR, "/de/veranstaltungen/vergangene/", "/fr/evenements/passes/"):
            on_second.get(path)
            assert on_second.get(path).headers["X-Page-Cache"] == "hit"

        # Staff edit the event in both languages through the first server's admin, over HTTP.
        staff = Browser(first.base_url, host=HOST)
        staff.log_in(*postgres_demo.staff)
        listing = staff.get("/admin/events/event/?q=Zuwanderung")
        change = re.search(r"/admin/events/event/\d+/change/", listing.text).group()
        new_titles = {"title_de": "Zuwanderung – neuer Titel", "title_fr": "Immigrations – nouveau titre"}
        fields = [
            (name, new_titles.get(name, value)) for name, value in form_fields(staff.get(change).text, "event_form")
        ]
        assert staff.post(change, fields).status == 302

        # The second server, at its very next request, in both languages, pages and lists alike.
        # The event's pages were rendered by the save on the first server before it committed
        # (pagecache/prerender.py): from the cache, with the change.
        german = on_second.get(EVENT_DE)
        assert german.headers["X-Page-Cache"] == "hit" and "Zuwanderung – neuer Titel" in german.text
        french = on_second.get(EVENT_FR)
        assert french.headers["X-Page-Cache"] == "hit" and "Immigrations – nouveau titre" in french.text
        # The past lists are not among the pages a save renders: the second server renders them.
        past = on_second.get("/de/veranstaltungen/vergangene/")
        assert past.headers["X-Page-Cache"] == "miss" and "Zuwanderung – neuer Titel" in past.text
        assert "Immigrations – nouveau titre" in on_second.get("/fr/evenements/passes/").text
        # …and the first server serves what the second just rendered.
        assert on_first.get("/de/veranstaltungen/vergangene/").headers["X-Page-Cache"] == "hit"
    finally:
        first.stop()
        second.stop()
