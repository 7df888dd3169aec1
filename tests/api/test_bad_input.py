"""The fuzz battery (tests/test_fuzz.py) on the pages that answer unknown parameters with a 400
rather than a redirect: the API's list and event, and the embeddable list. Known parameters
spelled otherwise are still redirected to their one canonical address, which then names the bad
value in a 400."""

import pytest
from django.test import Client

from tests.test_fuzz import QUERIES, assert_not_echoed, pages  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

# case: (api:events, api:event, embed); a 301's address answers 400 in turn.
EXPECTED = {
    "1 MB query string": (414, 414, 414),
    "too many parameters": (400, 400, 400),
    "unknown parameter": (400, 400, 400),
    "repeated parameter": (301, 400, 301),
    "empty parameters": (400, 400, 400),  # year is no parameter of theirs
    "page 0": (400, 400, 400),
    "page -1": (400, 400, 400),
    "page 99999999999999999999": (404, 400, 400),  # a page past the last: the list's 404
    "page of 5,000 digits": (400, 400, 400),
    "NUL byte in a parameter": (400, 400, 400),
    "invalid UTF-8 in a parameter": (301, 400, 301),
    "malformed percent-encoding": (301, 400, 301),
    "markup in a parameter": (301, 400, 301),
}
NAMES = ("api:events", "api:event", "embed")


@pytest.mark.parametrize("case", list(QUERIES))
def test_bad_query_strings_on_the_strict_pages(pages, case):  # noqa: F811 - the fixture
    query = QUERIES[case][0]
    client = Client()
    answers = {name: client.get(f"{pages[name][0]}?{query}") for name in NAMES}
    assert tuple(answers[name].status_code for name in NAMES) == EXPECTED[case]
    for name, response in answers.items():
        assert_not_echoed(response)
        if response.status_code == 301:
            followed = client.get(response["Location"])
            assert followed.status_code == 400
            assert_not_echoed(followed)
        if (
            name.startswith("api:")
            and response.status_code in (400, 404)
            and case
            not in (
                "too many parameters",
                "NUL byte in a parameter",
            )
        ):
            assert response["Content-Type"] == "application/json; charset=utf-8"
