"""What one text cell of a programme says: its title, description, the people named after
the title, and the workshops listed under it — and, over many cells, which language it is.

A cell's first line is the title. The lines after it are:

* *workshops* when they begin with a bullet (``•``, ``-``, ``*``, ``·``, Word's private
  bullets, ``1.``/``1)``), or are ``<li>`` items in HTML; or, on one line, a workshops heading,
  a colon and the workshops separated by semicolons, as people write it: ``Ateliers : Mobilité ;
  Culture``, ``Arbeitsgruppen: Mobilität; Kultur``. Such a line may be the title itself (the
  heading is then the title) when it names two workshops or more;
* *people* when they are ``<small>`` in HTML (as in the invitation's web version), or when
  they read as a list of people: one or more persons separated by ``;``, each a name of
  two to five capitalised words (particles such as *de*, *von*, *van der* allowed), then,
  after commas, what they do: ``Madeleine Kayser, Ville de Luxembourg ; Sylvie Bortot,
  CCAS Metz``. The last part after the name is the *affiliation*, the parts between are the
  *role*: ``Vincent Ferry, Chercheur au 2L2S, Groupe GREE`` is Vincent Ferry, role
  "Chercheur au 2L2S", affiliation "Groupe GREE"; ``Name (Affiliation)`` works too, and
  a lead-in such as "Avec", "Mit", "Animation :" or "Moderation:" is left out;
* otherwise, in a table cell (its own paragraphs), a *description* paragraph; in plain
  text (a PDF's wrapped lines), the continuation of the line before (title, people or
  workshop): the words are joined with a space, or without one after a hyphen ending a
  line ("QuattroPole-" + "Arbeitsgruppe").
"""

import dataclasses
import re
import unicodedata
from html.parser import HTMLParser

from ..times import normalise_spaces
from .reading import BULLETS

_HTML = re.compile(r"</?(?:small|li|ul|ol|br|p|div|span|b|i|u|em|strong|a|font|sup|sub)\b[^>]*>", re.IGNORECASE)
_BULLET_LINE = re.compile(rf"^(?:[{BULLETS}]|[-*–—](?=\s)|\d{{1,2}}[.)](?=\s))\s*")
_PARENTHESISED = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<detail>[^()]+)\)$")
# Words that may introduce the people: "Avec Vincent Ferry, …", "Moderation: Lisa Huth".
_LEAD_IN = re.compile(
    r"^(?:avec|mit|par|von|intervenant(?:e)?s?|referent(?:in|innen|en)?|redner(?:in|innen)?|animation|"
    r"animé(?:e)? par|modération|moderation|moderiert von)\s*:?\s+",
    re.IGNORECASE,
)

# The words of a workshops heading ("Ateliers", "Workshops", "Arbeitsgruppen", "Werkstatt"),
# matched in folded text (kinds.py guesses a slot's kind by them too).
WORKSHOP_WORDS = re.compile(r"\batelier|workshop|arbeitsgruppe|\bwerkstatt")
# "Ateliers : Mobilité ; Culture": a heading, a colon, the workshops separated by semicolons.
_WORKSHOP_LIST = re.compile(r"^(?P<heading>[^:;]{1,60}?)\s*:\s*(?P<items>\S.*)$")

# Lower-case words inside names: "Ursula von der Leyen", "Charles de Gaulle".
_PARTICLES = {"de", "du", "des", "d'", "d’", "la", "le", "von", "vom", "van", "der", "den", "zu", "zur", "di", "da"}
# Capitalised first words that begin places and things, not people ("Salle Robert Schuman").
_NOT_NAMES = {
    "salle", "raum", "saal", "ville", "stadt", "hôtel", "hotel", "rathaus", "mairie", "place", "platz", "rue",
    "table", "pause", "atelier", "ateliers", "workshop", "groupe", "gruppe", "association", "verein", "centre",
    "zentrum", "maison", "haus", "université", "universität", "musée", "museum", "cuisine", "programme",
    "programm", "accueil", "empfang",
}  # fmt: skip
# Courtesy titles left out of the key that matches a pasted name to a known person.
_COURTESY = {"dr", "prof", "m", "mme", "mlle", "me", "monsieur", "madame", "herr", "frau"}


@dataclasses.dataclass
class PersonText:
    """A person as one language's text names them."""

    name: str
    role: str = ""
    affiliation: str = ""


@dataclasses.dataclass
class CellContent:
    title: str = ""
    description: list[str] = dataclasses.field(default_factory=list)
    people: list[PersonText] = dataclasses.field(default_factory=list)
    workshops: list[str] = dataclasses.field(default_factory=list)
    people_lines: list[str] = dataclasses.field(default_factory=list)
    doubts: list[str] = dataclasses.field(default_factory=list)

    @property
    def words(self):
        """All its text, to tell the language by."""
        return " ".join([self.title, *self.description, *self.workshops, *self.people_lines])


def read_cell(text, wrapped=False, width=None):
    """The title, description, people and workshops of a text cell.

    ``wrapped``: its line breaks are a PDF's wrapping rather than paragraphs; then a line
    that reads as people after the title is taken as people, and added to ``doubts`` when
    the line above was full (its next word would not have fitted in ``width``, the longest
    line of the column), as then it may just as well continue the title."""
    content = CellContent()
    last = None  # what the previous line was: "title", "description", "people" or "workshop"
    previous = ""
    for hint, raw in _typed_lines(text):
        line = normalise_spaces(raw)
        if not line:
            continue
        if hint == "text" and _BULLET_LINE.match(line) and last is not None:
            hint = "bullet"
        if hint == "bullet":
            line = _BULLET_LINE.sub("", line)
            if line:
                content.workshops.append(line)
                last = "workshop"
        elif hint == "people":
            content.people_lines.append(line)
            last = "people"
        elif last is None:
            listed = workshop_list(line, as_title=True)
            if listed is None:
                content.title, last = line, "title"
            else:
                content.title, workshops = listed
                content.workshops += workshops
                last = "workshop"
        elif (listed := workshop_list(line)) is not None:
            content.workshops += listed[1]
            last = "workshop"
        elif not wrapped:
            if looks_like_people(line):
                content.people_lines.append(line)
                last = "people"
            else:
                content.description.append(line)
                last = "description"
        elif looks_like_people(line) and last != "people":
            content.people_lines.append(line)
            if width and len(previous) + 1 + len(line.split()[0]) > width:
                content.doubts.append(line)
            last = "people"
        elif looks_like_people(line) and not content.people_lines[-1].endswith((",", ";")):
            content.people_lines.append(line)
        elif last == "title":
            content.title = _join(content.title, line)
        elif last == "people":
            content.people_lines[-1] = _join(content.people_lines[-1], line)
        elif last == "workshop":
            content.workshops[-1] = _join(content.workshops[-1], line)
        previous = line
    content.people = [person for line in content.people_lines for person in parse_people(line)]
    return content


def workshop_list(line, as_title=False):
    """``(heading, [workshops])`` for a line such as ``Ateliers : Mobilité ; Culture``, else
    ``None``. As the title of a cell, the line must name two workshops or more ("Atelier :
    Mobilité urbaine" is a title)."""
    match = _WORKSHOP_LIST.match(line)
    if match is None or not WORKSHOP_WORDS.search(fold(match["heading"])):
        return None
    workshops = [item.strip(" .") for item in match["items"].split(";")]
    workshops = [item for item in workshops if item]
    if not workshops or (as_title and len(workshops) < 2):
        return None
    return match["heading"], workshops


def parse_people(line):
    """The people of a line such as ``Madeleine Kayser, Ville de Luxembourg ; Sylvie Bortot,
    CCAS Metz``: persons separated by ``;``, each name first, then role and affiliation."""
    people = []
    for chunk in _LEAD_IN.sub("", line).split(";"):
        parts = [part.strip(" \t–—-:") for part in _split_commas(chunk)]
        parts = [part for part in parts if part]
        if not parts:
            continue
        name, details = parts[0], parts[1:]
        bracketed = _PARENTHESISED.match(name)
        if bracketed and not details:
            name, details = bracketed["name"].strip(), [bracketed["detail"].strip()]
        role = ", ".join(details[:-1])
        affiliation = details[-1] if details else ""
        people.append(PersonText(name, role, affiliation))
    return people


def looks_like_people(line):
    """Whether a line is a list of people: each ``;``-separated part begins with a name."""
    chunks = [chunk for chunk in _LEAD_IN.sub("", line).split(";") if chunk.strip()]
    if not chunks:
        return False
    for chunk in chunks:
        first = _split_commas(chunk)[0].strip()
        bracketed = _PARENTHESISED.match(first)
        if not looks_like_name(bracketed["name"] if bracketed else first):
            return False
    return True


def looks_like_name(text):
    """Two to five words, capitalised but for particles (de, von…), no digits, not
    beginning with a word that names a place or thing (Salle, Ville, Rathaus…)."""
    words = text.split()
    if not 2 <= len(words) <= 5 or words[0].casefold() in _NOT_NAMES or any(ch.isdigit() for ch in text):
        return False
    capitalised = 0
    for word in words:
        if word.casefold() in _PARTICLES:
            continue
        if not (word[0].isupper() and all(ch.isalpha() or ch in "-'’." for ch in word)):
            return False
        capitalised += 1
    return capitalised >= 2 and words[0][0].isupper()


def name_key(name):
    """A key to match a person's name whatever its accents, case, spaces, hyphens and
    courtesy titles: ``name_key("Dr. Hans-Werner  Méyer") == name_key("hans werner meyer")``."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.sub(r"[\W_]+", " ", text).split()
    while len(words) > 1 and words[0] in _COURTESY:
        words.pop(0)
    return " ".join(words)


def fold(text):
    """Lower case without accents, for matching words: "Clôture" → "cloture", "ß" → "ss"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


# --- Which language ---------------------------------------------------------------------------

_FRENCH_WORDS = {
    "le", "la", "les", "des", "du", "et", "au", "aux", "pour", "avec", "sur", "dans", "par", "une", "un", "l", "d",
    "qu", "à", "ou", "accueil", "déjeuner", "ouverture", "clôture", "ateliers", "atelier", "synthèse", "échanges",
    "salle", "table", "ronde", "ville", "travail", "mise", "commun",
}  # fmt: skip
_GERMAN_WORDS = {
    "der", "die", "das", "den", "dem", "und", "mit", "für", "von", "zu", "zum", "zur", "im", "am", "auf", "ein",
    "eine", "einer", "über", "bei", "nach", "aus", "empfang", "mittagessen", "eröffnung", "abschluss",
    "begrüßung", "austausch", "arbeitsgruppen", "teilnehmer", "stadt", "durch",
}  # fmt: skip
_FRENCH_LETTERS = set("éèêàçôûœùîâë")
_GERMAN_LETTERS = set("äöüß")


def detect_language(texts, times=()):
    """``"fr"``, ``"de"`` or ``None`` (too little to tell) for programme text: common words,
    letters (é, ç… / ä, ß…) and how its times are written (9h30 / 9:30 Uhr)."""
    french = german = 0.0
    for word in re.findall(r"[^\W\d_]+", " ".join(texts).casefold()):
        french += (word in _FRENCH_WORDS) + 0.5 * bool(_FRENCH_LETTERS & set(word))
        german += (word in _GERMAN_WORDS) + 0.5 * bool(_GERMAN_LETTERS & set(word))
    for time in times:
        folded = time.casefold()
        if re.search(r"\d\s*h", folded):
            french += 1
        elif "uhr" in folded:
            german += 1
    if french + german < 3:
        return None
    if french >= 2 * german:
        return "fr"
    if german >= 2 * french:
        return "de"
    return None


# --- Helpers ----------------------------------------------------------------------------------


def _typed_lines(text):
    """``(hint, line)``: hint is "people" inside ``<small>``, "bullet" in ``<li>``, else "text"."""
    if not _HTML.search(text):
        return [("text", line) for line in text.split("\n")]
    reader = _CellHTML()
    reader.feed(text)
    reader.close()
    return reader.finish()


class _CellHTML(HTMLParser):
    """Lines of a cell written in HTML, as the invitation's web version is."""

    _BLOCKS = {"br", "p", "div", "ul", "ol", "li", "small", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.hints, self.buffer = [], ["text"], []

    def _break(self):
        text = "".join(self.buffer)
        if text.strip():
            self.lines.append((self.hints[-1], text))
        self.buffer = []

    def handle_starttag(self, tag, attrs):
        if tag in self._BLOCKS:
            self._break()
        if tag == "small":
            self.hints.append("people")
        elif tag == "li":
            self.hints.append("bullet")

    def handle_endtag(self, tag):
        if tag in self._BLOCKS:
            self._break()
        if tag in ("small", "li") and len(self.hints) > 1:
            self.hints.pop()

    def handle_data(self, data):
        for number, part in enumerate(data.split("\n")):
            if number:
                self._break()
            self.buffer.append(part)

    def finish(self):
        self._break()
        return self.lines


def _split_commas(text):
    """``text`` split at commas outside brackets: "Chercheur (2L2S, Metz), GREE" is two parts."""
    parts, depth, start = [], 0, 0
    for index, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _join(before, after):
    if re.search(r"[^\W\d_]-$", before):
        return before + after
    return f"{before} {after}"
