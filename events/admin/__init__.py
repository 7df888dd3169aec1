"""The admin of the secretariat, one module per screen:

- ``reference``: cities, categories, project groups, venues and people;
- ``programme``: the programme editor on the event form (a row per slot, both titles side by side,
  speakers and workshops in the row's detail; the forms are events/programme/editor_forms.py);
- ``paste``: "Paste the programme", the invitation's table pasted, previewed and saved;
- ``events``: the events list and the event form (completeness panel, publishing confirmation);
- ``translation``: the side-by-side DE | FR page of an event's texts;
- ``history``: who changed what, with the differences, and restoring (django-reversion).

Every translated text of the event itself has FR/DE tabs (django-modeltranslation's
``TabbedTranslationAdmin``, jQuery UI from our own static files, settings.JQUERY_UI_URL); the
programme shows both languages side by side instead.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..history import register_models

register_models()  # before the admins below, which would register them with less (see there)

from . import events, reference  # noqa: E402, F401  (they register the models' admins)
from .events import duplicate_event  # noqa: E402, F401  (copying an event with its programme)

admin.site.site_header = _("QuattroPole events")
admin.site.site_title = _("QuattroPole events")
