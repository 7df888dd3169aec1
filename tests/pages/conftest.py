import json

import pytest

from pages import demo


@pytest.fixture
def site_pages(db):
    """The demo's legal pages and publisher, complete in both languages."""
    return {page.kind: page for page in demo.load()}


@pytest.fixture
def audit_file(tmp_path):
    """``audit_file(pages)`` writes a results.json as scripts/audit.mjs does and returns its path;
    ``pages`` is {label: [failures]}."""

    def write(pages, failures=()):
        data = {
            "seconds": 321,
            "failures": [*failures, *[f for found in pages.values() for f in found]],
            "pages": [
                {
                    "page": label,
                    "path": "/fr/" if label.endswith("[fr]") else "/de/",
                    "status": 200,
                    "cells": {},
                    "failures": found,
                    "allowed": [],
                }
                for label, found in pages.items()
            ],
        }
        path = tmp_path / "results.json"
        path.write_text(json.dumps(data))
        return path

    return write


def finding(page, tool, rule, message, element="main > img"):
    return {"page": page, "tool": tool, "rule": rule, "element": element, "message": message}
