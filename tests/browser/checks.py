"""What the browser tests check on a page, and the interface words they click."""

from pathlib import Path

import axe_playwright_python
from django.conf import settings

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

# What a visitor reads on the buttons and links the tests click, as the catalogues translate it.
UI = {
    "de": {
        "language": "Deutsch",
        "upcoming": "Kommende Veranstaltungen",
        "past": "Vergangene Veranstaltungen",
        "skip": "Zum Inhalt springen",
        "city": "Stadt",
        "show": "Anzeigen",
        "next": "Weiter",
        "previous": "Zurück",
        "not_found": "Seite nicht gefunden",
    },
    "fr": {
        "language": "Français",
        "upcoming": "Événements à venir",
        "past": "Événements passés",
        "skip": "Aller au contenu",
        "city": "Ville",
        "show": "Afficher",
        "next": "Suivant",
        "previous": "Précédent",
        "not_found": "Page introuvable",
    },
}


# --- What the tests check on every page ---------------------------------------------------


def serious_axe_violations(page):
    """axe-core's violations of impact "serious" or "critical" on the page, as readable text.
    (Open the page with ``bypass_csp=True``: axe adds inline styles the site's policy refuses.)"""
    return axe_violations(page, impacts=("serious", "critical"))


def axe_violations(page, impacts=("minor", "moderate", "serious", "critical"), within=None):
    """axe-core's violations of the given impacts (by default any) on the page, or in the part of
    it that the CSS selector ``within`` names, as readable text. Waits for the page to have
    loaded: after a click, the address changes before the new document is there."""
    page.wait_for_load_state()
    page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        "(within) => axe.run(within ? document.querySelector(within) : document, {resultTypes: ['violations']})",
        within,
    )
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in impacts:
            continue
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(
                f"    {', '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}"
            )
    return lines


def heading_outline(page):
    """The visible-to-assistive-technology headings, in document order, as (level, text)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
            .filter(h => !h.closest('[hidden], [aria-hidden="true"]') && getComputedStyle(h).display !== 'none')
            .map(h => [Number(h.tagName[1]), h.textContent.trim().replace(/\\s+/g, ' ')])"""
    )


def heading_problems(outline):
    problems = []
    if [level for level, _text in outline].count(1) != 1:
        problems.append("the page needs exactly one h1")
    if outline and outline[0][0] != 1:
        problems.append(f"the first heading is h{outline[0][0]}, not h1")
    for (before, _b), (level, text) in zip(outline, outline[1:], strict=False):
        if level > before + 1:
            problems.append(f"h{before} is followed by h{level} “{text}”")
    return problems


def image_problems(page):
    """Every image has a text alternative in the page's language, or is marked decorative, and
    loads. A folded photo gallery (templates/materials/section.html) is opened first, as a visitor
    would: its photos load only then."""
    if page.evaluate(
        "() => { const folded = document.querySelectorAll('details.gallery:not([open])');"
        " folded.forEach(gallery => { gallery.open = true; }); return folded.length; }"
    ):
        page.wait_for_function("() => Array.from(document.images).every(img => img.complete)", timeout=15000)
    images = page.evaluate(
        """() => Array.from(document.images).map(img => ({
            src: img.getAttribute('src'),
            alt: img.getAttribute('alt'),
            role: img.getAttribute('role'),
            named: img.hasAttribute('aria-label') || img.hasAttribute('aria-labelledby') || img.hasAttribute('title'),
            lang: (img.closest('[lang]') || document.documentElement).lang,
            loaded: img.complete && img.naturalWidth > 0,
        }))"""
    )
    page_language = page.evaluate("() => document.documentElement.lang")
    problems = []
    for image in images:
        if image["alt"] is None:
            problems.append(f"{image['src']}: no alt attribute")
        elif not image["alt"].strip():
            if image["named"] or image["role"] not in (None, "presentation", "none"):
                problems.append(f'{image["src"]}: alt="" but not presentational')
        elif image["lang"] != page_language:
            problems.append(f"{image['src']}: alt text in {image['lang']!r} on a {page_language!r} page")
        if not image["loaded"]:
            problems.append(f"{image['src']}: does not load")
    return problems


def focus_style(page):
    """The focused element and whether it shows a focus indicator (outline or box-shadow)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            const shadow = style.boxShadow !== 'none';
            return {tag: el.tagName.toLowerCase(), text: (el.textContent || '').trim(), id: el.id,
                    name: el.getAttribute('name'), visible: outline || shadow};
        }"""
    )


def screenshot(page, name):
    path = ARTIFACTS / "screens" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path
