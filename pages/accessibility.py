"""The accessibility statement from evidence: the latest imported `make audit` and the open manual
findings decide the status; nothing is typed as prose.

Status (Implementing Decision (EU) 2018/1523; RGAA's footer mention):
- ``full``: the latest audit found nothing about accessibility on any page, and no manual finding
  is open;
- ``partial``: the audit or staff found something, or an event's document is not shown accessible
  (materials: an untagged or unchecked PDF, an office file; ``Material.objects.non_accessible``);
- ``none``: no audit was ever imported — nothing shows the site to be accessible.

The footer of every page shows the status. It is kept in the cache, written whenever it is
computed — on an import, on any save of a finding or of the statement (pages/signals.py), by the
demo, and by the statement's pages. When the cache has lost it (flushed, restarted, evicted), the
footer computes it from the stored evidence in one query, at most once per request, and keeps it
again (``footer_status``); the error pages never ask (they are shown without the database). A
material's or an event's save recomputes it too (pages/signals.py); when the status changes,
``status_changed`` is sent, and the page cache makes every page fresh (their footers say it).

The status also changes without any save: when a scheduled event appears (its "publish at"
moment, ``EventQuerySet.scheduled``), its documents count from then on. So the status is kept
with that moment — the next "publish at" still ahead when it was computed — and from then on the
footer computes it again (in the same one query) before showing it, as the page cache renders
every page again at that moment (``EventQuerySet.next_change``).

The documents: every non-accessible document of a published event is listed with its event, its
title in the reader's language, the reason (the upload check's findings) and the alternative
(the material's, else on request from the secretariat, with the legal notice's contact);
registrants-only documents without a link (published content, behind personal links).
Documents published before 23 September 2018 are listed as outside the scope of the law, and
do not change the status.
"""

import contextlib
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Event
from materials.models import Material

from .models import AuditFinding, AuditPage, AuditRun, ManualFinding, Organisation

FULL, PARTIAL, NONE = "full", "partial", "none"
STATUS_LABELS = {
    FULL: _("fully compliant"),
    PARTIAL: _("partially compliant"),
    NONE: _("not compliant"),
}
# The status and the moment it holds until without a save, (status, until): a key of its own,
# so that a status alone kept by an earlier release is not read as one.
STATUS_CACHE_KEY = "pages:accessibility-status-until"
LANGUAGES = ("de", "fr")
# Sent (with ``status``) when a recomputed status differs from the one kept for the footers.
status_changed = Signal()

# The tools of `make audit` whose findings are about accessibility (scripts/audit.mjs): axe-core,
# pa11y (WCAG 2 AA), overflow and layout at each width (WCAG 1.4.10 reflow, 1.4.4 resize text),
# and Lighthouse's accessibility category (its other categories are performance and SEO).
ACCESSIBILITY_TOOLS = {"axe", "pa11y", "overflow", "layout"}


def is_about_accessibility(finding):
    tool = finding.get("tool", "")
    if tool in ACCESSIBILITY_TOOLS:
        return True
    if tool.startswith("lighthouse"):
        return finding.get("rule") == "accessibility-score" or finding.get("message", "").startswith("accessibility ")
    return tool == "page"  # a page that could not be opened or answered an error was not shown to anyone


@dataclass
class Evidence:
    run: AuditRun | None
    findings: list = field(default_factory=list)  # the latest run's accessibility findings
    manual: list = field(default_factory=list)  # open manual findings
    page_count: int = 0
    documents: list = field(default_factory=list)  # events' documents not accessible (StatementDocument)
    exempt_documents: list = field(default_factory=list)  # the same, published before 23 September 2018
    until: datetime.datetime | None = None  # when a scheduled event appears (``next_appearance``)

    @property
    def status(self):
        if self.run is None:
            return NONE
        return PARTIAL if self.findings or self.manual or self.documents else FULL

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    def rules(self):
        """The latest audit's findings grouped by tool and rule: (tool, rule, message, pages)."""
        grouped = {}
        for finding in self.findings:
            key = (finding.tool, finding.rule)
            entry = grouped.setdefault(key, {"tool": finding.tool, "rule": finding.rule, "message": "", "pages": []})
            entry["message"] = entry["message"] or finding.message
            label = finding.page.label if finding.page else ""
            if label and label not in entry["pages"]:
                entry["pages"].append(label)
        for entry in grouped.values():
            entry["pages"].sort()
        return list(grouped.values())


@dataclass
class StatementDocument:
    """A document as the statement lists it, in the active language."""

    material: Material
    alternative: str
    lang: str  # the language of the alternative's text when it is not the page's (fallback)

    @property
    def event(self):
        return self.material.event

    @property
    def href(self):
        """Its address, for a public document; none for a registrants-only one."""
        return self.material.file.url if self.material.is_public else ""

    @property
    def reasons(self):
        return [str(reason) for reason in self.material.accessibility_findings()]


def secretariat_alternative(organisation=None):
    """The alternative when staff gave none: on request from the secretariat, with its contact
    from the legal notice's data (Organisation)."""
    organisation = organisation or Organisation.current()
    # The telephone number kept on one line (no-break spaces).
    phone = organisation.phone.replace(" ", "\u00a0")
    contact = ", ".join(value for value in (organisation.email, phone) if value)
    if contact:
        return gettext("On request from the secretariat (%(contact)s).") % {"contact": contact}
    return gettext("On request from the secretariat.")


def statement_documents():
    """The events' documents the statement lists: (non-accessible, outside the scope), in the
    events' order then the materials' (2 queries)."""
    materials = (
        Material.objects.not_shown_accessible()
        .select_related("event")
        .order_by("-event__start", "event__pk", "order", "pk")
    )
    default = None
    listed, exempt = [], []
    language = translation.get_language()
    for material in materials:
        own = getattr(material, f"alternative_{language}", "") or ""
        other = "" if own else next((code for code in LANGUAGES if getattr(material, f"alternative_{code}", "")), "")
        if own or other:
            text = own or getattr(material, f"alternative_{other}")
        else:
            default = default or secretariat_alternative()
            text = default
        document = StatementDocument(material=material, alternative=text, lang=other)
        (exempt if material.statement_listing == "exempt" else listed).append(document)
    return listed, exempt


def next_appearance(now):
    """When the next scheduled event appears (the earliest "publish at" after ``now`` of
    ``EventQuerySet.scheduled``), as a subquery: until then, the stored evidence gives the same
    status; from then on, that event's documents count."""
    return Subquery(Event.objects.scheduled(now).order_by("publish_at").values("publish_at")[:1])


def evidence():
    """The latest audit with its accessibility findings, the open manual findings and the events'
    documents not shown accessible (at most 6 queries)."""
    now = timezone.now()
    run = AuditRun.objects.order_by("-performed_at", "-pk").annotate(until=next_appearance(now)).first()
    findings = []
    page_count = 0
    if run is not None:
        findings = list(
            AuditFinding.objects.filter(run=run, accessibility=True).select_related("page").order_by("tool", "rule")
        )
        page_count = run.pages.count()
    documents, exempt = statement_documents()
    return Evidence(
        run=run,
        findings=findings,
        manual=list(ManualFinding.objects.open()),
        page_count=page_count,
        documents=documents,
        exempt_documents=exempt,
        until=run.until if run is not None else None,  # without an audit, documents change nothing
    )


def status_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def stored_status():
    """The status the stored evidence gives (as ``Evidence.status``), in one query."""
    return stored_status_until()[0]


def stored_status_until(now=None):
    """(status, until): the status the stored evidence gives at ``now`` (as ``Evidence.status``),
    and the moment it holds until without any save (``next_appearance``; None: no such moment),
    in one query."""
    latest = (
        AuditRun.objects.order_by("-performed_at", "-pk")
        .annotate(
            has_findings=Exists(AuditFinding.objects.filter(run=OuterRef("pk"), accessibility=True)),
            has_manual=Exists(ManualFinding.objects.open()),
            has_documents=Exists(Material.objects.non_accessible()),
            until=next_appearance(now or timezone.now()),
        )
        .values("has_findings", "has_manual", "has_documents", "until")
        .first()
    )
    if latest is None:
        return NONE, None  # without an audit, documents change nothing
    status = PARTIAL if latest["has_findings"] or latest["has_manual"] or latest["has_documents"] else FULL
    return status, latest["until"]


def refresh_status():
    """Computes the status and keeps it for the footers; returns it. Sends ``status_changed``
    when it differs from the one kept (the page cache then makes every footer fresh)."""
    return keep_status(*stored_status_until())


def keep_status(status, until=None):
    """Keeps ``status`` for the footers until ``until``; sends ``status_changed`` when it differs
    from the one kept."""
    kept = kept_status()
    store_status(status, until)
    if kept is None or kept[0] != status:
        status_changed.send(sender=Evidence, status=status)
    return status


def footer_status(request=None):
    """The status for a page's footer: the cached one while it holds, else the stored evidence's
    (one query, at most once per ``request``), kept for the next pages. None when neither answers
    (the database away: the footer shows its link without the status)."""
    kept = kept_status()
    if kept is not None and holds(kept):
        return kept[0]
    if request is not None and hasattr(request, "accessibility_status"):
        return request.accessibility_status
    try:
        status, until = stored_status_until()
    except DatabaseError:
        status = None
    else:
        if kept is None:  # lost (flushed, evicted): kept again
            store_status(status, until)
        else:  # a scheduled event appeared since: every page fresh when the status changed
            keep_status(status, until)
    if request is not None:
        request.accessibility_status = status
    return status


def holds(kept):
    """Whether a kept (status, until) still holds: no scheduled event has appeared since."""
    return kept[1] is None or timezone.now() < kept[1]


def store_status(status, until=None):
    # A cache that does not answer: the footers show the link without the status meanwhile.
    with contextlib.suppress(Exception):
        status_cache().set(STATUS_CACHE_KEY, (status, until), timeout=None)
    return status


def kept_status():
    """(status, until) as kept for the footers, whether it still holds or not; None when lost."""
    try:
        return status_cache().get(STATUS_CACHE_KEY)
    except Exception:
        return None


def cached_status():
    """The status kept for the footers while it holds, else None."""
    kept = kept_status()
    return kept[0] if kept is not None and holds(kept) else None


# --- Importing `make audit`'s results ----------------------------------------------------------------


class AuditFileError(ValueError):
    """The file is not `make audit`'s results.json."""


def language_of(label, path):
    """A page's language, from its label ("home [fr]") or its address (/fr/…)."""
    if label.endswith("]") and "[" in label:
        return label.rsplit("[", 1)[1].rstrip("]")
    first = path.strip("/").split("/")[0]
    return first if first in dict(settings.LANGUAGES) else ""


@transaction.atomic
def import_results(path, performed_at=None):
    """Stores test-artifacts/audit/results.json (scripts/audit.mjs writes it): every audited page,
    every finding, marked as about accessibility or not. The audit's moment is the file's
    modification time unless given. Returns the AuditRun."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AuditFileError(f"{path}: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("pages"), list):
        raise AuditFileError(f"{path}: no list of pages; is this make audit's results.json?")
    if performed_at is None:
        performed_at = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
    run = AuditRun.objects.create(
        performed_at=performed_at, source=str(path)[:500], seconds=int(data.get("seconds") or 0)
    )
    pages = {}
    for entry in data["pages"]:
        if not isinstance(entry, dict) or "page" not in entry:
            raise AuditFileError(f"{path}: a page without a name")
        label = str(entry["page"])[:200]
        page_path = str(entry.get("path", ""))[:500]
        pages[label] = AuditPage.objects.create(
            run=run,
            label=label,
            path=page_path,
            language=language_of(label, page_path),
            status=entry.get("status") if isinstance(entry.get("status"), int) else None,
        )
    findings = []
    # Each page's failures, and the crawl's own (a link that answers an error, a page type missing).
    seen = set()
    for finding in [f for entry in data["pages"] for f in entry.get("failures", [])] + data.get("failures", []):
        key = json.dumps(finding, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        findings.append(
            AuditFinding(
                run=run,
                page=pages.get(str(finding.get("page", ""))),
                tool=str(finding.get("tool", ""))[:50],
                rule=str(finding.get("rule", ""))[:200],
                element=str(finding.get("element") or ""),
                message=str(finding.get("message") or ""),
                accessibility=is_about_accessibility(finding),
            )
        )
    AuditFinding.objects.bulk_create(findings)
    return run  # the status is recomputed when this commits (pages/signals.py, for the AuditRun)
