"""French typography, as French publishing systems apply it on output.

French writes a no-break space before ``:`` ``;`` ``?`` ``!`` and inside « », so that the sign
never starts a line on its own, and the typographic apostrophe ’. The catalogue is written so
(locale/fr/LC_MESSAGES/django.po); what the secretariat types ("Immigrations : une chance")
and registrants type goes through ``french_typography`` when it is shown in French: the event
pages' texts (the ``show`` tag, events/templatetags/events_tags.py) and the French e-mails.

The convention, one for each case:

- before ``:`` ``;`` ``?`` ``!`` and inside « »: U+00A0 NO-BREAK SPACE, as Django's own French
  catalogue writes it (and every font and e-mail client shows it). A narrow no-break space
  (U+202F) already in a text is kept, and counts as correct;
- between two letters, the apostrophe ’ (U+2019), never '.

Left alone: times (9:30), ratios (16:9), web and e-mail addresses, a sign not followed by a
space (``?page=2``, ``a:b``), the second sign of ``?!``, and text that is already right —
``french_typography(french_typography(text)) == french_typography(text)``.

Pure functions on strings, no Django: ``french_typography`` for plain text,
``french_typography_html`` for the text of an HTML fragment, ``guillemet_spaces`` for « » in
a text of any language, ``missing_spaces`` and ``missing_space_signs`` for checks (the tests'
check of every French page and e-mail, tests/french_text.py, and ``make audit``'s,
scripts/audit.py: one set of rules for the site and its checks).
"""

import html
import re

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
_NO_BREAK = NBSP + NARROW_NBSP

# What is never touched: web addresses, e-mail addresses.
_PROTECTED = re.compile(
    r"""(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)[^\s<>"«»]*[^\s<>"«».,;:!?)]"""  # an address
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # an e-mail address
    re.IGNORECASE,
)

# The spacing rules: each pattern finds one missing no-break space, at group "at".
# A sign counts as punctuation when a space, the end of the text or a closing sign follows it
# (so "9:30", "16:9", "?page=2" and "a:b" are not punctuation).
_AFTER_SIGN = r"(?=$|[\s»)\]”’\"'.,…?!])"
_SPACING = [
    # "mot : suite", "mot: suite", "Quoi ?" with an ordinary space or none: a no-break space.
    # Not the second sign of "?!", not a sign opening a line or following an opening bracket.
    re.compile(r"(?P<before>[^\s?!(\[«" + _NO_BREAK + r"])(?P<at>[ \t]*)(?P<sign>[:;?!])" + _AFTER_SIGN),
    # « with an ordinary space or none after it.
    re.compile(r"(?P<sign>«)(?P<at>[ \t]*)(?=[^\s" + _NO_BREAK + r"])"),
    # » with an ordinary space or none before it.
    re.compile(r"(?<=[^\s" + _NO_BREAK + r"])(?P<at>[ \t]*)(?P<sign>»)"),
]
_MASK = 0xF0000  # Supplementary Private Use Area-A: no text of ours uses it
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")


def _masked(text):
    """``text`` with each address replaced by one character of the Private Use Area (a character
    that is no space, as the address is none), and the addresses, to put back."""
    addresses = []

    def mask(match):
        addresses.append(match.group())
        return chr(_MASK + len(addresses) - 1)

    return _PROTECTED.sub(mask, text), addresses


def _unmasked(text, addresses):
    if not addresses:
        return text
    return re.sub(
        f"[{chr(_MASK)}-{chr(_MASK + len(addresses) - 1)}]", lambda m: addresses[ord(m.group()) - _MASK], text
    )


def _space(part):
    for rule in _SPACING:
        part = rule.sub(_with_no_break_space, part)
    return part


def _with_no_break_space(match):
    groups = match.groupdict()
    if groups.get("before") is not None:
        return f"{groups['before']}{NBSP}{groups['sign']}"
    if match.group("sign") == "«":
        return f"«{NBSP}"
    return f"{NBSP}»"


def french_typography(text):
    """``text`` with the no-break spaces and apostrophes of French typography (see above)."""
    if not text:
        return text
    masked, addresses = _masked(str(text))
    return _unmasked(_APOSTROPHE.sub("’", _space(masked)), addresses)


# HTML: only the text between tags, never inside these elements.
_HTML_TOKEN = re.compile(
    r"<(script|style|code|pre|kbd|samp|textarea)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.IGNORECASE | re.DOTALL
)


def french_typography_html(fragment):
    """``french_typography`` on the text of an HTML fragment: tags, attributes, comments and the
    content of script, style, code, pre, kbd, samp and textarea are kept as they are. The text
    is read with its character references (``&amp;``) and written back escaped."""
    out, position = [], 0
    for match in _HTML_TOKEN.finditer(fragment):
        out.append(_html_text(fragment[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_html_text(fragment[position:]))
    return "".join(out)


def _html_text(text):
    if not text.strip():
        return text
    return html.escape(french_typography(html.unescape(text)), quote=False)


_GUILLEMET_SPACES = re.compile(r"(?<=«)[ \t]+|[ \t]+(?=»)")


def guillemet_spaces(text):
    """The spaces already typed inside « » made no-break, in a text of any language (a German
    text quoting a French title: „… (« Bien vivre sa ville » – Wohnen)“): a guillemet never
    ends up alone on a line. Nothing is added where no space was typed («Swiss style»)."""
    return _GUILLEMET_SPACES.sub(NBSP, text) if text else text


def missing_spaces(text, context=20):
    """Where ``text`` lacks a no-break space that French typography asks for, as excerpts with
    the place marked ``⟦…⟧`` ("Téléphone⟦:⟧ 0387…"); empty when the text is right."""
    masked, addresses = _masked(text)
    found = []
    for rule in _SPACING:
        for match in rule.finditer(masked):
            start, end = match.span()
            excerpt = (
                masked[max(0, start - context) : start] + "⟦" + masked[start:end] + "⟧" + masked[end : end + context]
            )
            found.append(" ".join(_unmasked(excerpt, addresses).split()))
    return found


def missing_space_signs(text):
    """Where ``text`` lacks a no-break space that French typography asks for, in the order of
    the text: (index, sign, typed) for each place, ``index`` that of the sign (``:`` ``;`` ``?``
    ``!`` ``«`` ``»``) in ``text`` and ``typed`` what stands in place of the no-break space (an
    ordinary space, or "" for none)."""
    masked, addresses = _masked(text)
    found = sorted(
        (match.start("sign"), match.group("sign"), match.group("at"))
        for rule in _SPACING
        for match in rule.finditer(masked)
    )
    return [(_index_in_text(masked, addresses, index), sign, typed) for index, sign, typed in found]


def _index_in_text(masked, addresses, index):
    """The index in the text of ``index`` in its masked form (where each address is one character)."""
    return index + sum(
        len(addresses[ord(char) - _MASK]) - 1 for char in masked[:index] if _MASK <= ord(char) < _MASK + len(addresses)
    )
