"""The secretariat's registration screens: cancelling an event with registrants (events.py);
the registration form of each event (setup.py);
registrations with their filters, moves, attendance and the per-event overview, CSV export
and sign-in sheet (registrations.py, reports.py)."""

from . import events, registrations, setup  # noqa: F401 (they register their admin classes)
