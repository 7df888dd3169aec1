"""gunicorn settings for production and `make serve` (read from the current directory, or given
with `-c gunicorn.conf.py`). Every value can be overridden from the environment."""

import multiprocessing
import os
import sys

# Where to listen: PORT on the loopback by default (nginx in front, docs/deploy.md), or any
# address given in GUNICORN_BIND (e.g. "unix:/run/quattropole/gunicorn.sock").
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"

# Processes: two per core plus one, gunicorn's advice for work that waits on the database now and
# then. Each has several threads ("gthread"), which keep connections alive between requests: nginx
# (deploy/nginx.conf keeps a pool of connections to the app) and load tests then reuse their
# connections instead of opening one per request, which costs more than serving a page from the
# page cache.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
# Threads: 8 per process by default. While a page that a save has just made fresh is rendered,
# the other requests for it wait for that render (pagecache/: no stampede) — asleep, but each
# holding a thread and the keep-alive connections of its process. With 2 threads, a few visitors
# waiting for the sitemap or a calendar left a process nothing to serve the others with. With a
# save every 2 s, at 200 connections, 8 threads kept 47 %, 62 % and 63 % of the requests/s
# without edits in three runs, 2 threads 25 %, 38 % and 56 %; the cached pages were no slower
# (`make bench` with BENCH_THREADS, docs/performance.md). Each thread may keep a database connection
# open (DJANGO_CONN_MAX_AGE): on a machine with many cores, fewer threads, so that all processes
# together keep at most DATABASE_CONNECTIONS (PostgreSQL allows 100 by default; the worker,
# the timers and the administrators need a few).
DATABASE_CONNECTIONS = 80
threads = int(os.environ.get("GUNICORN_THREADS") or min(8, max(2, DATABASE_CONNECTIONS // workers)))
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

# GUNICORN_SWITCH_INTERVAL (seconds, e.g. 0.001): how often a thread that computes (a page
# rendered again after a save) hands Python's GIL to the other threads of its process; unset,
# Python's own 5 ms. Each of those threads (page-cache hits, the loop that hands the process's
# connections to its threads) waits for the GIL after each read or write of a socket: during a
# render of a few hundred ms the other visitors of that process queue behind it. An experiment
# for `make bench`'s edits phase (one noisy run at 1,000 events: 77 % / 79 % of the no-edit
# requests/s and p99 1.7 × / 1.5 × with 1 ms, 71 % / 84 % and 2.7 × / 2.1 × without), not a
# default until a quiet machine has measured it.
switch_interval = os.environ.get("GUNICORN_SWITCH_INTERVAL", "").strip()


def post_worker_init(worker):
    if switch_interval:
        sys.setswitchinterval(float(switch_interval))


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
