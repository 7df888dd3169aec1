"""The crawler of `make audit` (scripts/audit.py): what it follows and how it names page types.
(The audit itself needs Node and a browser: `make audit`, run by CI after `make test`.)"""

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("audit", Path(settings.BASE_DIR) / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def test_links_and_each_choice_of_a_get_form_are_followed():
    parser = audit.PageLinks()
    parser.feed(
        """<a href="/de/veranstaltungen/">Liste</a>
        <form method="get" action="/de/veranstaltungen/">
          <select name="city"><option value="">Alle</option><option value="metz">Metz</option>
            <option value="trier">Trier</option></select>
          <select name="year"><option value="">Alle</option><option value="2017">2017</option></select>
        </form>
        <form method="post" action="/anmelden/"><select name="x"><option value="1">1</option></select></form>"""
    )
    assert parser.links == ["/de/veranstaltungen/", "/de/veranstaltungen/?city=metz", "/de/veranstaltungen/?year=2017"]


@pytest.mark.parametrize(
    ("path", "query", "kind"),
    [
        ("/de/", "", "home"),
        ("/fr/evenements/", "", "events:list"),
        ("/fr/evenements/", "page=1", "events:list"),  # the first page is the list itself
        ("/de/veranstaltungen/", "page=2", "events:list ?page"),
        ("/de/veranstaltungen/vergangene/", "city=metz&year=", "events:past ?filtered"),
        ("/de/veranstaltungen/ein-treffen/", "", "events:detail"),
        ("/fr/evenements/une-rencontre/programme/", "", "events:programme"),
        ("/de/gibt/es/nicht/", "", None),
    ],
)
def test_a_page_type_is_the_url_name_and_what_the_query_does(path, query, kind):
    assert audit.page_type(path, query) == kind
