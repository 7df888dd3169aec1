"""gunicorn settings for production and `make serve` (read from the current directory, or given
with `-c gunicorn.conf.py`). Every value can be overridden from the environment."""

import multiprocessing
import os

# Where to listen: PORT on the loopback by default (nginx in front, docs/deploy.md), or any
# address given in GUNICORN_BIND (e.g. "unix:/run/quattropole/gunicorn.sock").
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"

# Processes: two per core plus one, gunicorn's advice for work that waits on the database now and
# then. Each has two threads ("gthread"; more make the slowest requests slower, measured: the
# threads of a process take turns on one core), which keep connections alive between requests: nginx
# (deploy/nginx.conf keeps a pool of connections to the app) and load tests then reuse their
# connections instead of opening one per request, which costs more than serving a page from the
# page cache.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A request that takes longer is a bug or an outage: the worker is replaced, the visitor gets an
# error page from nginx. Staff uploads of large posters stay well below this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced after a while, so that a slow leak never grows without bound; not too often:
# a worker starting anew makes the requests queued on it wait (measured: p99 from 5 ms to 300 ms
# under load with a replacement every 2,000 requests).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10

# Logs to standard output/error, collected by systemd's journal (or the terminal).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# No control socket under ~/.gunicorn/ (gunicorn 25+): reloads go through signals (systemd).
control_socket_disable = True

# The application is loaded in each worker, so that a database connection is never shared
# between processes.
preload_app = False
wsgi_app = "quattropole_site.wsgi:application"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
