"""``make audit``: the site served the production way, crawled, and every page type audited with
Lighthouse (mobile or desktop by language), pa11y (HTML_CodeSniffer, WCAG 2 AA), axe-core, and checks of
its own at phone and desktop widths: horizontal overflow, layout (text cut off, covered or
squeezed, overlapping controls) and French typography. What is audited and what passes is in
``audit.config.json``; docs/quality-gate.md explains how to read the result.

1. A scratch folder (deleted afterwards) holds the database and the uploaded files, never the
   developer's ``db.sqlite3``: migrations, the demo content (``load_demo``), enough extra
   upcoming events for the list to have a second page, a staff account of the Sekretariat group
   for the admin pages, and a registration for the demo event whose signed links lead to the
   registrant's own pages (signed with the secret key the site is served with).
2. ``SERVE_COMMAND`` (``make serve``: collectstatic with the compressed manifest storage,
   gunicorn, DEBUG off) serves the site on a free port, with the scratch folder's database,
   uploads and static files. In front of it, on another free port, a small pass-through server
   answers images late (``serve.imageDelayMs``: a layout that reserves no space for an image
   then shifts, and Lighthouse sees it) and has one door of its own:
   ``/__audit__/status-200/<path>`` answers with <path>'s page, headers and markup unchanged,
   but with status 200. Lighthouse refuses to audit a response with an error status; this is
   how it audits the 404 page as visitors get it.
3. From the home pages of both languages the crawler follows every link of the site (and each
   choice of the GET forms, i.e. the list filters), skipping what robots.txt disallows. Each
   page's type is the Django URL name it resolves to (``events:detail``), with ``?filtered``
   or ``?page`` when its query string filters or pages; the richest pages (most bytes) of each
   type and language are kept, up to ``crawl.perType``; a page that asks search engines not
   to index it (robots meta tag, X-Robots-Tag) is audited without Lighthouse's SEO category.
   A link that answers an error is a failure, and so is a required page type that the crawl
   no longer finds.
4. The ``scenarios`` of the config are added: pages the crawl cannot reach (the 404 page, the
   registrant's pages, the admin login, pages behind the staff login or a form submission).
5. ``scripts/audit.mjs`` runs the tools (Node 22 from node_modules, Debian's Chromium), prints
   one table and the failures, and exits non-zero on any failure. For the typography check it
   hands each page's French text back to this script (``--french-typography``), which applies
   the site's own rules (events/typography.py; tested on strings in tests/test_audit_script.py).

Usage: ``make audit`` (all), ``make audit PAGE=/de/veranstaltungen/`` (one page, both form
factors, every tool), ``make audit SCENARIO="admin login" TOOLS=axe,pa11y``; or directly
``.venv/bin/python scripts/audit.py --help``.
"""

import argparse
import contextlib
import datetime
import http.client
import http.server
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project's own modules (run as scripts/audit.py)

from events.typography import missing_space_signs  # noqa: E402

CONFIG = ROOT / "audit.config.json"
NODE = ROOT / "node_modules" / ".bin" / "node"
RUNNER = ROOT / "scripts" / "audit.mjs"
REPORTS = ROOT / "test-artifacts" / "audit"
TOOLS = ("overflow", "layout", "typography", "axe", "pa11y", "lighthouse")

# How the site is served: the production stack, DEBUG off (`make serve`, a local trial of it since
# the environment names no DJANGO_SECRET_KEY). The one line to change if that changes.
SERVE_COMMAND = "make --no-print-directory serve PORT={port}"

STATUS_200_DOOR = "/__audit__/status-200"

# The staff account the staff scenarios log in with: a member of the secretariat's group.
STAFF_USERNAME = "audit"
STAFF_GROUP = "Sekretariat"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(message):
    print(f"audit: {message}", flush=True)


# --- 1. The scratch site ------------------------------------------------------------------


def site_environment(scratch):
    """The environment the site is served with: the scratch database, uploads, static files and
    cache. Nothing of the caller's DJANGO_* settings: `make serve` sets DEBUG off itself, and without
    DJANGO_SECRET_KEY it serves a local trial of the production stack (plain HTTP)."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return {
        **environment,
        "DJANGO_SETTINGS_MODULE": "quattropole_site.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOCAL_KEY_FILE": str(scratch / "secret-key"),
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(scratch / "media"),
        "DJANGO_STATIC_ROOT": str(scratch / "static"),
        # Its own cache (pages, rate limits), not the one of the developer's `make serve`.
        "DJANGO_CACHE_DIR": str(scratch / "cache"),
        # A scenario sends its form once per check and Lighthouse run: no rate limit in the way.
        "DJANGO_REGISTRATION_RATE_PER_IP": "1000/m",
        "DJANGO_REGISTRATION_RATE_PER_EMAIL": "1000/m",
        "DJANGO_LOG_LEVEL": "ERROR",
    }


def prepare_content(staff_password):
    """Migrations, demo content, a second page of upcoming events, a staff account of the
    Sekretariat group (what the secretariat works with, not a superuser) and a registrant of the
    demo event. Returns the registration."""
    import django
    from django.core.management import call_command

    django.setup()
    from django.utils import timezone

    from events.models import Event
    from events.views import EventListView

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    upcoming = Event.objects.published().upcoming()
    model = upcoming.first()
    missing = EventListView.paginate_by + 1 - upcoming.count() if model else 0
    cities = list(model.cities.all()) if model else []
    for number in range(1, missing + 1):
        # Copies of a sample event, later than all others (the home page keeps the demo's).
        copy = Event.objects.get(pk=model.pk)
        copy.pk = copy.id = None
        copy.calendar_uid = Event._meta.get_field("calendar_uid").get_default()  # an identity of its own
        copy.title_de = f"{model.title_de} ({number + 1})"
        copy.title_fr = f"{model.title_fr} ({number + 1})"
        copy.slug_de = f"{model.slug_de}-{number + 1}"
        copy.slug_fr = f"{model.slug_fr}-{number + 1}"
        copy.start = timezone.now() + datetime.timedelta(days=400 + number)
        copy.end = copy.start + datetime.timedelta(hours=3)
        copy.save()
        copy.cities.set(cities)

    return registrant(staff_account(staff_password))


def staff_account(password):
    """The account the staff scenarios log in with: staff, a member of the Sekretariat group."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    staff = get_user_model().objects.create_user(STAFF_USERNAME, "audit@example.org", password, is_staff=True)
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    return staff


def registrant(staff):
    """A registration for the demo event with every answer its form asks, entered by staff (as the
    secretariat registers someone from the admin: confirmed at once, nothing to confirm by e-mail).
    The registrant's own pages are reached by its signed links (registration.links), as the
    e-mails give them; so the audit does not depend on what the registration form answers."""
    from events.models import City, Event
    from registration import demo
    from registration.services import booking

    event = Event.objects.get(slug_de=demo.EVENT_SLUG_DE)
    metz = City.objects.get(code="metz")
    workshops = [slot.workshops.first() for slot in event.slots.all() if slot.workshops.exists()][:1]
    answers = {
        "first_name": "Élodie",
        "last_name": "Marchand-Schneider",
        "email": "elodie.marchand-schneider@example.org",
        "organisation": "Ville de Metz, Pôle Solidarités",
        "city": metz,
        "workshops": workshops,
        "lunch": True,
        "dietary_needs": "Végétarien, sans arachides",
        "bus_city": metz,
    }
    return booking.register(event, answers, language="fr", by=staff)


def registrant_path(registration, page, language):
    """The address of one of the registrant's pages (``registration:change``…) in ``language``."""
    from registration import links

    return links.manage_url(registration, language=language, page=page)


# --- 2. Serving ---------------------------------------------------------------------------


@contextlib.contextmanager
def site_server(environment, log_path):
    port = free_port()
    command = SERVE_COMMAND.format(python=sys.executable, port=port)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, shell=True, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_up(port, process, log_path)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until_up(port, process, log_path, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"audit: the site did not start ({SERVE_COMMAND!r}):\n{Path(log_path).read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/robots.txt")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.5)
    sys.exit(f"audit: the site did not answer within {timeout} s:\n{Path(log_path).read_text()[-3000:]}")


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


def front_server(app_port, image_delay):
    """A ThreadingHTTPServer on a free port in front of the site (see the module docstring).
    Images are answered ``image_delay`` seconds late, as over a slow connection: an image
    whose space the layout does not reserve then moves the page when it arrives, and
    Lighthouse counts that as layout shift (on this machine it would arrive too soon to)."""

    class Front(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def handle(self):
            with contextlib.suppress(ConnectionResetError, BrokenPipeError):  # the browser moved on
                super().handle()

        def do_GET(self):
            if self.path.startswith(STATUS_200_DOOR + "/"):
                return self.forward(self.path.removeprefix(STATUS_200_DOOR), status=200)
            return self.forward(self.path)

        do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

        def forward(self, path, status=None):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            connection = http.client.HTTPConnection("127.0.0.1", app_port, timeout=60)
            connection.request(self.command, path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read()
            if (response.getheader("Content-Type") or "").startswith("image/"):
                time.sleep(image_delay)
            self.send_response(status or response.status, None if status else response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP | {"content-length"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the browser moved on
                    self.wfile.write(content)
            connection.close()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Front)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- 3. Crawling --------------------------------------------------------------------------


class PageLinks(HTMLParser):
    """The addresses a page leads to: links, and one address per choice of its GET forms."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.noindex = False  # the page asks search engines not to index it
        self._form = None  # the GET form being read: its action and its selects' first choices
        self._select = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("a", "area") and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "meta" and (attributes.get("name") or "").lower() == "robots":
            self.noindex |= "noindex" in (attributes.get("content") or "").lower()
        elif tag == "form":
            is_get = (attributes.get("method") or "get").lower() == "get"
            self._form = {"action": attributes.get("action") or "", "choices": {}} if is_get else None
        elif tag == "select" and self._form is not None and attributes.get("name"):
            self._select = attributes["name"]
        elif tag == "option" and self._select and attributes.get("value"):
            # A crawler's choice: the first real option of each select, one select at a time.
            self._form["choices"].setdefault(self._select, attributes["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            action, choices = self._form["action"], self._form["choices"]
            self.links += [f"{action}?{urlencode({name: value})}" for name, value in choices.items()]
            self._form = None


def page_type(path, query):
    """``events:list ?filtered``: the URL name the path resolves to, and what its query does."""
    from django.urls import Resolver404, resolve
    from django.utils import translation

    language = path.strip("/").split("/")[0]
    try:
        with translation.override(language):
            name = resolve(path).view_name
    except Resolver404:
        return None
    # The first page of a list is the list itself: "?page=1" does not make a paginated page.
    keys = {key for key, value in parse_qsl(query) if value and (key, value) != ("page", "1")}
    return name + (" ?page" if "page" in keys else " ?filtered" if keys else "")


def crawl(base_url, config, categories):
    """The pages to audit (richest first per type and language), and the crawl's failures."""
    host = urlsplit(base_url).netloc
    disallowed = robots_disallowed(base_url)
    queue = [(start, "(start)") for start in config["start"]]
    seen = {start for start, _ in queue}
    found, failures, fetches = {}, [], 0
    while queue and fetches < config["maxFetches"]:
        address, referrer = queue.pop(0)
        fetches += 1
        status, headers, body = get(base_url, address)
        content_type = headers.get("Content-Type") or ""
        if status >= 400:
            failures.append({"page": referrer, "tool": "crawl", "rule": f"dead-link ({status})", "element": address})
            continue
        if status != 200 or not content_type.startswith("text/html"):
            continue
        path, query = address.split("?", 1) if "?" in address else (address, "")
        kind = page_type(path, query)
        parser = PageLinks()
        parser.feed(body.decode("utf-8", "replace"))
        if kind:
            language = path.strip("/").split("/")[0]
            noindex = parser.noindex or "noindex" in (headers.get("X-Robots-Tag") or "").lower()
            found.setdefault((kind, language), []).append((len(body), address, noindex))
        for link in parser.links:
            target = urlsplit(urljoin(base_url + address, link))
            if target.scheme not in ("http", "https") or target.netloc != host:
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if local not in seen and not any(target.path.startswith(prefix) for prefix in disallowed):
                seen.add(local)
                queue.append((local, address))
    per_type = config["perType"]
    pages = []
    for (kind, language), candidates in sorted(found.items()):
        keep = per_type.get(kind, per_type["default"])
        for _size, address, noindex in sorted(candidates, key=lambda c: (-c[0], c[1]))[:keep]:
            page = {"name": kind, "language": language, "path": address}
            if noindex:  # kept out of search engines on purpose: Lighthouse's SEO does not apply
                page["categories"] = [c for c in categories if c != "seo"]
            pages.append(page)
    for kind in config["require"]:
        for language in ("de", "fr"):
            if (kind, language) not in found:
                failures.append({"page": f"{kind} [{language}]", "tool": "crawl", "rule": "page-type-not-found"})
    say(f"crawled {fetches} addresses, found {len(found)} page types, auditing {len(pages)} pages from the crawl")
    return pages, failures


def get(base_url, address):
    split = urlsplit(base_url)
    connection = http.client.HTTPConnection(split.hostname, split.port, timeout=60)
    connection.request("GET", address, headers={"Accept": "text/html,*/*"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.headers, body


def robots_disallowed(base_url):
    _status, _headers, body = get(base_url, "/robots.txt")
    lines = body.decode().splitlines()
    return [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("disallow:")]


# --- French typography (the rules audit.mjs applies to the French text of each page) ---------


def french_typography(text):
    """What French typography finds wrong in ``text``: a list of (rule, excerpt, problem), by the
    site's own rules (events/typography.py, which the tests apply to every French page too).

    - ``nbsp-before-punctuation``: a no-break space (U+00A0 or the narrow U+202F) before : ; ? !
      (not after another ? or !, as in "?!", nor at the start of a line, nor inside an address or
      a time such as 9:30);
    - ``nbsp-inside-guillemets``: a no-break space after « and before »."""
    findings = []
    for index, sign, typed in missing_space_signs(text):
        rule = "nbsp-inside-guillemets" if sign in "«»" else "nbsp-before-punctuation"
        where = "after" if sign == "«" else "before"
        space = "a breaking space" if typed else "no space"
        findings.append((rule, excerpt_around(text, index), f"{space} {where} “{sign}”"))
    return findings


def excerpt_around(text, index, before=30, after=15):
    """The text around ``index`` on one line, cut at spaces, "…" where it is cut."""
    start, end = max(0, index - before), min(len(text), index + after + 1)
    if start > 0 and " " in text[start:index]:
        start = text.index(" ", start) + 1
    if end < len(text) and " " in text[index + 1 : end]:
        end = text.rindex(" ", index + 1, end)
    return ("…" if start > 0 else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")


def french_typography_findings(blocks):
    """The findings of a page's French text, given as blocks [{element, text}]: {rule, element,
    message}, the same excerpt found in several elements (an event's title in each list) once."""
    found = {}
    for block in blocks:
        for rule, excerpt, problem in french_typography(block["text"]):
            found.setdefault((rule, excerpt, problem), []).append(block["element"])
    return [
        {
            "rule": rule,
            "element": elements[0],
            "message": f"“{excerpt}”: {problem}, where French needs a no-break space (U+00A0 or U+202F)"
            + (
                f" (also in {len(elements) - 1} other element{'s' if len(elements) > 2 else ''})"
                if len(elements) > 1
                else ""
            ),
        }
        for (rule, excerpt, problem), elements in found.items()
    ]


# --- 4. Scenarios, 5. the run -------------------------------------------------------------


def scenario_pages(scenarios, only=None, registrant_link=None):
    """One page per scenario and language. A scenario names its address (``path``: one, or one per
    language), or the registrant's page it audits (``registrant``: ``registration:manage``…), whose
    signed address ``registrant_link(page, language)`` gives."""
    pages = []
    for scenario in scenarios:
        if only and scenario["name"] not in only:
            continue
        paths = scenario.get("path")
        for language in scenario.get("languages") or ["de", "fr"]:
            if "registrant" in scenario:
                path = registrant_link(scenario["registrant"], language)
            else:
                path = paths[language] if isinstance(paths, dict) else paths
            pages.append({**scenario, "language": language, "path": path})
    return pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", action="append", default=[], help="audit only this path (repeatable)")
    parser.add_argument("--scenario", action="append", default=[], help="audit only this scenario (repeatable)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated, of {', '.join(TOOLS)}")
    parser.add_argument("--workers", type=int, help="browsers working at once (default: the config's)")
    parser.add_argument(
        "--french-typography",
        action="store_true",
        help="(used by audit.mjs) read blocks of French text [{element, text}] as JSON on stdin, write the findings",
    )
    args = parser.parse_args()
    if args.french_typography:
        json.dump(french_typography_findings(json.load(sys.stdin)), sys.stdout, ensure_ascii=False)
        return
    tools = [tool.strip() for tool in args.tools.split(",") if tool.strip()]
    if unknown := set(tools) - set(TOOLS):
        sys.exit(f"audit: unknown tools {sorted(unknown)}; choose among {', '.join(TOOLS)}")
    if not NODE.exists():
        sys.exit("audit: Node 22 is missing from node_modules/: run `make audit` (it runs `npm ci`), or `npm ci`.")
    config = json.loads(CONFIG.read_text())
    started = time.monotonic()

    shutil.rmtree(REPORTS, ignore_errors=True)
    REPORTS.mkdir(parents=True)
    scratch = Path(tempfile.mkdtemp(prefix="quattropole-audit-"))
    try:
        environment = site_environment(scratch)
        # This process prepares the content with the same settings and the same secret key, which
        # `make serve` reads from the key file: the registrant's links it signs must hold there.
        secret_key = secrets.token_urlsafe(50)
        key_file = Path(environment["DJANGO_LOCAL_KEY_FILE"])
        key_file.touch(mode=0o600)
        key_file.write_text(secret_key + "\n")
        os.environ.update({k: v for k, v in environment.items() if k.startswith(("DJANGO_", "DATABASE_"))})
        os.environ.update(DJANGO_DEBUG="false", DJANGO_SECRET_KEY=secret_key)
        sys.path.insert(0, str(ROOT))
        staff_password = secrets.token_urlsafe(16)
        say(f"preparing the demo content in {scratch}")
        registration = prepare_content(staff_password)
        from django.urls import reverse

        with site_server(environment, REPORTS / "server.log") as app_port:
            front = front_server(app_port, config["serve"]["imageDelayMs"] / 1000)
            base_url = f"http://127.0.0.1:{front.server_address[1]}"
            say(f"site served with DEBUG off on port {app_port}, audited through {base_url}")
            failures = []
            if args.page:
                pages = [{"name": "page", "language": p.strip("/").split("/")[0] or "de", "path": p} for p in args.page]
            elif args.scenario:
                pages = []
            else:
                pages, failures = crawl(base_url, config["crawl"], config["checks"]["lighthouse"]["categories"])
            if not args.page:
                pages += scenario_pages(
                    config["scenarios"],
                    only=args.scenario,
                    registrant_link=lambda page, language: registrant_path(registration, page, language),
                )
            if args.scenario and not pages:
                sys.exit(f"audit: no scenario named {args.scenario}; see audit.config.json")
            plan = {
                "baseUrl": base_url,
                "status200Door": STATUS_200_DOOR,
                "login": {"path": reverse("admin:login"), "username": STAFF_USERNAME, "password": staff_password},
                "pages": pages,
                "failures": failures,
                "tools": tools,
                "workers": args.workers or config["workers"],
                "checks": config["checks"],
                "allow": config.get("allow", []),
                "chromium": {**config["chromium"], "path": os.environ.get("CHROME_PATH", config["chromium"]["path"])},
                "reports": str(REPORTS),
                "python": sys.executable,
                "script": str(Path(__file__).resolve()),
            }
            (REPORTS / "plan.json").write_text(json.dumps(plan, indent=2))
            runner_environment = {**os.environ, "CHROME_PATH": plan["chromium"]["path"], "PUPPETEER_SKIP_DOWNLOAD": "1"}
            # In a process group of its own, so that an interrupted audit takes its browsers with it:
            # SIGTERM lets Puppeteer close each worker's Chromium (which runs detached) first.
            runner = subprocess.Popen(
                [NODE, RUNNER, REPORTS / "plan.json"], cwd=ROOT, env=runner_environment, start_new_session=True
            )
            try:
                result = subprocess.CompletedProcess(runner.args, runner.wait())
            finally:
                if runner.poll() is None:
                    os.killpg(runner.pid, signal.SIGTERM)
                    try:
                        runner.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        os.killpg(runner.pid, signal.SIGKILL)
                        runner.wait()
            front.shutdown()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"finished in {time.monotonic() - started:.0f} s; reports in {REPORTS.relative_to(ROOT)}/")
    # The closing line CI reads: pages that pass every check, and pages (or crawl findings) that do not.
    with contextlib.suppress(OSError, ValueError, KeyError):
        pages = json.loads((REPORTS / "results.json").read_text())["pages"]
        failed = sum(1 for page in pages if page["failures"])
        print(f"audit: {len(pages) - failed} passed, {failed + len(failures)} failed")
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
