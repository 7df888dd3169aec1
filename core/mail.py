"""E-mails that can always be built and sent, whatever the texts they show hold.

``EmailMessage`` is Django's ``EmailMultiAlternatives`` written within the rules of e-mail when the
message is built (``message()``, which every backend calls): the subject and the addresses on
one line — Django refuses a header with a line break, so a line break in an event's title would
stop every e-mail of that event — and bodies, plain text and HTML, without control characters
(HTML forbids them; the plain text keeps its lines). Use it wherever ``EmailMultiAlternatives``
would be used::

    message = EmailMessage(subject=…, body=…, to=[…], reply_to=[…])
    message.attach_alternative(html, "text/html")
"""

from django.core.mail import EmailAlternative, EmailMultiAlternatives

from .text import identifier, multi_line, one_line


class EmailMessage(EmailMultiAlternatives):
    def message(self):
        self.subject = one_line(str(self.subject))
        self.body = multi_line(str(self.body))
        self.alternatives = [
            EmailAlternative(multi_line(content) if isinstance(content, str) else content, mimetype)
            for content, mimetype in self.alternatives
        ]
        for name in ("to", "cc", "bcc", "reply_to"):
            setattr(self, name, [_address(address) for address in getattr(self, name)])
        self.from_email = _address(self.from_email)
        return super().message()


def _address(address):
    """``Name <local@domain>`` on one line: the name's line breaks become spaces, the address's go."""
    name, bracket, rest = str(address).rpartition("<")
    if not bracket:
        return identifier(rest)
    return f"{one_line(name)}<{identifier(rest)}"
