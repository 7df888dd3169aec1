"""The programme of an event: everything staff use to write it, in one package.

- ``times``: times of day as staff write them (``9h30``, ``9:30 Uhr``) and where a slot's time
  falls in its event — pure functions;
- ``fields``: ``ClockTimeField``, the form field that reads those times;
- ``paste/``: the paste parser — text in, a proposal and named problems out (pure: no forms,
  no database);
- ``planner``: a pasted proposal placed in an event (days, times, people matched) and saved once
  staff confirm — no forms;
- ``paste_forms``: the paste page's forms (the pasted text; staff's choices on the preview);
- ``editor_forms``: the programme editor's forms on the event's change form;
- ``completeness``: what an event and its programme still lack in one language.

The admin screens that show them are in ``events/admin/`` (programme.py, paste.py).
"""
