"""Only Django's documented API: no module of the project imports a private name of Django (one
that starts with an underscore, or from a module that does) nor one of the undocumented helpers
that look public (the admin's ``utils`` module, its widget wrapper, the deletion collector).
Their behaviour changes without notice between releases; an upgrade would break the admin
silently. Checked on the source of every module the project keeps in git, migrations (which
Django writes itself) aside."""

import ast
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Modules of Django that its documentation does not describe: nothing of them is imported.
UNDOCUMENTED_MODULES = {
    "django.contrib.admin.utils",  # quote, unquote, NestedObjects, lookup_field…
    "django.db.models.deletion",  # Collector (ProtectedError and RestrictedError: from django.db.models)
    "django.db.models.sql",
}
# Names that look public in modules that are documented for other names.
UNDOCUMENTED_NAMES = {
    ("django.contrib.admin.widgets", "RelatedFieldWidgetWrapper"),
    ("django.db.models.fields.files", "ImageFieldFile"),
    ("django.urls", "get_resolver"),  # resolve() is the documented way
    ("django.utils.safestring", "SafeData"),  # SafeString and the __html__ protocol are documented
}


def project_modules():
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [path for path in listed.stdout.split() if "/migrations/" not in path]


def private(dotted):
    return any(part.startswith("_") for part in dotted.split("."))


def imports(source):
    """(module, name) of each import of ``source``; name is None for ``import module``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield from ((node.module, alias.name) for alias in node.names)


def undocumented(module, name):
    """Why importing ``name`` from ``module`` (a Django module) leaves the documented API, or None."""
    if not (module == "django" or module.startswith("django.")):
        return None
    if private(module) or (name and private(name)):
        return "a private name"
    for dotted in (module, f"{module}.{name}" if name else module):
        if any(dotted == denied or dotted.startswith(denied + ".") for denied in UNDOCUMENTED_MODULES):
            return "an undocumented module"
    if (module, name) in UNDOCUMENTED_NAMES:
        return "an undocumented name"
    return None


def findings(paths):
    found = {}
    for path in paths:
        for module, name in imports((ROOT / path).read_text()):
            reason = undocumented(module, name)
            if reason:
                found[(path, f"{module}.{name}" if name else module)] = reason
    return found


def test_no_module_imports_an_undocumented_django_api():
    found = findings(project_modules())
    assert not found, "\n".join(f"{path}: {name} ({reason})" for (path, name), reason in found.items())


def test_the_check_finds_each_kind_of_undocumented_import(tmp_path, monkeypatch):
    """The rule itself, on a module written for it: each kind of import it refuses, and none of the
    documented ones it allows."""
    (tmp_path / "sample.py").write_text(
        "from django.contrib.admin.utils import quote, unquote\n"
        "from django.db.models.deletion import Collector\n"
        "import django.db.models.sql.compiler\n"
        "from django.contrib.admin.widgets import RelatedFieldWidgetWrapper\n"
        "from django.utils.translation import _trans\n"
        "from django.db.models.query import _prefetched\n"
        "from django.db.models import ProtectedError, Prefetch\n"
        "from django.contrib.admin import ModelAdmin\n"
        "from .utils import _ours\n"
    )
    monkeypatch.setattr("tests.test_django_api.ROOT", tmp_path)

    found = findings(["sample.py"])

    assert {name: reason for (_path, name), reason in found.items()} == {
        "django.contrib.admin.utils.quote": "an undocumented module",
        "django.contrib.admin.utils.unquote": "an undocumented module",
        "django.db.models.deletion.Collector": "an undocumented module",
        "django.db.models.sql.compiler": "an undocumented module",
        "django.contrib.admin.widgets.RelatedFieldWidgetWrapper": "an undocumented name",
        "django.utils.translation._trans": "a private name",
        "django.db.models.query._prefetched": "a private name",
    }
