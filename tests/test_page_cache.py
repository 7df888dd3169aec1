"""The page cache (pagecache/cache.py): public pages from the cache for visitors, and
never a stale one — after any edit, at the next state change in time, for staff, with cookies,
with Redis gone."""

import datetime
import os

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.middleware.csrf import CsrfViewMiddleware
from django.template import engines
from django.test import Client, RequestFactory

from events.models import Event
from pagecache import cache as page_cache
from pagecache.middleware import PageCacheMiddleware, PageCacheStoreMiddleware

from .factories import (
    CategoryFactory,
    CityFactory,
    EventFactory,
    PersonFactory,
    ProgrammeSlotFactory,
    ProjectGroupFactory,
    SlotSpeakerFactory,
    VenueFactory,
    WorkshopFactory,
    local,
)
from .helpers import html_of
from .web_client import form_fields

pytestmark = pytest.mark.django_db


def state(response):
    return response["X-Page-Cache"]


@pytest.fixture
def visitor():
    return Client()


@pytest.fixture
def event():
    event = EventFactory(
        title_de="Bürgerbegegnung",
        title_fr="Rencontre citoyenne",
        venue=VenueFactory(name_de="Rathaus", name_fr="Hôtel de Ville"),
        category=CategoryFactory(code="buerger", name_de="Bürger", name_fr="Citoyens"),
        project_group=ProjectGroupFactory(name_de="Arbeitsgruppe Soziales", name_fr="Groupe social"),
    )
    event.cities.add(CityFactory(code="metz", name_de="Metz", name_fr="Metz"))
    slot = ProgrammeSlotFactory(event=event, title_de="Eröffnung", title_fr="Ouverture")
    SlotSpeakerFactory(slot=slot, person=PersonFactory(name="Anne Muster", affiliation_de="Stadt Trier"))
    WorkshopFactory(slot=ProgrammeSlotFactory(event=event), title_de="Wohnen", title_fr="Logement")
    return event


class TestServedFromTheCache:
    def test_second_visit_is_a_hit_without_a_query(self, visitor, event, django_assert_num_queries):
        url = event.get_absolute_url("de")
        first = visitor.get(url)
        assert first.status_code == 200 and state(first) == "miss"
        with django_assert_num_queries(0):
            second = Client().get(url)
        assert state(second) == "hit"
        assert second.content == first.content
        assert second["Content-Type"] == "text/html; charset=utf-8"
        assert "Content-Security-Policy" in second and second["X-Frame-Options"] == "DENY"
        assert second["Content-Language"] == first["Content-Language"] == "de"

    @pytest.mark.parametrize(
        "name",
        ["home", "events:list", "events:past", "events:calendar", "events:feed", "sitemap", "robots_txt"],
    )
    def test_every_public_page_type(self, visitor, event, name):
        from django.urls import reverse
        from django.utils import translation

        with translation.override("fr"):
            url = reverse(name)
        assert state(visitor.get(url)) == "miss"
        assert state(visitor.get(url)) == "hit"

    @pytest.mark.parametrize("url", ["/sitemap.xml", "/robots.txt", "/api/v1/events"])
    def test_answers_for_both_languages_say_so_cached_or_not(self, event, url):
        """Outside the languages' paths, a French browser's first visit and a German browser's
        visit from the cache are told the same: the answer is for readers of both languages (it
        once said the first visitor's language, then none from the cache)."""
        first = Client(HTTP_ACCEPT_LANGUAGE="fr").get(url)
        second = Client(HTTP_ACCEPT_LANGUAGE="de").get(url)
        assert (state(first), state(second)) == ("miss", "hit")
        assert first["Content-Language"] == second["Content-Language"] == "de, fr"

    def test_event_subpages(self, visitor, event):
        for url in (event.get_programme_url("fr"), event.get_calendar_url("de")):
            assert state(visitor.get(url)) == "miss"
            hit = visitor.get(url)
            assert state(hit) == "hit" and hit.status_code == 200
        assert visitor.get(event.get_calendar_url("de"))["Content-Disposition"].startswith("attachment;")

    def test_per_language_and_full_url(self, visitor, event):
        assert state(visitor.get("/de/veranstaltungen/")) == "miss"
        assert state(visitor.get("/fr/evenements/")) == "miss"
        assert state(visitor.get("/de/veranstaltungen/?city=metz")) == "miss"
        assert "Metz" in html_of(visitor.get("/de/veranstaltungen/?city=metz"))
        assert state(visitor.get("/de/veranstaltungen/?city=metz")) == "hit"

    def test_made_up_parameters_are_redirected_away_never_stored(self, visitor, event):
        response = visitor.get("/de/veranstaltungen/?utm_source=newsletter&city=metz")
        assert response.status_code == 301 and response["Location"] == "/de/veranstaltungen/?city=metz"
        assert "X-Page-Cache" not in response  # answered before the cache is asked

    def test_head_is_answered_from_the_get(self, visitor, event):
        url = event.get_absolute_url("fr")
        full = visitor.get(url)
        head = visitor.head(url)
        assert state(head) == "hit" and head.content == b""
        assert head["Content-Length"] == str(len(full.content))

    def test_errors_are_not_stored(self, visitor):
        for _visit in range(2):
            missing = visitor.get("/de/veranstaltungen/gibt-es-nicht/")
            assert missing.status_code == 404 and state(missing) != "hit"


# --- One entry per page -------------------------------------------------------------------------------


class TestOneEntryPerPage:
    @pytest.mark.parametrize(
        ("spelling", "canonical"),
        [
            ("/de/veranstaltungen/?page=01", "/de/veranstaltungen/"),
            ("/de/veranstaltungen/?page=1", "/de/veranstaltungen/"),
            ("/de/veranstaltungen/?page=002", "/de/veranstaltungen/?page=2"),
            ("/de/veranstaltungen/?city=&page=2", "/de/veranstaltungen/?page=2"),
            ("/de/veranstaltungen/?page=2&city=metz", "/de/veranstaltungen/?city=metz&page=2"),
            ("/de/veranstaltungen/?city=trier&city=metz", "/de/veranstaltungen/?city=metz"),
            ("/fr/evenements/passes/?city=metz&category=&year=", "/fr/evenements/passes/?city=metz"),
            ("/de/veranstaltungen/kalender.ics?category=&city=metz&x=1", "/de/veranstaltungen/kalender.ics?city=metz"),
            ("/fr/evenements/feed/?x=1", "/fr/evenements/feed/"),
            ("/sitemap.xml?p=01", "/sitemap.xml"),
        ],
    )
    def test_another_spelling_is_redirected_to_the_canonical_address(self, visitor, spelling, canonical):
        response = visitor.get(spelling)
        assert response.status_code == 301 and response["Location"] == canonical

    def test_an_event_page_takes_no_parameters(self, visitor, event):
        response = visitor.head(event.get_absolute_url("de") + "?fbclid=abc&city=metz")
        assert response.status_code == 301 and response["Location"] == event.get_absolute_url("de")

    def test_the_canonical_address_is_answered_and_stored(self, visitor, event):
        assert state(visitor.get("/de/veranstaltungen/?city=metz")) == "miss"
        assert state(visitor.get("/de/veranstaltungen/?city=metz")) == "hit"

    def test_a_page_number_in_words_is_served_never_stored(self, visitor, event):
        for _visit in range(2):
            response = visitor.get("/de/veranstaltungen/?page=last")
            assert response.status_code == 200 and state(response) == "bypass"

    @pytest.mark.parametrize("host", ["LOCALHOST", "localhost.", "localhost:8123"])
    def test_another_spelling_of_the_host_is_served_never_stored(self, visitor, event, host):
        for _visit in range(2):
            response = visitor.get("/de/veranstaltungen/", HTTP_HOST=host)
            assert response.status_code == 200 and state(response) == "bypass"
        assert state(visitor.get("/de/veranstaltungen/", HTTP_HOST="localhost")) == "miss"


def spellings_of_the_first_page(count):
    """``count`` different query strings that all mean the first page of a list."""
    kinds = [
        lambda n: "page=" + "0" * n + "1",
        lambda n: "city=&page=" + "0" * n + "1",
        lambda n: f"year=&category=&city=&utm_campaign={n}",
        lambda n: "page=2&page=" + "0" * n + "1",
    ]
    return [kinds[n % len(kinds)](n // len(kinds)) for n in range(count)]


@pytest.fixture
def file_caches(settings, tmp_path):
    """The caches as production has them without Redis (folders of files, a file an entry), in a
    folder of the test's, with a page cache that fills up sooner (300 entries, not 20,000)."""
    from quattropole_site.settings import cache_settings

    folder = tmp_path / "cache"
    caches = cache_settings(redis_url="", debug=False, folder=folder, prefix="test")
    caches["default"]["OPTIONS"]["MAX_ENTRIES"] = 300
    settings.CACHES = caches
    return folder


@time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC), tick=False)  # one rate window
def test_a_flood_of_spellings_neither_grows_the_cache_nor_flushes_the_rate_limit(file_caches, settings):
    """2,000 spellings of the first page of the list: one entry for it, however they are spelt,
    and a client the registration form answered 429 before the flood is answered 429 after it."""
    from .registration.factories import event_with_form

    settings.REGISTRATION_RATE_PER_IP = "3/10m"
    event = event_with_form()
    register_url = event.page_url("registration:register", "de")

    def register():
        return Client().post(register_url, {"first_name": "Bot"}, REMOTE_ADDR="198.51.100.23").status_code

    assert [register() for _attempt in range(4)] == [200, 200, 200, 429]
    assert state(Client().get("/de/veranstaltungen/")) == "miss"
    entries = sorted(file_caches.glob("*.djcache"))

    spellings = spellings_of_the_first_page(2_000)
    assert len(set(spellings)) == 2_000
    for spelling in spellings:
        response = Client().get(f"/de/veranstaltungen/?{spelling}")
        assert response.status_code == 301 and response["Location"] == "/de/veranstaltungen/"

    assert sorted(file_caches.glob("*.djcache")) == entries
    assert state(Client().get("/de/veranstaltungen/")) == "hit"
    assert register() == 429


@time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC), tick=False)  # one rate window
def test_with_redis_the_rate_limits_live_in_a_database_of_their_own(redis_server, settings):
    """Emptying the page cache (Django's clear() empties its Redis database) leaves the counts."""
    import redis

    from quattropole_site.settings import cache_settings

    from .registration.factories import event_with_form

    settings.CACHES = cache_settings(redis_url=redis_server.url, debug=False, folder="", prefix="test")
    assert settings.CACHES["protection"]["LOCATION"] == redis_server.url.removesuffix("/0") + "/1"
    settings.REGISTRATION_RATE_PER_IP = "1/10m"
    event = event_with_form()
    register_url = event.page_url("registration:register", "de")
    first = Client().post(register_url, {"first_name": "Bot"}, REMOTE_ADDR="198.51.100.24")
    assert first.status_code == 200
    assert state(Client().get("/de/veranstaltungen/")) == "miss"
    server = redis.Redis(port=redis_server.port)
    assert server.info("keyspace").keys() == {"db0", "db1"}

    page_cache.page_cache().clear()

    assert server.info("keyspace").keys() == {"db1"}
    second = Client().post(register_url, {"first_name": "Bot"}, REMOTE_ADDR="198.51.100.24")
    assert second.status_code == 429


# --- Edits ------------------------------------------------------------------------------------------


def rename_event(event):
    event.title_de = "Neuer Titel"
    event.save()


def rename_slot(event):
    slot = event.slots.get(title_de="Eröffnung")
    slot.title_de = "Neuer Titel"
    slot.save()


def rename_workshop(event):
    workshop = WorkshopFactory._meta.model.objects.get(slot__event=event)
    workshop.title_de = "Neuer Titel"
    workshop.save()


def add_speaker(event):
    SlotSpeakerFactory(slot=event.slots.get(title_de="Eröffnung"), person=PersonFactory(name="Neuer Titel"))


def remove_speaker(event):
    link = SlotSpeakerFactory._meta.model.objects.get(slot__event=event)
    link.delete()
    return "Anne Muster"


def rename_person(event):
    person = PersonFactory._meta.model.objects.get(name="Anne Muster")
    person.name = "Neuer Titel"
    person.save()


def rename_venue(event):
    event.venue.name_de = "Neuer Titel"
    event.venue.save()


def rename_city(event):
    city = event.cities.get()
    city.name_de = "Neuer Titel"
    city.save()


def rename_category(event):
    event.category.name_de = "Neuer Titel"
    event.category.save()


def rename_project_group(event):
    event.project_group.name_de = "Neuer Titel"
    event.project_group.save()


def add_city(event):
    event.cities.add(CityFactory(code="trier", name_de="Neuer Titel", name_fr="Trèves"))


def delete_slot(event):
    event.slots.get(title_de="Eröffnung").delete()
    return "Eröffnung"


@pytest.mark.parametrize(
    "edit",
    [
        rename_event,
        rename_slot,
        rename_workshop,
        add_speaker,
        remove_speaker,
        rename_person,
        rename_venue,
        rename_city,
        rename_category,
        rename_project_group,
        add_city,
        delete_slot,
    ],
)
def test_every_kind_of_edit_makes_the_page_fresh_at_the_next_request(visitor, event, edit):
    url = event.get_absolute_url("de")
    visitor.get(url)
    assert state(visitor.get(url)) == "hit"
    gone = edit(Event.objects.get(pk=event.pk))
    after = visitor.get(url)
    assert state(after) == "miss"
    if gone:
        assert gone not in html_of(after)
    else:
        assert "Neuer Titel" in html_of(after)


def test_an_edit_refreshes_the_lists_too(visitor, event):
    visitor.get("/fr/evenements/")
    event.title_fr = "Nouveau titre"
    event.save()
    assert "Nouveau titre" in html_of(visitor.get("/fr/evenements/"))


def test_an_event_version_refreshes_only_that_events_pages(visitor, event):
    other = EventFactory()
    for url in (event.get_absolute_url("de"), other.get_absolute_url("de"), "/de/veranstaltungen/"):
        visitor.get(url)
    page_cache.event_changed(event.pk)
    assert state(visitor.get(event.get_absolute_url("de"))) == "miss"
    assert state(visitor.get(other.get_absolute_url("de"))) == "hit"
    assert state(visitor.get("/de/veranstaltungen/")) == "hit"


def test_the_programme_is_rendered_again_after_an_edit_not_after_a_registration(visitor, event):
    """The event page's programme is kept per content version and language: a change of the
    event's registrations renders the page again, not its programme; an edit renders both."""
    from django.test.signals import template_rendered

    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        url = event.get_absolute_url("de")
        assert state(visitor.get(url)) == "miss"
        assert rendered.count("includes/programme.html") == 1
        page_cache.event_changed(event.pk)
        again = visitor.get(url)
        assert state(again) == "miss" and "Eröffnung" in html_of(again)
        assert rendered.count("includes/programme.html") == 1
        visitor.get(event.get_absolute_url("fr"))
        assert rendered.count("includes/programme.html") == 2  # the other language's own
        slot = event.slots.get(title_de="Eröffnung")
        slot.title_de = "Begrüßung"
        slot.save()
        edited = visitor.get(url)
        assert "Begrüßung" in html_of(edited) and "Eröffnung" not in html_of(edited)
        assert rendered.count("includes/programme.html") == 3
    finally:
        template_rendered.disconnect(count)


# --- Time -------------------------------------------------------------------------------------------


class TestStateChangesInTime:
    def test_the_expired_notice_appears_when_the_event_ends_without_an_edit(self, visitor):
        event = EventFactory(start=local(2027, 3, 10, 9), end=local(2027, 3, 10, 17))
        url = event.get_absolute_url("de")
        with time_machine.travel(local(2027, 3, 10, 16, 59), tick=False):
            visitor.get(url)
            during = visitor.get(url)
            assert state(during) == "hit" and "bereits abgelaufen" not in html_of(during)
        with time_machine.travel(local(2027, 3, 10, 17, 0) + datetime.timedelta(seconds=1), tick=False):
            after = visitor.get(url)
        assert state(after) == "miss"
        assert "Die Veranstaltung ist bereits abgelaufen" in html_of(after)

    def test_registration_closes_after_its_deadline_day(self, visitor):
        event = EventFactory(
            start=local(2027, 3, 10, 9),
            end=local(2027, 3, 10, 17),
            registration_url_de="https://example.org/anmeldung",
            registration_deadline=datetime.date(2027, 3, 3),
        )
        url = event.get_absolute_url("de")
        with time_machine.travel(local(2027, 3, 3, 23, 59), tick=False):
            visitor.get(url)
            assert "Zur Anmeldung" in html_of(visitor.get(url))
        with time_machine.travel(local(2027, 3, 4) + datetime.timedelta(seconds=1), tick=False):
            closed = visitor.get(url)
        assert state(closed) == "miss" and "Zur Anmeldung" not in html_of(closed)

    def test_a_list_changes_when_an_event_in_it_ends(self, visitor):
        EventFactory(title_de="Bald vorbei", start=local(2027, 3, 10, 9), end=local(2027, 3, 10, 17))
        EventFactory(title_de="Später", start=local(2027, 6, 1, 9), end=local(2027, 6, 1, 17))
        with time_machine.travel(local(2027, 3, 10, 12), tick=False):
            visitor.get("/de/veranstaltungen/")
            assert "Bald vorbei" in html_of(visitor.get("/de/veranstaltungen/"))
        with time_machine.travel(local(2027, 3, 10, 17) + datetime.timedelta(seconds=1), tick=False):
            upcoming = html_of(visitor.get("/de/veranstaltungen/"))
            past = html_of(visitor.get("/de/veranstaltungen/vergangene/"))
        assert "Bald vorbei" not in upcoming and "Später" in upcoming
        assert "Bald vorbei" in past

    def test_a_scheduled_event_appears_in_the_cached_pages_at_its_moment(self, visitor):
        EventFactory(title_de="Schon online", start=local(2027, 6, 1, 9), end=local(2027, 6, 1, 17))
        EventFactory(
            title_de="Sommerfest",
            start=local(2027, 7, 3, 18),
            end=local(2027, 7, 3, 23),
            publish_at=local(2027, 3, 1, 9),  # announced on 1 March at 9:00, by itself
        )
        with time_machine.travel(local(2027, 3, 1, 8, 59), tick=False):
            visitor.get("/de/veranstaltungen/")
            before = visitor.get("/de/veranstaltungen/")
            assert state(before) == "hit" and "Sommerfest" not in html_of(before)
            assert page_cache.next_state_change(local(2027, 3, 1, 8, 59)) == local(2027, 3, 1, 9)
        with time_machine.travel(local(2027, 3, 1, 9), tick=False):
            after = visitor.get("/de/veranstaltungen/")
        assert state(after) == "miss" and "Sommerfest" in html_of(after)

    def test_the_next_state_change(self):
        EventFactory(start=local(2027, 3, 10, 9), end=local(2027, 3, 10, 17), registration_deadline=None)
        EventFactory(
            start=local(2027, 5, 1, 9), end=local(2027, 5, 1, 17), registration_deadline=datetime.date(2027, 4, 20)
        )
        EventFactory(start=local(2027, 1, 1, 9), end=local(2027, 1, 1, 17), status=Event.Status.DRAFT)
        assert page_cache.next_state_change(local(2026, 12, 1)) == local(2027, 3, 10, 9)
        assert page_cache.next_state_change(local(2027, 3, 10, 12)) == local(2027, 3, 10, 17)
        assert page_cache.next_state_change(local(2027, 4, 2)) == local(2027, 4, 21)
        assert page_cache.next_state_change(local(2027, 5, 1, 17, 1)) is None


# --- Who gets cached pages ----------------------------------------------------------------------------


class TestNeverForSomeoneElse:
    def test_staff_bypass_the_cache_and_their_pages_are_not_stored(self, event, admin_client):
        url = event.get_absolute_url("de")
        assert state(admin_client.get(url)) == "bypass"
        assert state(Client().get(url)) == "miss"
        assert state(admin_client.get(url)) == "bypass"

    def test_a_preview_is_never_cached(self, admin_client):
        draft = EventFactory(status=Event.Status.DRAFT, title_de="Entwurf")
        url = draft.get_absolute_url("de")
        preview = admin_client.get(url)
        assert preview.status_code == 200 and state(preview) == "bypass"
        assert Client().get(url).status_code == 404

    def test_a_response_that_sets_a_cookie_is_not_stored(self, event, monkeypatch):
        from events.views import EventDetailView

        original = EventDetailView.respond

        def with_cookie(self, obj):
            response = original(self, obj)
            response.set_cookie("seen", "1")
            return response

        monkeypatch.setattr(EventDetailView, "respond", with_cookie)
        url = event.get_absolute_url("de")
        assert state(Client().get(url)) == "miss"
        assert state(Client().get(url)) == "miss"

    def test_each_visitor_gets_their_own_language_cookie(self, event):
        first = Client().get("/fr/")
        second = Client().get("/fr/")
        assert state(second) == "hit"
        assert first.cookies["django_language"].value == second.cookies["django_language"].value == "fr"
        returning = Client()
        returning.cookies["django_language"] = "fr"
        assert "django_language" not in returning.get("/fr/").cookies

    def test_a_cached_form_carries_each_visitors_own_csrf_token(self, rf):
        """A page with a form, from the cache: each visitor's token matches their own cookie."""
        template = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')

        def view(request):
            from django.http import HttpResponse

            return HttpResponse(template.render({}, request))

        chain = PageCacheMiddleware(CsrfViewMiddleware(PageCacheStoreMiddleware(view)))
        answers = [chain(RequestFactory().get("/de/")) for _visitor in range(2)]
        assert [state(answer) for answer in answers] == ["miss", "hit"]
        tokens = [answer.content.decode().split('value="')[1].split('"')[0] for answer in answers]
        cookies = [answer.cookies["csrftoken"].value for answer in answers]
        assert tokens[0] != tokens[1] and cookies[0] != cookies[1]
        for token, cookie in zip(tokens, cookies, strict=True):
            post = RequestFactory().post("/de/", {"csrfmiddlewaretoken": token})
            post.COOKIES["csrftoken"] = cookie
            assert CsrfViewMiddleware(view).process_view(post, view, (), {}) is None  # accepted

    def test_a_page_that_used_the_token_without_the_placeholder_is_never_stored(self):
        """A view that puts the visitor's token in its page itself (not through ``csrf_token``):
        each visitor gets a page rendered for them, with their own token, never another's."""
        from django.http import HttpResponse
        from django.middleware.csrf import get_token

        def view(request):
            return HttpResponse(f'<meta name="csrf-token" content="{get_token(request)}">')

        chain = PageCacheMiddleware(CsrfViewMiddleware(PageCacheStoreMiddleware(view)))
        answers = [chain(RequestFactory().get("/de/")) for _visitor in range(2)]
        assert [state(answer) for answer in answers] == ["miss", "miss"]
        tokens = [answer.content.decode().split('content="')[1].split('"')[0] for answer in answers]
        cookies = [answer.cookies["csrftoken"].value for answer in answers]
        assert tokens[0] != tokens[1] and cookies[0] != cookies[1]
        # The first visitor's token does not pass with the second visitor's cookie.
        post = RequestFactory().post("/de/", {"csrfmiddlewaretoken": tokens[0]})
        post.COOKIES["csrftoken"] = cookies[1]
        assert CsrfViewMiddleware(view).process_view(post, view, (), {}).status_code == 403

    def test_a_page_that_sets_a_cookie_of_its_own_on_the_way_out_is_never_stored(self):
        """A cookie set outside the view (here by the session middleware) is the visitor's own."""
        from django.contrib.sessions.middleware import SessionMiddleware
        from django.http import HttpResponse

        def view(request):
            request.session["seen"] = True
            return HttpResponse("<p>Hallo</p>")

        chain = PageCacheMiddleware(SessionMiddleware(PageCacheStoreMiddleware(view)))
        answers = [chain(RequestFactory().get("/de/")) for _visitor in range(2)]
        assert [state(answer) for answer in answers] == ["miss", "miss"]
        assert answers[0].cookies["sessionid"].value != answers[1].cookies["sessionid"].value


# --- HTTP validators --------------------------------------------------------------------------------


class TestValidators:
    def test_304_for_a_matching_etag(self, visitor, event):
        url = event.get_absolute_url("de")
        first = visitor.get(url)
        assert first["Cache-Control"] == "no-cache" and first["ETag"] and first["Last-Modified"]
        again = visitor.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
        assert visitor.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200

    def test_304_for_if_modified_since(self, visitor, event):
        url = event.get_absolute_url("de")
        first = visitor.get(url)
        assert visitor.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    def test_an_edit_changes_the_etag(self, visitor, event):
        url = event.get_absolute_url("de")
        etag = visitor.get(url)["ETag"]
        event.title_de = "Geändert"
        event.save()
        changed = visitor.get(url, HTTP_IF_NONE_MATCH=etag)
        assert changed.status_code == 200 and changed["ETag"] != etag


# --- The cache goes away --------------------------------------------------------------------------


@pytest.fixture
def redis_cache(redis_server, settings):
    """The Redis page cache as production configures it (settings.cache_settings)."""
    from quattropole_site.settings import cache_settings

    configured = cache_settings(redis_url=redis_server.url, debug=False, folder="", prefix="test")
    settings.CACHES = {**settings.CACHES, "default": configured["default"]}
    page_cache.CacheUnavailable.until = 0.0
    yield redis_server
    page_cache.CacheUnavailable.until = 0.0
    page_cache.CacheUnavailable.pending.clear()


def test_redis_down_means_uncached_never_an_error(visitor, event, redis_cache):
    url = event.get_absolute_url("de")
    assert state(visitor.get(url)) == "miss"
    assert state(visitor.get(url)) == "hit"

    redis_cache.stop()
    down = visitor.get(url)
    assert down.status_code == 200 and state(down) == "uncached"
    assert "Bürgerbegegnung" in html_of(down)
    event.title_de = "Während Redis weg war"
    event.save()  # the version cannot be bumped now: it is, once Redis answers again
    assert "Während Redis weg war" in html_of(visitor.get(url))

    redis_cache.start()  # an empty Redis on the same port, as after a restart
    states = []
    for _attempt in range(3):  # the first attempt may meet a connection the restart closed
        page_cache.CacheUnavailable.until = 0.0  # the few seconds of back-off have passed
        back = visitor.get(url)
        assert back.status_code == 200 and "Während Redis weg war" in html_of(back)
        states.append(state(back))
        if states[-1] == "hit":
            break
    assert states[-2:] == ["miss", "hit"]


def test_an_edit_made_while_redis_was_unreachable_is_not_lost(visitor, event, redis_cache, monkeypatch):
    """Redis unreachable (not restarted: its pages are still there) while staff edit: the
    version is bumped when it answers again, so the old page is not served."""
    url = event.get_absolute_url("de")
    visitor.get(url)
    cache_before = page_cache.page_cache()

    class Unreachable:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("unreachable")

            return fail

    monkeypatch.setattr(page_cache, "page_cache", lambda: Unreachable())
    event.title_de = "Neu während der Störung"
    event.save()
    monkeypatch.setattr(page_cache, "page_cache", lambda: cache_before)
    page_cache.CacheUnavailable.until = 0.0
    assert "Neu während der Störung" in html_of(visitor.get(url))


def test_healthz_names_the_cache_when_redis_is_down(client, redis_cache):
    assert client.get("/healthz").status_code == 200
    redis_cache.stop()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json() == {"database": "ok", "cache": "down"}


def test_staff_save_while_redis_is_down(event, redis_cache):
    staff = Client()
    staff.force_login(get_user_model().objects.create_superuser("chef", password="x"))
    change_url = f"/admin/events/event/{event.pk}/change/"
    fields = form_fields(html_of(staff.get(change_url)), "event_form")
    redis_cache.stop()
    fields = [(name, "Gespeichert ohne Redis" if name == "title_de" else value) for name, value in fields]
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    response = staff.post(change_url, data)
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).title_de == "Gespeichert ohne Redis"


# --- The release id ---------------------------------------------------------------------------------


@pytest.fixture
def fresh_release_id():
    page_cache.release_id.cache_clear()
    yield page_cache.release_id
    page_cache.release_id.cache_clear()


def test_the_release_named_by_the_environment_is_the_release(fresh_release_id, monkeypatch):
    monkeypatch.setenv("QUATTROPOLE_RELEASE", "2026.12.1")
    first = fresh_release_id()
    fresh_release_id.cache_clear()
    assert fresh_release_id() == first  # two servers with the same release agree
    fresh_release_id.cache_clear()
    monkeypatch.setenv("QUATTROPOLE_RELEASE", "2026.12.2")
    assert fresh_release_id() != first


def test_a_library_upgrade_is_a_new_release(fresh_release_id, monkeypatch):
    monkeypatch.setenv("QUATTROPOLE_RELEASE", "2026.12.1")
    monkeypatch.setattr(page_cache, "installed_distributions", lambda: {("Django", "5.2.19"), ("redis", "8.1.0")})
    before = fresh_release_id()
    fresh_release_id.cache_clear()
    monkeypatch.setattr(page_cache, "installed_distributions", lambda: {("Django", "5.2.20"), ("redis", "8.1.0")})
    assert fresh_release_id() != before


def test_without_environment_or_git_the_code_is_hashed_by_content_not_time(tmp_path, monkeypatch):
    def no_git(*args):
        raise FileNotFoundError("git")

    monkeypatch.delenv("QUATTROPOLE_RELEASE", raising=False)
    monkeypatch.setattr(page_cache, "git", no_git)
    (tmp_path / "app").mkdir()
    view = tmp_path / "app" / "views.py"
    view.write_text("PAGE = 1\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "lib.py").write_text("x = 1\n")
    with monkeypatch.context() as patched:
        patched.setattr(page_cache.settings, "BASE_DIR", tmp_path)
        first = page_cache.code_identity()
        os.utime(view, (1_000_000_000, 1_000_000_000))  # the same code, copied at another time
        (tmp_path / ".venv" / "lib.py").write_text("x = 2\n")  # not the project's code
        assert page_cache.code_identity() == first
        view.write_text("PAGE = 2\n")
        assert page_cache.code_identity() != first
    assert first.startswith("content:")
