"""What the tests that talk to a real server over HTTP use: ``Browser``, a tiny HTTP client that
keeps cookies (also ``Secure`` ones, which Python's cookie jar would not send over plain HTTP) and
reads forms' hidden fields, and ``form_fields``, what a browser would send for a form. The servers
themselves (PostgreSQL, Redis, gunicorn) are devtools/servers.py's, shared with `make bench`; their
fixtures are in tests/conftest.py.
"""

import re
import urllib.error
import urllib.parse
import urllib.request
from html import unescape
from html.parser import HTMLParser

# --- HTTP ------------------------------------------------------------------------------------------


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def hidden_fields(self, form_action=None):
        """(name, value) of the hidden inputs, of the form posting to ``form_action`` if given."""
        html = self.text
        if form_action is not None:
            start = html.index(f'action="{form_action}"')
            html = html[start : html.index("</form>", start)]
        return [
            (unescape(name), unescape(value))
            for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', html)
        ]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies by name, sends them all back (Secure ones included), follows no redirect."""

    def __init__(self, base_url, language="de", host=None):
        """``host``: the Host header to send, as nginx passes the site's name to every app server."""
        self.base_url, self.language, self.host = base_url, language, host
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirects)

    def request(self, method, path, data=None, headers=None):
        body = urllib.parse.urlencode(data, doseq=isinstance(data, dict)).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, method=method)
        request.add_header("Accept-Language", self.language)
        if self.host:
            request.add_header("Host", self.host)
        if body is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
            origin = f"http://{self.host}" if self.host else self.base_url
            request.add_header("Origin", origin)
            request.add_header("Referer", origin + path)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self.opener.open(request, timeout=30) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.headers, error.read())
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data=data, **kwargs)

    def log_in(self, username, password, admin="/admin/"):
        form = self.get(f"{admin}login/")
        token = dict(form.hidden_fields())["csrfmiddlewaretoken"]
        answer = self.post(
            f"{admin}login/?next={admin}",
            {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": admin},
        )
        assert answer.status == 302, f"login failed ({answer.status})"
        return answer


class FormReader(HTMLParser):
    """What a browser would send for one form: inputs (checked boxes only), selected options and
    text areas, by the form's id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None
        self._options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag in ("input", "select", "textarea"):
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image", "reset"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select, self._options = attrs["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            self.fields += [(self._select, value) for value, selected in self._options if selected]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


def form_fields(html, form_id):
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.fields
