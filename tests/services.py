"""Real services for the tests that need them, each started on a free port and stopped by the
test that started it — never the machine's shared PostgreSQL or Redis.

- ``PostgresServer``: a throw-away PostgreSQL cluster (initdb + pg_ctl of the installed server, run
  as the ``postgres`` user when the tests run as root), stopped and started at will.
- ``RedisServer``: ``redis-server`` with nothing kept on disk.
- ``AppServer``: the site under gunicorn with our gunicorn.conf.py, DEBUG off, as in production.
- ``Browser``: a tiny HTTP client that keeps cookies (also ``Secure`` ones, which Python's cookie jar
  would not send over plain HTTP) and reads forms' hidden fields.
"""

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=30, interval=0.1, what="the service"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what} did not come up within {timeout} s")


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- PostgreSQL ---------------------------------------------------------------------------------


def postgres_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class PostgresServer:
    """A PostgreSQL cluster of its own in a temporary folder, listening on a free port."""

    def __init__(self):
        if not postgres_bin("initdb") or not postgres_bin("pg_ctl"):
            pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="qp-pg-"))
        self.data = self.folder / "data"
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        self._run(postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, *command):
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        return subprocess.run([*prefix, *command], capture_output=True, text=True, check=True, timeout=120)

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "log")
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self):
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name):
        self._run(postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def tool(self, name, *args):
        """Run one of PostgreSQL's client programs (pg_dump, psql, …) against this server."""
        return self._run(postgres_bin(name), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *args)

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def postgres_server():
    server = PostgresServer()
    server.start()
    yield server
    server.destroy()


# --- Redis ---------------------------------------------------------------------------------------


class RedisServer:
    def __init__(self):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), what="redis-server")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


# --- The site under gunicorn --------------------------------------------------------------------


def production_environment(tmp_path, **extra):
    """The environment of a production app server on plain HTTP (TLS is nginx's job; here there
    is no nginx, so no HTTPS redirect), with its own static and media folders."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quattropole_site.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "test-" + "k" * 20 + "-not-the-production-key-" + "x" * 20,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONUNBUFFERED": "1",
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, timeout=300):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


class AppServer:
    """gunicorn with the repository's gunicorn.conf.py, on a free port."""

    def __init__(self, env, workers=2):
        """``workers=None``: as many as gunicorn.conf.py gives the machine."""
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port)}
        if workers is not None:
            self.env["GUNICORN_WORKERS"] = str(workers)
        self.log = Path(tempfile.mkstemp(prefix="qp-gunicorn-", suffix=".log")[1])
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py"],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: self.process.poll() is not None or port_open(self.port), what="gunicorn")
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start:\n{self.output()}")

    def output(self):
        return self.log.read_text(errors="replace")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


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
