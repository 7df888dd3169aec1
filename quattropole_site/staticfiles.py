"""Static files taken from XStatic packages (front-end libraries packaged on PyPI).

The packages ship whole distributions; the site uses a file or two of each. Collecting only
those keeps `collectstatic` with the manifest storage sound: jQuery UI's theme stylesheets name
images the package does not ship, which the manifest storage rightly refuses. The files are
listed in settings.XSTATIC_FILES as {package module: (prefix under STATIC_URL, [file names])}.
"""

import importlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class XStaticFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.files = {}  # path under STATIC_URL → absolute path
        self.storages = {}  # prefix → storage over the package's folder
        for module_name, (prefix, names) in getattr(settings, "XSTATIC_FILES", {}).items():
            base_dir = Path(importlib.import_module(module_name).BASE_DIR)
            storage = FileSystemStorage(location=base_dir)
            storage.prefix = prefix
            self.storages[prefix] = storage
            for name in names:
                self.files[f"{prefix}/{name}"] = base_dir / name

    def check(self, **kwargs):
        return [
            Error(f"XSTATIC_FILES names {path}, which is not at {file}.", id="quattropole.E001")
            for path, file in self.files.items()
            if not file.is_file()
        ]

    def find(self, path, find_all=False, **kwargs):
        file = self.files.get(path)
        if file is None or not file.is_file():
            return [] if find_all else None
        return [str(file)] if find_all else str(file)

    def list(self, ignore_patterns):
        for path in self.files:
            prefix, name = path.split("/", 1)
            yield name, self.storages[prefix]
