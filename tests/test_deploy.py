"""The deployment files of deploy/ do what docs/deploy.md says: nginx accepts its configuration
and, in front of gunicorn, serves the site over HTTPS with the app's headers, the uploads itself,
and a bilingual page while the app is down; a backup made with deploy/backup.sh restores."""

import http.client
import re
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from devtools.servers import BASE_DIR, AppServer, free_port, manage, production_environment, wait_for

pytestmark = pytest.mark.processes

DEPLOY = BASE_DIR / "deploy"
HOST = "veranstaltungen.quattropole.org"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_setup(tmp_path, app_port, http_port, https_port):
    """deploy/nginx.conf with this test's ports, certificate and folders, inside a minimal main
    configuration (the one a Debian nginx has in /etc/nginx/nginx.conf)."""
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}"]
        + ["-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx.conf").read_text()
    for old, new in {
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(certificate),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(key),
        "/var/log/quattropole/": f"{tmp_path}/",
        "/srv/quattropole/media/": f"{tmp_path}/media/",
        "/srv/quattropole/app/deploy": str(DEPLOY),
        "server 127.0.0.1:8000": f"server 127.0.0.1:{app_port}",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
        "listen [::]:80 default_server;": "",
        "listen 443 ssl default_server;": f"listen 127.0.0.1:{https_port} ssl default_server;",
        "listen [::]:443 ssl default_server;": "",
    }.items():
        assert old in site, f"deploy/nginx.conf no longer contains {old!r}"
        site = site.replace(old, new)
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"user root;\nworker_processes 1;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/main-error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  client_body_temp_path {tmp_path}/body;\n"
        f"  proxy_temp_path {tmp_path}/proxy;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    return main


@pytest.fixture
def nginx_available():
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (`make test` installs Debian's nginx-light)")


def test_nginx_accepts_the_configuration(tmp_path, nginx_available):
    main = nginx_setup(tmp_path, app_port=8000, http_port=free_port(), https_port=free_port())
    result = subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr and "test is successful" in result.stderr


def maintenance_sections():
    """deploy/_maintenance.html's German part and French part (``<section lang="fr">``)."""
    german, french = (DEPLOY / "_maintenance.html").read_text().split('<section lang="fr">')
    return {"de": german, "fr": french}


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("de", ("Impressum", "Datenschutz", "Barrierefreiheit")),
        ("fr", ("Mentions légales", "Protection des données", "Accessibilité")),
    ],
)
def test_the_maintenance_page_links_the_legal_pages_in_both_languages(language, labels):
    """While the app is down the page still names the Impressum, the privacy notice and the
    accessibility statement, each language's in that language, at the addresses the footer has."""
    with translation.override(language):
        addresses = [reverse(f"pages:{name}") for name in ("legal_notice", "privacy", "accessibility")]
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', maintenance_sections()[language])
    assert links == list(zip(addresses, labels, strict=True))


def test_the_maintenance_page_needs_nothing_its_policy_forbids():
    """nginx serves it with ``default-src 'none'``: no script, style, image or font, inline or not."""
    page = (DEPLOY / "_maintenance.html").read_text()
    assert re.findall(r"<(script|style|link|img|iframe|object|svg)\b|\sstyle=|\son[a-z]+=|src=", page) == []
    assert re.findall(r'href="(?!/)', page) == []  # this host's addresses only


class HTTPSConnectionTo(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 that names HOST in the TLS handshake (SNI), as a browser would."""

    def connect(self):
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=HOST)


def https_get(port, path):
    connection = HTTPSConnectionTo("127.0.0.1", port, context=ssl._create_unverified_context(), timeout=30)
    connection.request("GET", path, headers={"Host": HOST, "Accept-Language": "fr"})
    response = connection.getresponse()
    body = response.read().decode("utf-8", errors="replace")
    connection.close()
    return response, body


def test_nginx_in_front_of_gunicorn(tmp_path, nginx_available, production_static, production_build):
    env = production_environment(
        tmp_path,
        DJANGO_STATIC_ROOT=production_static,
        DATABASE_URL=production_build.sqlite(tmp_path),
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        DJANGO_CLIENT_IP_HEADER="X-Real-IP",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
    )
    app = AppServer(env)
    http_port, https_port = free_port(), free_port()
    main = nginx_setup(tmp_path, app.port, http_port, https_port)
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(main), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    app.start()
    try:
        wait_for(lambda: (tmp_path / "nginx.pid").exists(), what="nginx")
        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
        plain.request("GET", "/fr/", headers={"Host": HOST})
        redirect = plain.getresponse()
        assert redirect.status == 301 and redirect.getheader("Location") == f"https://{HOST}/fr/"
        stranger = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
        stranger.request("GET", "/fr/", headers={"Host": "203.0.113.5"})
        with pytest.raises(http.client.RemoteDisconnected):
            stranger.getresponse()  # an unknown host name gets no answer at all

        page, html = https_get(https_port, "/fr/")
        assert page.status == 200 and '<html lang="fr">' in html
        assert page.getheader("Strict-Transport-Security") == "max-age=31536000"
        assert "default-src 'self'" in page.getheader("Content-Security-Policy")
        assert f'<link rel="canonical" href="https://{HOST}/fr/">' in html  # the app knows it is HTTPS

        _, event = https_get(https_port, "/fr/evenements/immigrations-une-chance-pour-nos-quatre-villes/")
        poster = next(p.split()[0] for p in event.split('"') if p.startswith("/media/renditions/"))
        image, _ = https_get(https_port, poster)
        assert image.status == 200 and image.getheader("Content-Type") == "image/webp"
        assert image.getheader("X-Content-Type-Options") == "nosniff"

        app.stop()
        down, html = https_get(https_port, "/fr/")
        assert down.status == 502
        assert "Le site revient dans un instant" in html and "Die Website ist gleich wieder da" in html
        assert '<a href="/fr/mentions-legales/">Mentions légales</a>' in html
        assert '<a href="/de/impressum/">Impressum</a>' in html
        assert down.getheader("Retry-After") == "60"
    finally:
        app.stop()
        nginx.terminate()
        nginx.wait(timeout=10)


def test_a_backup_restores_the_database_and_the_uploads(postgres_server, tmp_path, postgres_demo):
    """deploy/backup.sh, then an accident (an event deleted with its poster), then
    deploy/restore.sh: the event and its poster are back."""
    postgres_server.create_database("quattropole")
    postgres_server.load("quattropole", postgres_demo.sql)
    postgres_demo.copy_media(tmp_path / "media")
    url = postgres_server.url("quattropole")
    env = production_environment(tmp_path, DATABASE_URL=url)
    media = tmp_path / "media"
    posters = sorted(p.name for p in (media / "posters").iterdir())
    backups = tmp_path / "backups"
    script_env = {**env, "BACKUP_DIR": str(backups)}
    subprocess.run([str(DEPLOY / "backup.sh")], env=script_env, check=True, capture_output=True, timeout=120)
    dump = next(backups.glob("database-*.dump"))
    archive = next(backups.glob("media-*.tar.gz"))

    # Each step's checks in one `manage.py shell` (a Django start-up apiece, not one per check).
    accident = (
        "from events.models import Event; print(Event.objects.count()); "
        "Event.objects.get(slug_de__startswith='zuwanderung').delete(); print(Event.objects.count())"
    )
    before, after = manage(env, "shell", "--no-imports", "-c", accident).stdout.split()
    assert int(after) == int(before) - 1
    shutil.rmtree(media / "posters")

    result = subprocess.run(
        [str(DEPLOY / "restore.sh"), str(dump), str(archive)], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    restored = (
        "from events.models import Event; print(Event.objects.count()); "
        "print(Event.objects.get(slug_de__startswith='zuwanderung').title_fr)"
    )
    count, title = manage(env, "shell", "--no-imports", "-c", restored).stdout.strip().split("\n")
    assert count == before
    assert sorted(p.name for p in (media / "posters").iterdir()) == posters
    assert title == "Immigrations : une chance pour nos quatre villes"
