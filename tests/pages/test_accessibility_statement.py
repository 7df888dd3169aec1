"""The accessibility statement from evidence: `make audit`'s results imported with a command, the
status computed from the latest one and the open manual findings, in the page, its JSON and every
footer; a stale statement flagged to staff."""

import datetime
import io

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pages import accessibility
from pages.models import AccessibilityStatement, AuditRun, ManualFinding
from tests.helpers import html_of

from .conftest import finding

pytestmark = pytest.mark.django_db

CLEAN = {"home [de]": [], "home [fr]": [], "events:list [de]": [], "events:list [fr]": []}


def import_audit(path, date="2026-12-01T18:00:00+01:00"):
    out = io.StringIO()
    call_command("import_audit", str(path), "--date", date, stdout=out)
    return out.getvalue()


def footer(response):
    page = html_of(response)
    return page[page.index('class="site-footer"') :]


def test_without_an_audit_the_site_is_not_compliant(client, site_pages):
    ManualFinding.objects.all().delete()
    page = html_of(client.get("/fr/accessibilite/"))
    assert "Ce site est non conforme\u00a0: il n’a pas encore été audité." in page
    assert "Accessibilité\u00a0: non conforme" in footer(client.get("/fr/evenements/"))


def test_an_audit_with_findings_makes_the_statement_partially_compliant(
    client, site_pages, audit_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ManualFinding.objects.all().delete()
    path = audit_file(
        {
            **CLEAN,
            "events:detail [fr]": [
                finding("events:detail [fr]", "axe", "image-alt", "critical: Images must have alternate text"),
                finding("events:detail [fr]", "lighthouse mobile", "largest-contentful-paint", "budget: 3000 > 2500"),
            ],
            "events:detail [de]": [
                finding("events:detail [de]", "axe", "image-alt", "critical: Images must have alternate text")
            ],
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert "6 pages, 2 accessibility findings" in import_audit(path)
    # Every page's footer follows as soon as the import is committed.
    assert "Accessibilité\u00a0: partiellement conforme" in footer(client.get("/fr/"))
    assert "Barrierefreiheit: teilweise barrierefrei" in footer(client.get("/de/"))
    run = AuditRun.objects.get()
    assert run.findings.count() == 3 and run.findings.filter(accessibility=False).get().tool == "lighthouse mobile"

    page = html_of(client.get("/fr/accessibilite/"))
    assert "Ce site est partiellement conforme aux exigences" in page
    assert "L’audit automatique a trouvé 1 non-conformité\u00a0:" in page
    assert "Images must have alternate text" in page and "events:detail [de], events:detail [fr]" in page
    assert "largest-contentful-paint" not in page  # performance is not accessibility
    assert "un audit automatique de 6 pages en allemand et en français" in page


def test_the_latest_audit_decides(client, site_pages, audit_file):
    ManualFinding.objects.all().delete()
    import_audit(
        audit_file({**CLEAN, "home [de]": [finding("home [de]", "pa11y", "WCAG2AA.1_4_3", "contrast")]}),
        date="2026-11-01T10:00:00+01:00",
    )
    import_audit(audit_file(CLEAN), date="2026-12-01T10:00:00+01:00")
    assert "Diese Website ist mit den Anforderungen (WCAG 2.1 Stufe AA, EN 301 549) vollständig vereinbar." in html_of(
        client.get("/de/barrierefreiheit/")
    )
    assert "Barrierefreiheit: vollständig barrierefrei" in footer(client.get("/de/veranstaltungen/"))


def test_an_open_manual_finding_keeps_it_partial_until_resolved(
    client, site_pages, audit_file, django_capture_on_commit_callbacks
):
    import_audit(audit_file(CLEAN))
    page = html_of(client.get("/fr/accessibilite/"))
    assert "partiellement conforme" in page
    assert "les affiches des événements en PDF ne sont pas accessibles" in page
    assert "Toutes les informations des affiches figurent aussi en texte" in page
    resolved = ManualFinding.objects.get()
    resolved.resolved_on = datetime.date(2026, 12, 2)
    with django_capture_on_commit_callbacks(execute=True):
        resolved.save()  # as the admin does: the footers follow when it commits
    assert "Accessibilité\u00a0: totalement conforme" in footer(Client().get("/fr/"))


def test_each_language_names_its_enforcement_body(client, site_pages):
    assert "Défenseur des droits" in html_of(client.get("/fr/accessibilite/"))
    german = html_of(client.get("/de/barrierefreiheit/"))
    assert "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz" in german
    assert "Défenseur des droits" not in german


def test_the_json_beside_it(client, site_pages, audit_file):
    import_audit(audit_file({**CLEAN, "home [fr]": [finding("home [fr]", "overflow", "page-wider-than-320px", "x")]}))
    data = client.get("/fr/accessibilite/statement.json").json()
    assert data["status"] == "partial"
    assert data["status_label"] == "partiellement conforme"
    assert data["audit"]["pages"] == 4
    assert data["audit"]["findings"] == [
        {"tool": "overflow", "rule": "page-wider-than-320px", "message": "x", "pages": ["home [fr]"]}
    ]
    assert data["manual_findings"][0]["criterion"] == "1.3.1"
    assert data["enforcement"]["name"] == "Défenseur des droits"
    assert data["feedback"] == {"url": "http://testserver/fr/contact-accessibilite/", "answer_days": 14}
    assert client.get("/de/barrierefreiheit/statement.json").json()["enforcement"]["url"] == (
        "https://www.schlichtungsstelle-bgg.de/"
    )


def test_a_statement_over_a_year_old_is_flagged_to_staff_only(client, secretary, site_pages):
    AccessibilityStatement.objects.update(reviewed_on=datetime.date(2025, 11, 1))
    with time_machine.travel(datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC)):
        assert "Für Mitarbeitende: Diese Erklärung wurde zuletzt am" in html_of(secretary.get("/de/barrierefreiheit/"))
        assert "Für Mitarbeitende" not in html_of(Client().get("/de/barrierefreiheit/"))
        assert "1. November 2026 erneut überprüft." in html_of(Client().get("/de/barrierefreiheit/"))


def test_a_file_that_is_not_an_audit_is_refused_with_a_message(tmp_path, db):
    path = tmp_path / "results.json"
    path.write_text('{"something": "else"}')
    with pytest.raises(CommandError, match="no list of pages"):
        call_command("import_audit", str(path))
    with pytest.raises(CommandError, match="not a date and time"):
        call_command("import_audit", str(path), "--date", "yesterday")
    assert not AuditRun.objects.exists()


@pytest.mark.parametrize("findings", [1, 20])
def test_the_statements_queries_do_not_grow_with_the_findings(
    client, site_pages, audit_file, findings, django_assert_num_queries
):
    failures = [finding(f"page {n} [fr]", "axe", f"rule-{n}", "problem") for n in range(findings)]
    import_audit(audit_file({**CLEAN, **{f"page {n} [fr]": [failures[n]] for n in range(findings)}}))
    # The page, the latest audit, its findings with their pages, its page count, the open manual
    # findings, the events' documents not shown accessible, the statement's dates; the page
    # cache's next state change.
    with django_assert_num_queries(8):
        assert client.get("/fr/accessibilite/").status_code == 200


# --- The footer after the cache lost the status --------------------------------------------------


def test_after_a_cache_flush_the_footer_shows_the_latest_audits_status_in_one_query(
    client, site_pages, audit_file, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        import_audit(audit_file({**CLEAN, "home [de]": [finding("home [de]", "axe", "label", "serious: no label")]}))
    ManualFinding.objects.all().delete()  # not through the admin: the cached status knows nothing of it
    home = "/de/veranstaltungen/"
    client.get(home)
    with django_assert_num_queries(0):  # served from the page cache
        assert "Barrierefreiheit: teilweise barrierefrei" in footer(client.get(home))

    caches[settings.PAGE_CACHE_ALIAS].clear()
    with CaptureQueriesContext(connection) as after_flush:
        assert "Barrierefreiheit: teilweise barrierefrei" in footer(client.get(home))
    assert len([q for q in after_flush.captured_queries if "pages_auditrun" in q["sql"]]) == 1
    assert accessibility.cached_status() == accessibility.PARTIAL, "kept again for the next pages"

    # The same flush with the status still known: the page's own queries, one fewer.
    caches[settings.PAGE_CACHE_ALIAS].clear()
    accessibility.store_status(accessibility.PARTIAL)
    with CaptureQueriesContext(connection) as status_known:
        assert "Barrierefreiheit: teilweise barrierefrei" in footer(client.get(home))
    assert len(status_known.captured_queries) == len(after_flush.captured_queries) - 1


def test_without_any_audit_the_footer_says_not_compliant_after_a_flush(client, site_pages):
    AuditRun.objects.all().delete()
    caches[settings.PAGE_CACHE_ALIAS].clear()
    assert "Accessibilité\u00a0: non conforme" in footer(client.get("/fr/evenements/"))


def test_with_the_cache_gone_the_status_is_read_once_per_request(
    rf, site_pages, audit_file, settings, django_assert_num_queries
):
    import_audit(audit_file(CLEAN))
    ManualFinding.objects.all().delete()
    settings.CACHES = {**settings.CACHES, settings.PAGE_CACHE_ALIAS: {"BACKEND": "tests.broken_cache.BrokenCache"}}
    request = rf.get("/de/")
    with django_assert_num_queries(1):
        assert accessibility.footer_status(request) == accessibility.FULL
        assert accessibility.footer_status(request) == accessibility.FULL
    assert accessibility.footer_status(rf.get("/fr/")) == accessibility.FULL  # another request reads again


@pytest.mark.parametrize(
    "audit, open_manual, status",
    [
        (None, True, "none"),
        ([], False, "full"),
        ([], True, "partial"),
        ([("axe", "image-alt")], False, "partial"),
        ([("lighthouse mobile", "largest-contentful-paint")], False, "full"),  # not about accessibility
    ],
)
def test_the_footers_one_query_agrees_with_the_statement(site_pages, audit_file, audit, open_manual, status):
    if not open_manual:
        ManualFinding.objects.all().delete()
    if audit is not None:
        import_audit(
            audit_file({**CLEAN, "home [fr]": [finding("home [fr]", tool, rule, "x") for tool, rule in audit]})
        )
    assert accessibility.stored_status() == accessibility.evidence().status == status
