"""The servers the tests and `make bench` start for themselves, each on a free port and stopped
by whoever started it — never the machine's shared PostgreSQL or Redis. Plain Python, no pytest:
tests/conftest.py turns them into fixtures (skipping a test when a server program is missing),
scripts/bench.py uses them directly.

- ``PostgresServer``: a throw-away PostgreSQL cluster (initdb + pg_ctl of the installed server, run
  as the ``postgres`` user when run as root), stopped and started at will.
- ``RedisServer``: ``redis-server`` with nothing kept on disk.
- ``AppServer``: the site under gunicorn with our gunicorn.conf.py, DEBUG off, as in production
  (``production_environment``; ``manage`` runs a management command in such an environment).
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


class ServerUnavailable(RuntimeError):
    """The programs a server needs are not installed on this machine."""


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
            raise ServerUnavailable("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="qp-pg-"))
        self.data = self.folder / "data"
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root
        if self.as_postgres:
            shutil.chown(self.folder, "postgres")
        self._run(postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, *command, input=None):
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        return subprocess.run([*prefix, *command], input=input, capture_output=True, text=True, check=True, timeout=120)

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

    def dump(self, name):
        """Database ``name`` as SQL (pg_dump's plain format, no owners), for ``load``."""
        return self.tool("pg_dump", "--no-owner", "--dbname", name).stdout

    def load(self, name, sql):
        """Runs ``sql`` (e.g. a ``dump``, of this or another cluster) in database ``name``."""
        self._run(
            postgres_bin("psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--dbname",
            name,
            input=sql,
        )

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


# --- Redis ---------------------------------------------------------------------------------------


class RedisServer:
    def __init__(self):
        if not shutil.which("redis-server"):
            raise ServerUnavailable("redis-server is not installed")
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

    def __init__(self, env, workers=1):
        """``workers=None``: as many as gunicorn.conf.py gives the machine. One by default (the
        tests): each worker starts Django on its own (no preload_app), and the tests' requests come
        one at a time, which one worker's threads serve."""
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
