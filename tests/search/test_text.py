"""Folding, query words and extracts: the pure text functions of the search (search/text.py)."""

from events.folding import fold
from search.text import document_folding, extract, mark, query_words


def test_fold_removes_accents_case_and_ligatures():
    assert fold("Trèves") == "treves"
    assert fold("Lëtzebuerg") == "letzebuerg"
    assert fold("Straße") == "strasse"
    assert fold("Œuvre") == "oeuvre"


def test_a_document_also_carries_the_german_spelling_without_umlauts():
    folded = document_folding("Rathaus Saarbrücken, Großer Saal")
    assert "saarbrucken" in folded and "saarbruecken" in folded
    assert "grosser" in folded


def test_query_words_keep_searchable_words_once():
    assert query_words("  Trèves, TRÈVES!! a ?! Lëtzebuerg ") == ["treves", "letzebuerg"]
    assert query_words("?!") == []
    assert query_words("a") == []


def test_extract_marks_the_matched_words_and_escapes_the_rest():
    text = "Stadt Trier\nDas Städtenetz <QuattroPole> Luxemburg, Metz, Saarbrücken und Trier hat die Frage gestellt."
    shown = extract(text, [["saarbruecken", "saarbrucken"]])
    assert "<mark>Saarbrücken</mark>" in shown
    assert "&lt;QuattroPole&gt;" in shown and "<QuattroPole>" not in shown


def test_extract_marks_a_longer_word_that_the_query_begins():
    assert "<mark>Arbeitsgruppen</mark>" in extract("Zwei Arbeitsgruppen am Nachmittag", [["arbeitsgruppe"]])


def test_mark_marks_whole_words_in_a_title():
    assert mark("Straße in Saarbrücken", [["strasse"]]) == "<mark>Straße</mark> in Saarbrücken"
