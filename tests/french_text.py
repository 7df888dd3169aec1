"""What a French reader reads on a page or in an e-mail, and where it lacks a no-break space.

tests/conftest.py runs every French page the test client gets and every French e-mail a test
sends through ``page_problems`` / ``email_problems``: a missing no-break space before
``: ; ? !`` or inside « » fails the test (the rules: events/typography.py).

The text read is what people see or hear: the text of the elements, the page's ``<title>``, and
the attributes read aloud or shown (``alt``, ``title``, ``aria-label``, ``placeholder``, a
button's ``value``) — not
addresses, not the content of script, style, template, code, pre, kbd, samp or a text box, and
nothing marked as another language (``lang="de"``: the German half of a bilingual page, a
German text shown as fallback).
"""

from html.parser import HTMLParser

from events.typography import missing_spaces

SKIPPED = {"script", "style", "template", "code", "pre", "kbd", "samp", "textarea"}
# Elements that end a run of text (so that "Lieu" in one cell and ": x" in the next are not
# read as one "Lieu: x").
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "legend", "li", "main", "nav", "ol", "option", "p", "section", "summary", "table", "td", "th",
    "title", "tr", "ul", "select", "button", "label", "input", "img",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


class FrenchText(HTMLParser):
    """Collects the French text of a page: ``runs``, one string per block of text."""

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.stack = [("#document", language, False)]  # (tag, language, skipped)
        self.runs, self.current = [], []

    @property
    def reading(self):
        _tag, language, skipped = self.stack[-1]
        return not skipped and language == "fr"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        _parent, language, skipped = self.stack[-1]
        language = (attrs.get("lang") or language or "").split("-")[0].lower()
        skipped = skipped or tag in SKIPPED
        if tag in BLOCKS:
            self.end_run()
        if not skipped and language == "fr":
            shown = [attrs.get(name) for name in READ_ATTRIBUTES]
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
                shown.append(attrs.get("value"))  # a button's label
            self.runs += [text for text in shown if text]
        if tag not in VOID:
            self.stack.append((tag, language, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.end_run()
        # Close up to the matching open element (an element left open by the markup is closed
        # with it); an end tag with no open element is ignored.
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        if self.reading:
            self.current.append(data)
        elif data.strip():
            # Text in another language (or skipped) still separates the French around it: a
            # letter stands for it, so that "<span lang=de>…</span>: suite" is still checked.
            self.current.append("x")

    def end_run(self):
        text = "".join(self.current)
        if text.strip():
            self.runs.append(text)
        self.current = []

    def close(self):
        super().close()
        self.end_run()


def french_runs(html, language="fr"):
    """The French text of ``html`` (a page whose language is ``language``), block by block."""
    parser = FrenchText(language)
    parser.feed(html)
    parser.close()
    return parser.runs


def text_problems(runs):
    return [problem for run in runs for problem in missing_spaces(run)]


def page_problems(response):
    """The missing no-break spaces of a French HTML response (empty for any other response)."""
    if response.get("Content-Language", "").split("-")[0] != "fr" or getattr(response, "streaming", False):
        return []
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    return text_problems(french_runs(response.content.decode(response.charset or "utf-8")))


def email_language(message):
    return message.extra_headers.get("Content-Language", "").split("-")[0]


def email_problems(message):
    """The missing no-break spaces of a French e-mail (its subject, text and HTML parts)."""
    if email_language(message) != "fr":
        return []
    runs = [message.subject, *message.body.splitlines()]
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            runs += french_runs(content)
    return text_problems(runs)
