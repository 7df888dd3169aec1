"""The one place that decides who gets a place.

Everything that creates, changes, confirms, waitlists, promotes, moves or cancels a
registration goes through this package — the public form, the registrant's own page, the
admin, the management commands — so the rules hold everywhere. No other module writes a
registration's status, its place or its e-mails. By concern:

- ``errors``: what a refused change raises (NotOpen, NoPlace with its problems, …).
- ``addresses``: one spelling per e-mail address; the client key for the limit on holds.
- ``capacity``: the reads — the event's form, where registration stands (``state``), places
  taken and left (``availability``), a registrant's place in the line, what they may still do.
- ``booking``: the writes — a visitor's request, confirming an address, staff registering and
  moving people, cancelling, filling the waiting list, expiring unconfirmed registrations,
  cancelling an event (``cancel_event``) and changing its places (``change_capacity``).
- ``notifications``: the e-mails to registrants, each written with the task that sends it.
- ``retention``: what must happen even when nobody acts — anonymising, forgetting unconfirmed
  addresses, the sweep of ``manage.py sweep_registrations``.

The rules they keep together:

- **Places.** An event may have a total number of places, a quota per member city and a number
  of "places for other towns" (for everyone without a quota of their own), and each workshop
  may have seats. A registrant gets a place when every limit that applies to them has one left.
- **Waiting list.** Otherwise they may join the waiting list, in the order they joined it. When
  a place frees up (a cancellation, a move, more places), the first people on the list who now
  fit — same city quota, same workshop — get it, in order, and are told by e-mail.
- **Concurrency.** Every change to an event's registrations runs in one transaction that first
  locks the event's registration form row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the
  transaction itself takes the write lock, see settings ``transaction_mode``), so counts read
  inside it stay true until it commits: no overbooking, and arrival order is commit order.
- **Confirmed addresses.** A visitor's request (``request_place``) holds a place (status
  *held*) — or, when nothing fits and they ask for it, their wish to join the waiting list
  (*pending*) — for settings.REGISTRATION_HOLD_MINUTES, and sends one e-mail to the address, with
  the link that confirms it (``confirm_address``). Then the place is theirs (*confirmed*), or
  they join the waiting list's line at that moment (*waitlisted*: an address counts in the line
  only once confirmed). Past its window an unconfirmed registration is *expired*: every counting
  read ignores it at once (``availability``), and every locked change finalises the event's
  overdue ones first, giving their places to the waiting list (``booking._lock``), so correctness
  never waits for a job; the worker's task at each window's end and ``manage.py
  sweep_registrations`` do the same for events nobody touches. One client (an IPv4 address, an
  IPv6 /64) has at most settings.REGISTRATION_HOLDS_PER_CLIENT unconfirmed registrations per event
  at once. An address already registered gets the same answer as a new one and its own link by
  e-mail, nothing else.
- **Staff.** Staff may add registrations at any time (``register``: the address counts as
  confirmed) and move people between the lists under the same rules; confirming beyond them is
  an explicit override that is logged with its reason.
- **Side effects are called.** E-mailing the registrants of a cancelled event and giving new
  places to the waiting list happen when a caller means them (``booking.cancel_event``,
  ``booking.change_capacity``), never from a model signal: restoring an old version from the
  history or saving in a shell mails nobody.

E-mails are written (``Email`` rows) together with the task that sends each, in the same
transaction (django-tasks' database backend stores the task as a row of the same database), so
a commit never leaves an e-mail without its task; ``notifications.sweep_emails`` re-queues one
whose task was lost all the same (a worker killed mid-task), and ``emails.deliver`` sends each at
most once. Every save or delete of a registration sends ``signals.registrations_changed`` after
the commit (receivers.py), so the callers never have to.

Import the module of the concern (``from registration.services import booking``): this package
re-exports nothing, so that each module's imports stay one way — booking uses capacity, errors,
addresses and notifications; notifications queue ``registration.emails.send_email``; the e-mails
import no service (a registrant's place in the line is ``Registration.waiting_list_position``).
``lint-imports`` (pyproject.toml) fails on a cycle.
"""
