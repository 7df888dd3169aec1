"""events.programme.paste: a programme pasted from the invitation becomes a proposal — slots,
speakers, workshops — with named problems. Pure: strings in, dataclasses out, no database.

The proof is the seed: the programme section of the 2017 invitation (tests/data, a copy of
../shared/seeds/001_eda461961dc65b42.txt) gives, slot by slot, the 2017 programme that the demo
content publishes. The same programme written out as Word, LibreOffice Calc and PDF copies
would come, or in two pastes, gives it too."""

import datetime
import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from events.demo.content import CONFERENCE_2017, PEOPLE
from events.models import ProgrammeSlot
from events.programme import times
from events.programme.paste import (
    KIND_LABELS,
    MESSAGES,
    complete_programme,
    example,
    kind_of_title,
    name_key,
    parse_programme,
)
from events.programme.paste.content import looks_like_people, parse_people, read_cell

T = datetime.time
DATA = Path(__file__).parent / "data"
SEED = DATA / "001_eda461961dc65b42.txt"
# The SHA-256 of ../shared/seeds/001_eda461961dc65b42.txt, the network's document as handed over.
SEED_SHA256 = "1dbcd5929d3c1b38d2dd01b646c4cf052148a6b73b2787424f0897d8bf5375e0"
DEMO = CONFERENCE_2017["programme"]


def seed_programme_section():
    """The invitation's "PROGRAMME / PROGRAMM" section, from its heading to the end."""
    text = SEED.read_text(encoding="utf-8")
    return text[text.index("# PROGRAMME / PROGRAMM") :]


def codes(proposal):
    return [problem.code for problem in proposal.problems]


def assert_is_the_2017_programme(proposal):
    """Slot by slot what events/demo/content.py publishes: time, kind, both titles, the
    workshops in both languages, the speakers with role and affiliation in both languages."""
    assert proposal.languages == ("fr", "de")
    assert len(proposal.slots) == len(DEMO) == 9
    for slot, expected in zip(proposal.slots, DEMO, strict=True):
        assert slot.start == T(*expected["time"]), expected["title_fr"]
        assert slot.end is None
        assert slot.kind == expected["kind"], expected["title_fr"]
        assert (slot.title_fr, slot.title_de) == (expected["title_fr"], expected["title_de"])
        assert (slot.description_fr, slot.description_de) == ("", "")
        assert [(w.title_fr, w.title_de) for w in slot.workshops] == expected["workshops"]
        assert [speaker.name for speaker in slot.speakers] == expected["speakers"]
        for speaker in slot.speakers:
            person = PEOPLE[speaker.name]
            for field in ("role_fr", "role_de", "affiliation_fr", "affiliation_de"):
                assert getattr(speaker, field) == person.get(field, ""), (speaker.name, field)


# --- The seed ---------------------------------------------------------------------------------


def test_fixture_is_the_seed():
    """tests/data holds the seed verbatim: the parser is proven on the invitation as the network
    wrote it, never on a copy adjusted to suit it. Checked against the original's SHA-256, so that
    it runs everywhere (CI's clean clone has no ../shared next to it)."""
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256


def test_seed_programme_section_is_the_2017_programme():
    proposal = parse_programme(seed_programme_section())
    assert_is_the_2017_programme(proposal)
    assert proposal.can_confirm
    ferry = proposal.slots[2].speakers[0]
    assert proposal.slots[2].start == T(10, 15) and ferry.name == "Vincent Ferry"
    assert ferry.affiliation_fr == "Groupe de Recherche sur l'Education et l'Emploi (GREE)"
    assert ferry.affiliation_de == "Forschungsgruppe für Bildung und Arbeit (GREE)"
    round_table = proposal.slots[7]
    assert round_table.start == T(15, 45) and len(round_table.speakers) == 4
    # The invitation's spelling "Sarrebrück" is kept, as the demo content keeps it.
    assert round_table.speakers[2].affiliation_fr == "Ville de Sarrebrück"
    # The heading above the table and the notes under it are named as left out, nothing else.
    assert codes(proposal) == ["ignored_text", "ignored_text"]
    heading, notes = proposal.problems
    assert (heading.line, heading.end_line) == (1, 15)
    assert heading.params["excerpt"].startswith("# PROGRAMME / PROGRAMM 22. Novembre/November 2017")
    assert (notes.line, notes.end_line) == (27, 33)
    assert "Interprétariat simultané" in notes.params["excerpt"]
    assert not heading.blocking and not notes.blocking


def test_seed_table_rows_alone_have_no_problem():
    rows = [line for line in seed_programme_section().splitlines() if "\t" in line]
    assert len(rows) == 9
    proposal = parse_programme("\n".join(rows))
    assert_is_the_2017_programme(proposal)
    assert proposal.problems == []


# --- The same programme as word processors, spreadsheets and PDF viewers copy it -----------


def clock(language, hour, minute):
    if language == "fr":
        return f"{hour}h{minute:02d}" if minute else f"{hour}h"
    return f"{hour}:{minute:02d}"


def paragraphs(slot, language, bullet="• "):
    """A slot's cell as paragraphs: title, people, workshops."""
    lines = [slot[f"title_{language}"]]
    if slot["speakers"]:
        people = []
        for name in slot["speakers"]:
            person = PEOPLE[name]
            parts = [name, person.get(f"role_{language}", ""), person.get(f"affiliation_{language}", "")]
            people.append(", ".join(part for part in parts if part))
        lines.append((" ; " if language == "fr" else "; ").join(people))
    index = 0 if language == "fr" else 1
    lines += [bullet + workshop[index] for workshop in slot["workshops"]]
    return lines


def word_table(slots, newline="\r\n"):
    """Word's plain-text copy of a table: tabs between cells, cells' paragraphs on their own
    lines (unquoted), bullets as Word's private-use bullet and a tab."""
    rows = []
    for slot in slots:
        cells = []
        for language in ("fr", "de"):
            cells += [clock(language, *slot["time"]), newline.join(paragraphs(slot, language, "\uf0b7\t"))]
        rows.append("\t".join(cells))
    return newline.join(rows) + newline


def calc_table(slots):
    """LibreOffice Calc / Excel: cells with line breaks come quoted, quotes doubled."""

    def cell(text):
        return '"' + text.replace('"', '""') + '"' if "\n" in text or '"' in text else text

    rows = []
    for slot in slots:
        cells = []
        for language in ("fr", "de"):
            cells += [clock(language, *slot["time"]), cell("\n".join(paragraphs(slot, language, "- ")))]
        rows.append("\t".join(cells))
    return "\n".join(rows) + "\n"


def one_language(slots, language, separator="\t"):
    lines = []
    for slot in slots:
        first, *rest = paragraphs(slot, language)
        lines += [f"{clock(language, *slot['time'])}{separator}{first}", *rest]
    return "\n".join(lines) + "\n"


def test_word_table_copy():
    proposal = parse_programme(word_table(DEMO))
    assert_is_the_2017_programme(proposal)
    assert proposal.problems == []


def test_spreadsheet_copy_with_quoted_cells():
    text = calc_table(DEMO)
    assert '"Travail en ateliers' in text  # the workshops' cell is quoted
    proposal = parse_programme(text)
    assert_is_the_2017_programme(proposal)
    assert proposal.problems == []


def test_one_language_then_the_other():
    french = parse_programme(one_language(DEMO, "fr"), "fr")
    assert french.languages == ("fr",)
    assert [slot.title_fr for slot in french.slots] == [slot["title_fr"] for slot in DEMO]
    assert all(slot.title_de == "" for slot in french.slots)
    assert french.problems == []  # a German text still to come is no problem
    proposal = complete_programme(french, one_language(DEMO, "de"))
    assert_is_the_2017_programme(proposal)
    assert proposal.problems == []


def test_one_language_paste_tells_its_language():
    proposal = parse_programme(one_language(DEMO, "de"))
    assert proposal.languages == ("de",)
    assert proposal.slots[0].title_de == "Empfang der Teilnehmer"
    assert complete_programme(proposal, one_language(DEMO, "fr")).languages == ("fr", "de")


def test_pdf_copy_one_column_after_the_other():
    """A PDF viewer copies the left column, then the right one: time and text on a line,
    separated by a space."""
    text = one_language(DEMO, "fr", " ") + one_language(DEMO, "de", " ")
    assert "\t" not in text
    proposal = parse_programme(text)
    assert_is_the_2017_programme(proposal)
    # In plain text a line may be wrapped: the round table's French title is the longest
    # line, so the people line under it might have been its end. Read as people, and said so.
    [doubt] = proposal.problems
    assert (doubt.code, doubt.slot, doubt.language, doubt.blocking) == ("people_or_title", 8, "fr", False)
    assert proposal.can_confirm


def test_copy_cell_by_cell():
    """LibreOffice Writer and PDF viewers may copy each cell on its own lines: French time,
    French text (title, people, bullets), German time, German text, row after row."""
    lines = []
    for slot in DEMO:
        for language in ("fr", "de"):
            lines += [clock(language, *slot["time"]), *paragraphs(slot, language, "•\t")]
    proposal = parse_programme("\n".join(lines))
    assert_is_the_2017_programme(proposal)
    # Lines may be a PDF's wrapping: the people under the longest title are said to be a guess.
    assert codes(proposal) == ["people_or_title"] and proposal.can_confirm


PDF_LAYOUT = """\
PROGRAMME                                        PROGRAMM

9h30    Accueil des participants                 9:30    Empfang der Teilnehmer
10h15   L'immigration en Grande Région : une     10:15   Einwanderung in der Großregion:
        analyse historique comparée                      eine vergleichende Analyse
        Vincent Ferry, Chercheur au                      Vincent Ferry, Forscher am
        Laboratoire (2L2S), Groupe GREE                  Institut (2L2S), Gruppe GREE
11h     Travail en ateliers                      11:00   Vertiefung in Arbeitsgruppen
        • Emploi et insertion                            • Beschäftigung und berufliche
          professionnelle                                  Eingliederung
        • Education et petite enfance                    • Bildung
15h45   Table ronde de clôture                   15:45   Abschlussrunde
        Madeleine Kayser, Ville de Luxembourg ;          Madeleine Kayser, Stadt Luxemburg;
        Sylvie Bortot, CCAS Metz                         Sylvie Bortot, CCAS Metz
"""


def test_pdf_copy_with_spaces_for_columns():
    """A PDF copied with its layout: wide gaps instead of tabs, wrapped lines under each
    column, continuing that column's text."""
    proposal = parse_programme(PDF_LAYOUT)
    assert [(s.start, s.kind) for s in proposal.slots] == [
        (T(9, 30), "reception"),
        (T(10, 15), "talk"),
        (T(11), "workshops"),
        (T(15, 45), "round_table"),
    ]
    talk = proposal.slots[1]
    assert talk.title_fr == "L'immigration en Grande Région : une analyse historique comparée"
    assert talk.title_de == "Einwanderung in der Großregion: eine vergleichende Analyse"
    [ferry] = talk.speakers
    assert (ferry.role_fr, ferry.affiliation_fr) == ("Chercheur au Laboratoire (2L2S)", "Groupe GREE")
    assert (ferry.role_de, ferry.affiliation_de) == ("Forscher am Institut (2L2S)", "Gruppe GREE")
    assert [(w.title_fr, w.title_de) for w in proposal.slots[2].workshops] == [
        ("Emploi et insertion professionnelle", "Beschäftigung und berufliche Eingliederung"),
        ("Education et petite enfance", "Bildung"),
    ]
    assert [(p.name, p.affiliation_fr, p.affiliation_de) for p in proposal.slots[3].speakers] == [
        ("Madeleine Kayser", "Ville de Luxembourg", "Stadt Luxemburg"),
        ("Sylvie Bortot", "CCAS Metz", "CCAS Metz"),
    ]
    # The lines above the people end short of the column's width: the titles ended there.
    assert codes(proposal) == ["ignored_text"]
    assert proposal.problems[0].params == {"excerpt": "PROGRAMME PROGRAMM"}


def test_pdf_copy_where_a_title_may_go_on_with_a_name():
    """A wrapped title whose next line begins with a name reads like a line of people: the
    parser cannot tell, so it says so rather than deciding silently."""
    text = (
        "9h30    Accueil des participants                 9:30    Empfang der Teilnehmer\n"
        "10h     Ouverture par Monsieur le Maire          10:00   Eröffnung durch Herrn\n"
        "        Dominique Gros, Président de                     Oberbürgermeister Dominique Gros,\n"
        "        l'association QuattroPole                        Präsident von QuattroPole e.V.\n"
    )
    proposal = parse_programme(text)
    opening = proposal.slots[1]
    assert opening.title_fr == "Ouverture par Monsieur le Maire"
    assert [(p.code, p.slot, p.language, p.line, p.blocking) for p in proposal.problems[:2]] == [
        ("people_or_title", 2, "fr", 2, False),
        ("people_or_title", 2, "de", 2, False),
    ]
    with translation.override("fr"):
        assert proposal.problems[0].message == (
            "«\u00a0Dominique Gros, Président de\u00a0» a été lu comme les intervenants de ce point du programme, "
            "mais peut aussi être la suite de la ligne précédente\u00a0: vérifiez."
        )


# --- Named problems ---------------------------------------------------------------------------


def test_table_with_a_missing_row():
    rows = [line for line in seed_programme_section().splitlines() if "\t" in line]
    rows[3] = rows[3].split("\t10:45")[0]  # 10h45: no German cells
    rows[5] = "\t\t" + rows[5].split("\t", 2)[2]  # 12:45: no French cells
    proposal = parse_programme("\n".join(rows))
    assert len(proposal.slots) == 9
    assert codes(proposal) == ["only_in_french", "only_in_german"]
    only_fr, only_de = proposal.problems
    assert (only_fr.slot, only_fr.line) == (4, 4)
    assert only_fr.message == "„Echanges avec la salle“ steht nur im französischen Programm."
    assert (only_de.slot, only_de.line) == (6, 6)
    with translation.override("fr"):
        assert only_de.message == (
            "«\u00a0Mittagessen « Cuisine du monde »\u00a0» ne figure que dans le programme allemand."
        )
    assert proposal.slots[3].title_de == "" and proposal.slots[5].title_fr == ""
    assert proposal.slots[5].start == T(12, 45) and proposal.slots[5].kind == "meal"


def test_table_with_differing_times():
    text = word_table(DEMO).replace("\t10:15\t", "\t10:20\t")
    proposal = parse_programme(text)
    assert codes(proposal) == ["times_differ"]
    [problem] = proposal.problems
    assert problem.blocking and problem.slot == 3
    assert proposal.slots[2].start is None  # not guessed
    assert not proposal.can_confirm
    with translation.override("de"):
        assert problem.message == (
            "Die französische Uhrzeit (10:15) und die deutsche (10:20) weichen voneinander ab: Welche stimmt?"
        )


def test_second_paste_with_a_missing_row_and_a_differing_time():
    german = [slot for slot in DEMO if slot["time"] != (10, 45)]
    french = parse_programme(one_language(DEMO, "fr"), "fr")
    proposal = complete_programme(french, one_language(german, "de"))
    assert [s.start for s in proposal.slots] == [T(*slot["time"]) for slot in DEMO]
    assert codes(proposal) == ["only_in_french"]
    assert proposal.problems[0].slot == 4 and proposal.can_confirm

    german_late = one_language(DEMO, "de").replace("10:15\t", "10:20\t")
    proposal = complete_programme(french, german_late)
    assert codes(proposal) == ["times_differ"]
    assert proposal.problems[0].params == {"time_fr": "10:15", "time_de": "10:20"}
    assert not proposal.can_confirm


def test_unreadable_times():
    proposal = parse_programme("9h75\tAccueil\t9:45\tEmpfang\n10h\tOuverture\t10h99\tEröffnung\n25h\tFin\t25:00\tEnde")
    assert [s.start for s in proposal.slots] == [T(9, 45), T(10), None]
    assert [(p.code, p.slot, p.language, p.blocking) for p in proposal.problems] == [
        ("unreadable_time", 1, "fr", False),  # the German time is readable and used
        ("unreadable_time", 2, "de", False),
        ("unreadable_time", 3, "fr", True),  # no time at all
        ("unreadable_time", 3, "de", True),
    ]
    with translation.override("fr"):
        assert proposal.problems[0].message == (
            "«\u00a09h75\u00a0» n’est pas une heure\u00a0: les minutes doivent être comprises entre 00 et 59."
        )
    assert not proposal.can_confirm


def test_more_columns_than_a_programme_has():
    proposal = parse_programme("9h30\tAccueil\t9:30\tEmpfang\tSalle 1\tRaum 1\n10h\tOuverture\t10:00\tEröffnung")
    assert len(proposal.slots) == 2
    [problem] = proposal.problems
    assert (problem.code, problem.line, problem.blocking) == ("column_count", 1, True)
    assert problem.params == {"count": 6, "excerpt": "Salle 1 | Raum 1"}


@pytest.mark.parametrize("garbage", ["", "   \n\t \n", "\u200b\ufeff"])
def test_empty_paste(garbage):
    proposal = parse_programme(garbage)
    assert codes(proposal) == ["empty"] and not proposal.can_confirm


@pytest.mark.parametrize(
    "garbage",
    [
        "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit.",
        "<script>alert(1)</script>",
        "1 place d'Armes\n57036 Metz\n22.11.2017",
        "\x00\x01\x02 ����",
        '"unclosed\tquote\n',
    ],
)
def test_garbage_is_no_programme(garbage):
    proposal = parse_programme(garbage)
    assert proposal.slots == []
    assert codes(proposal)[0] == "no_programme" and not proposal.can_confirm
    assert all(p.code in ("no_programme", "ignored_text") for p in proposal.problems)


def test_language_unknown_and_mismatched():
    proposal = parse_programme("9:30\tPause\n10:00\tLunch")
    assert codes(proposal) == ["language_unknown"] and not proposal.can_confirm
    proposal = parse_programme("9:30\tPause\n10:00\tLunch", "de")
    assert proposal.can_confirm and proposal.slots[0].title_de == "Pause"
    proposal = parse_programme(one_language(DEMO, "de"), "fr")
    assert codes(proposal) == ["reads_like_german"]


def test_the_same_language_pasted_twice():
    french = parse_programme(one_language(DEMO, "fr"))
    proposal = complete_programme(french, one_language(DEMO, "fr"))
    assert codes(proposal) == ["french_already_present"] and not proposal.can_confirm
    assert all(slot.title_de == "" for slot in proposal.slots)  # nothing French in German
    bilingual = parse_programme(word_table(DEMO))
    assert codes(complete_programme(bilingual, one_language(DEMO, "fr"))) == ["already_bilingual"]


def test_columns_in_the_other_order():
    swapped = "\n".join(
        f"{clock('de', *s['time'])}\t{s['title_de']}\t{clock('fr', *s['time'])}\t{s['title_fr']}" for s in DEMO
    )
    proposal = parse_programme(swapped)
    assert "columns_swapped" in codes(proposal) and not proposal.can_confirm
    proposal = parse_programme(swapped, order=("de", "fr"))
    assert codes(proposal) == ["no_workshops"]  # the titles alone: the workshops slot lists none
    assert proposal.slots[0].title_fr == "Accueil des participants"


def test_three_columns_time_french_german():
    text = "\n".join(f"{clock('fr', *s['time'])}\t{s['title_fr']}\t{s['title_de']}" for s in DEMO)
    proposal = parse_programme(text)
    assert [(s.start, s.title_fr, s.title_de) for s in proposal.slots] == [
        (T(*s["time"]), s["title_fr"], s["title_de"]) for s in DEMO
    ]
    # Without its speaker line, 10:15 is no longer recognisably a talk.
    assert [s.kind for s in proposal.slots] == [s["kind"] if s["kind"] != "talk" else "other" for s in DEMO]


def test_time_ranges_and_descriptions():
    text = (
        "9h30 – 10h\tAccueil\r\nCafé et croissants\t9:30 – 10:00\tEmpfang\r\nKaffee und Croissants\r\n"
        "10h\tVisite\t10:00 – 11:00 Uhr\tFührung\r\n"
    )
    proposal = parse_programme(text)
    first, second = proposal.slots
    assert (first.start, first.end) == (T(9, 30), T(10))
    assert (first.description_fr, first.description_de) == ("Café et croissants", "Kaffee und Croissants")
    assert (second.start, second.end) == (T(10), T(11))  # one language gave the end


def test_times_going_back_and_several_days():
    text = (
        "Mercredi 22 novembre\n9h30\tAccueil des participants\n14h\tAteliers\n11h\tDéjeuner\n"
        "Jeudi 23 novembre\n9h\tAccueil du deuxième jour\n"
    )
    proposal = parse_programme(text, "fr")
    assert [(s.day, s.start) for s in proposal.slots] == [(0, T(9, 30)), (0, T(14)), (0, T(11)), (1, T(9))]
    assert codes(proposal) == ["no_workshops", "times_go_back"]  # 14h Ateliers lists none
    assert proposal.problems[1].params == {"time": "11:00", "previous": "14:00"}


def test_speakers_named_in_one_language_or_spelt_differently():
    text = (
        "10h\tConférence\r\nAnna Muster, Ville de Metz ; Jean Exemple, CCAS\t10:00\tVortrag\r\n"
        "Anna Müster, Stadt Metz\r\n"
    )
    proposal = parse_programme(text)
    [slot] = proposal.slots
    assert [(s.name, s.affiliation_fr, s.affiliation_de) for s in slot.speakers] == [
        ("Anna Muster", "Ville de Metz", "Stadt Metz"),
        ("Jean Exemple", "CCAS", ""),
    ]
    assert codes(proposal) == ["name_spellings_differ", "speaker_only_in_french"]


@pytest.mark.parametrize(
    "template",
    [*MESSAGES.values(), times.EMPTY, times.NOT_A_TIME, *times.REASONS.values(), *times.SLOT_MESSAGES.values()],
)
def test_every_message_is_translated(template):
    """Staff read every problem in their language, never the English message id."""
    with translation.override(None):
        english = str(template)
    translated = {}
    for language in ("de", "fr"):
        with translation.override(language):
            translated[language] = str(template)
    assert english not in translated.values(), translated


def test_the_parser_needs_no_database_nor_forms(tmp_path):
    """Text in, dataclasses out: the parser runs without Django's settings, models or forms."""
    import subprocess
    import sys

    script = (
        "import sys, events.programme.times, events.programme.paste as paste\n"
        f"text = open({str(SEED)!r}, encoding='utf-8').read()\n"
        "proposal = paste.parse_programme(text[text.index('# PROGRAMME'):])\n"
        "loaded = [m for m in sys.modules if m.startswith(('django.db', 'django.forms', 'events.models'))]\n"
        "print(len(proposal.slots), loaded)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.BASE_DIR)}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "9 []"


@pytest.mark.parametrize(
    "text",
    [
        "14h\tAteliers : Mobilité ; Culture\t14:00 Uhr\tArbeitsgruppen: Mobilität; Kultur",
        # As French is typeset (no-break spaces), with a full stop, and after a title of its own.
        "14h\tAteliers\u00a0: Mobilité\u202f; Culture.\t14:00 Uhr\tArbeitsgruppen: Mobilität; Kultur.",
        '14h\t"Ateliers\nAteliers : Mobilité ; Culture"\t14:00 Uhr\t"Arbeitsgruppen\n'
        'Arbeitsgruppen: Mobilität; Kultur"',
    ],
)
def test_workshops_written_on_one_line(text):
    """ "Ateliers : Mobilité ; Culture", as people write it, is two workshops (it gave none before)."""
    proposal = parse_programme(text)
    (slot,) = proposal.slots
    assert (slot.title_fr, slot.title_de, slot.kind) == ("Ateliers", "Arbeitsgruppen", "workshops")
    assert [(w.title_fr, w.title_de) for w in slot.workshops] == [("Mobilité", "Mobilität"), ("Culture", "Kultur")]
    assert proposal.problems == []


def test_workshops_on_one_line_in_one_language_then_the_other():
    proposal = parse_programme("14h\tTravail en ateliers\nWorkshops : Mobilité ; Culture", "fr")
    proposal = complete_programme(proposal, "14:00 Uhr\tArbeit in Gruppen\nArbeitsgruppen: Mobilität; Kultur")
    (slot,) = proposal.slots
    assert (slot.title_fr, slot.title_de) == ("Travail en ateliers", "Arbeit in Gruppen")
    assert [(w.title_fr, w.title_de) for w in slot.workshops] == [("Mobilité", "Mobilität"), ("Culture", "Kultur")]


@pytest.mark.parametrize(
    "title",
    [
        "Atelier : Mobilité urbaine",  # one workshop's name is the slot's title
        "Table ronde : Europe ; Culture",  # not a workshops heading
        "Ateliers de quartier",
    ],
)
def test_a_title_with_a_colon_stays_a_title(title):
    (slot,) = parse_programme(f"14h\t{title}", "fr").slots
    assert (slot.title_fr, slot.workshops) == (title, [])


def test_a_workshops_slot_without_workshops_is_named():
    proposal = parse_programme("9h\tAccueil\t9:00 Uhr\tEmpfang\n14h\tAteliers\t14:00 Uhr\tArbeitsgruppen")
    (problem,) = proposal.problems
    assert (problem.code, problem.slot, problem.blocking, problem.line) == ("no_workshops", 2, False, 2)
    assert proposal.can_confirm, "a warning, not a block"
    with translation.override("de"):
        assert "„Arbeitsgruppen“" in problem.message and "„Arbeitsgruppen: Mobilität; Kultur“" in problem.message
    with translation.override("fr"):
        assert "«\u00a0Ateliers\u00a0: Mobilité\u00a0; Culture\u00a0»" in problem.message


def test_the_example_of_the_paste_page_reads_as_it_says():
    """The example the paste page shows (events/programme/paste/example.py): a slot with two
    speakers, one with two workshops, nothing to point out."""
    proposal = parse_programme(example.as_pasted())
    assert proposal.problems == []
    reception, talk, workshops = proposal.slots
    assert [(s.kind, s.title_fr, s.title_de) for s in proposal.slots] == [
        ("reception", "Accueil des participants", "Empfang der Teilnehmer"),
        ("talk", "L’Europe au quotidien", "Europa im Alltag"),
        ("workshops", "Ateliers", "Arbeitsgruppen"),
    ]
    assert [(p.name, p.role_fr, p.role_de, p.affiliation_fr, p.affiliation_de) for p in talk.speakers] == [
        ("Marie Dupont", "Chercheuse", "Forscherin", "Université de Lorraine", "Universität Lothringen"),
        ("Jan Weber", "", "", "Ville de Trèves", "Stadt Trier"),
    ]
    assert [(w.title_fr, w.title_de) for w in workshops.workshops] == [("Mobilité", "Mobilität"), ("Culture", "Kultur")]


# --- Pieces -----------------------------------------------------------------------------------


def test_kinds_are_the_models_kinds():
    assert set(KIND_LABELS) == set(ProgrammeSlot.Kind.values)
    for language in ("de", "fr"):
        with translation.override(language):
            assert {k: str(v) for k, v in KIND_LABELS.items()} == {k: str(v) for k, v in ProgrammeSlot.Kind.choices}


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Accueil des participants", "reception"),
        ("Empfang der Teilnehmer", "reception"),
        ("Mot d'accueil", "opening"),
        ("Begrüßung", "opening"),
        ("Ouverture par Monsieur le Maire", "opening"),
        ("Eröffnung durch Herrn Oberbürgermeister", "opening"),
        ("Déjeuner « Cuisine du monde »", "meal"),
        ("Mittagessen", "meal"),
        ("Mittagspause", "meal"),
        ("Pause déjeuner", "meal"),
        ("Table ronde de clôture", "round_table"),
        ("Abschlussrunde und Ausblick", "round_table"),
        ("Podiumsdiskussion", "round_table"),
        ("Travail en ateliers et échanges de bonnes pratiques", "workshops"),
        ("Vertiefung in Arbeitsgruppen", "workshops"),
        ("Workshops", "workshops"),
        ("Synthèse des ateliers et discussion", "synthesis"),
        ("Kurzzusammenfassung der Arbeitsgruppen und Diskussion", "synthesis"),
        ("Clôture", "closing"),
        ("CLOTURE", "closing"),
        ("Abschluss", "closing"),
        ("Spectacle de clôture", "closing"),
        ("Abschlusszeremonie", "closing"),
        ("Echanges avec la salle", "discussion"),
        ("Austausch mit den Teilnehmern", "discussion"),
        ("Pause", "other"),
        ("Kaffeepause", "other"),
        ("L'immigration en Grande Région", None),
    ],
)
def test_kind_from_a_title(title, kind):
    assert kind_of_title(title) == kind


def test_kinds_that_differ_are_named():
    proposal = parse_programme("17h\tCocktail de clôture\t17:00\tEmpfang")
    assert proposal.slots[0].kind == "other"
    [problem] = proposal.problems
    assert problem.code == "kinds_differ"
    with translation.override("de"):
        assert problem.message == (
            "Der französische Titel deutet auf „Abschluss“, der deutsche auf „Empfang“: Die Art bleibt „Sonstiges“."
        )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hans-Werner Meyer", "hans werner meyer"),
        ("Dr. Hans-Werner  Méyer", "HANS-WERNER MEYER"),
        ("Sylvie Bortot", "Sylvie\u00a0Bortot"),
        ("Jürgen Groß", "Jurgen Gross"),
        ("Mme Sylvie Bortot", "sylvie bortot"),
    ],
)
def test_name_key_matches_the_same_person(a, b):
    assert name_key(a) == name_key(b)


def test_name_key_keeps_different_people_apart():
    assert name_key("Sylvie Bortot") != name_key("Sylvain Bortot")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Madeleine Kayser, Ville de Luxembourg ; Sylvie Bortot, CCAS Metz", True),
        ("Vincent Ferry, Chercheur au Laboratoire (2L2S), Groupe GREE", True),
        ("Ursula von der Leyen", True),
        ("Anna Muster (Stadt Trier)", True),
        ("Avec Vincent Ferry, Chercheur au 2L2S", True),
        ("l'association QuattroPole", False),
        ("Salle Robert Schuman", False),
        ("Recherche sur l'Education et l'Emploi (GREE)", False),
        ("Café et croissants", False),
        ("2 rue des Jardins", False),
    ],
)
def test_lines_of_people(line, expected):
    assert looks_like_people(line) is expected


def test_people_role_and_affiliation():
    assert [(p.name, p.role, p.affiliation) for p in parse_people("Anna Muster (Stadt Trier); Jean Exemple")] == [
        ("Anna Muster", "", "Stadt Trier"),
        ("Jean Exemple", "", ""),
    ]
    [person] = parse_people("Moderation: Lisa Huth, Journalistin SR3")
    assert (person.name, person.role, person.affiliation) == ("Lisa Huth", "", "Journalistin SR3")
    [person] = parse_people("Vincent Ferry, Chercheur (2L2S, Metz), Groupe GREE")
    assert (person.role, person.affiliation) == ("Chercheur (2L2S, Metz)", "Groupe GREE")


def test_cell_in_html_as_the_invitations_web_version():
    content = read_cell(
        "Titre <small>Anna Muster, Ville de Metz</small><ul><li>• Atelier A</li><li>Atelier &amp; B</li></ul>"
    )
    assert content.title == "Titre"
    assert [(p.name, p.affiliation) for p in content.people] == [("Anna Muster", "Ville de Metz")]
    assert content.workshops == ["Atelier A", "Atelier & B"]
