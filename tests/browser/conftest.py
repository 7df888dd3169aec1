"""Browser tests: Debian's Chromium, driven by Playwright, against Django's live server.

One browser for the whole session, one fresh context (cookies, language, window size) and page
per test. Static files come from the live server's StaticFilesHandler (pytest-django installs it
because django.contrib.staticfiles is installed); uploaded files (posters) are served from
MEDIA_ROOT by a Playwright route, since Django serves /media/ only with DEBUG on.

Never ``playwright install``: the tests use Debian's headless shell of Chromium,
/usr/bin/chromium-headless-shell (``make test`` installs it; ``CHROMIUM=/usr/bin/chromium`` runs
them in the full browser). The headless shell is the browser Playwright itself runs headless tests
in: the same Blink and V8 as the chromium package of the same version, without the full browser's
user interface, and a quarter (quiet machine) to a half (loaded) less CPU time than the full
browser's headless mode for the same tests (docs/testing.md, "What it costs").
"""

import datetime
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from tests.demo import load_demo
from tests.factories import CityFactory, EventFactory

from .checks import ARTIFACTS

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# themselves (factories, load_demo) are synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOCALES = {"de": "de-DE", "fr": "fr-FR"}
# Generous waits for a busy machine; a passing test never waits them out.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


# The console says that the Content-Security-Policy refused something, not what: say it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    const element = event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 160) : "";
    console.error(`CSP ${event.effectiveDirective} refused ${event.blockedURI || "inline"} at `
        + `${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${element}`);
}, true);
"""


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium-headless-shell); "
            "CHROMIUM=/usr/bin/chromium runs the tests in the full browser."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _shared_media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_shared_by_the_session(_plain_static_storage, settings, _shared_media_root):
    """Demo posters are drawn once per session, not once per test (load_demo keeps existing files)."""
    settings.MEDIA_ROOT = _shared_media_root


def serve_media(route):
    path = unquote(urlsplit(route.request.url).path).removeprefix(settings.MEDIA_URL)
    root = Path(settings.MEDIA_ROOT).resolve()
    file = (root / path).resolve()
    if file.is_relative_to(root) and file.is_file():
        route.fulfill(path=file)
    else:
        route.fulfill(status=404, body="Not found")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture
def open_page(request, browser, live_server):
    """``open_page(language="de", width=1280)``: a new page in a fresh context whose browser asks
    for ``language`` (Accept-Language) and whose window is ``width`` pixels wide; other keyword
    arguments are Playwright's context options.

    The site's Content-Security-Policy applies, as for visitors, unless ``bypass_csp``: axe-core
    adds inline styles of its own while it audits, which the policy would refuse."""
    contexts = []

    def open_page(language="de", width=1280, height=900, bypass_csp=False, **options) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=bypass_csp,
            locale=LOCALES[language],
            viewport={"width": width, "height": height},
            timezone_id=settings.TIME_ZONE,
            **options,  # e.g. forced_colors="active", device_scale_factor=2
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.route(f"{live_server.url}{settings.MEDIA_URL}**", serve_media)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        page = context.new_page()
        # What the browser console reports: scripts failing, the Content-Security-Policy refusing.
        page.errors = []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_page
    for number, context in enumerate(contexts):
        if getattr(request.node, "browser_test_failed", False):
            # What the browser showed when the test failed, for whoever reads the CI log.
            for index, page in enumerate(context.pages):
                name = f"{request.node.name}-{number}-{index}.png".replace("/", "_")
                path = ARTIFACTS / "failures" / name
                page.screenshot(path=path, full_page=True)
                print(f"Screenshot of the failed page ({page.url}): {path}")
        context.close()


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def conference(transactional_db):
    """The demo content: the 2017 conference (returned) and the sample events (loaded once per
    test process, then copied back: tests/demo.py)."""
    from events.models import Event

    load_demo()
    return Event.objects.get(slug_de="zuwanderung-als-chance-fuer-unsere-vier-staedte")


@pytest.fixture
def thirteen_upcoming_events(transactional_db):
    metz = CityFactory(code="metz", name_de="Metz", name_fr="Metz")
    trier = CityFactory(code="trier", name_de="Trier", name_fr="Trèves")
    soon = timezone.now() + datetime.timedelta(days=3)
    events = []
    for n in range(13):
        event = EventFactory(
            title_de=f"Treffen Nummer {n + 1:02d}",
            title_fr=f"Rencontre numéro {n + 1:02d}",
            start=soon + datetime.timedelta(days=n),
        )
        event.cities.set([trier if n % 4 == 0 else metz])  # 1, 5, 9, 13 in Trier
        events.append(event)
    return events
