"""`make bench`: the site under load, the way production serves it, at 10, 1,000 and 10,000 events.

For each size: a PostgreSQL cluster and a Redis of the benchmark's own (free ports, thrown away
afterwards), N sample events (`manage.py make_sample_events`), static files collected with the
compressed manifest storage, and two gunicorn servers with gunicorn.conf.py's settings (DEBUG
off): one with the page cache (warm: every page requested once before the load) and one without
(cold: every request rendered). wrk (Debian's package, installed when missing) loads, on
loopback, the home page, the upcoming list, a filtered list, an event page, its bilingual
programme, its .ics and one static file; then 200 connections on the cached pages. In-process,
scripts/measure_pages.py counts SQL queries and server CPU per uncached page.

Writes docs/performance.md (and prints it). Settings from the environment:
BENCH_SIZES (default "10,1000,10000"), BENCH_SECONDS (default 8), BENCH_CONNECTIONS (8).
"""

import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from devtools.servers import AppServer, PostgresServer, RedisServer, production_environment  # noqa: E402

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "10,1000,10000").split(",")]
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
WARM_UP_SECONDS = 2
RATIO_ROUNDS = 5  # the median of five: two rounds in a stall of the shared machine change nothing
ROUND_SECONDS = max(1, SECONDS // 2)
NOT_PAGES = ("plans", "phases")  # what a size's results hold besides its pages
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
MANY_CONNECTIONS = 200
REPORT = BASE_DIR / "docs" / "performance.md"

# Targets of issue "Fast at any size".
TARGET_RATIO = 0.5  # cached pages ≥ 50 % of the static file's requests/s
TARGET_P99_MS = 25  # p99 from the cache at 8 connections
# The uncached event page is reported without a target: visitors get it from the page cache.
TARGET_LIST_GROWTH = 0.2  # the list at the largest size within 20 % of the smallest


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("Installing wrk (Debian package) …", flush=True)
    run([*sudo, "apt-get", "install", "-y", "wrk"])


def manage(env, *args):
    return run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, timeout=3600)


def wrk(url, connections, seconds=SECONDS):
    """requests/s, p50 and p99 in ms, and errors, from wrk's report."""
    output = run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", url], timeout=seconds + 60
    ).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for label, name in (("50%", "p50"), ("99%", "p99")):
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        result[name] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result["socket_errors"] = sum(int(n) for n in errors.groups()) if errors else 0
    result["timeouts"] = int(errors.group(4)) if errors else 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    return result


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def pages(env):
    """The pages to load: an upcoming event in the middle of the list, its subpages, a static file."""
    code = (
        "from events.models import Event; from django.utils import translation; translation.activate('de'); "
        "events = Event.objects.published().upcoming(); e = events[events.count() // 2]; "
        "print(e.get_absolute_url('de')); print(e.get_programme_url('de')); print(e.get_calendar_url('de')); "
        "print(e.cities.first().code)"
    )
    event, programme, calendar, city = manage(env, "shell", "--no-imports", "-c", code).stdout.split()
    manifest = json.loads((Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").read_text())["paths"]
    return {
        "home page": "/de/",
        "upcoming list": "/de/veranstaltungen/",
        "filtered list": f"/de/veranstaltungen/?city={city}",  # a city of the event below: never empty
        # A word found in many events (a city): the ranking reads every match.
        "search": f"/de/suche/?q={city}",
        "event page": event,
        "bilingual programme": programme,
        "event .ics": calendar,
        "static file": "/static/" + manifest["css/site.css"],
    }


def bench_size(size, postgres, redis, folder):
    database = f"bench_{size}"
    postgres.create_database(database)
    env = production_environment(folder, DATABASE_URL=postgres.url(database), REDIS_URL=redis.url)
    print(f"— {size} events: creating them …", flush=True)
    manage(env, "migrate", "-v0")
    manage(env, "make_sample_events", str(size))
    manage(env, "rebuild_search")  # the bulk insert sent no signals: the search documents
    # PostgreSQL's own upkeep after the bulk insert (autovacuum's ANALYZE, the checkpoint) done
    # now, not on a core the load needs.
    postgres.tool("psql", "-q", "-d", database, "-c", "VACUUM ANALYZE", "-c", "CHECKPOINT")
    manage(env, "collectstatic", "--noinput", "-v0")
    urls = pages(env)

    print(f"— {size} events: queries and CPU in-process …", flush=True)
    measured = json.loads(
        run([sys.executable, "scripts/measure_pages.py", *urls.values()], cwd=BASE_DIR, env=env, timeout=1800).stdout
    )
    list_pages = [urls["upcoming list"], urls["filtered list"], "/de/veranstaltungen/vergangene/?year=2015"]
    plans = json.loads(
        run([sys.executable, "scripts/measure_pages.py", "--explain", *list_pages], cwd=BASE_DIR, env=env).stdout
    )
    phases = json.loads(
        run(
            [sys.executable, "scripts/measure_pages.py", "--breakdown", urls["event page"]], cwd=BASE_DIR, env=env
        ).stdout
    )[urls["event page"]]

    warm = AppServer(env, workers=None)
    cold = AppServer({**env, "DJANGO_PAGE_CACHE": "false"}, workers=None)
    warm.start()
    cold.start()
    results = {}
    try:
        static = warm.base_url + urls["static file"]
        for name, path in urls.items():
            print(f"— {size} events: {name} …", flush=True)
            fetch(warm.base_url + path)  # the cache warmed by one request
            body = fetch(cold.base_url + path)
            # Every worker process has served the page before it is measured (its first request
            # loads templates and code), as in a server that has been up for a while.
            for server in (warm, cold):
                wrk(server.base_url + path, CONNECTIONS, seconds=WARM_UP_SECONDS)
            results[name] = {
                "path": path,
                "bytes": len(body),
                "cold": wrk(cold.base_url + path, CONNECTIONS),
                **warm_against_static(warm.base_url + path, static),
                **measured[path],
            }
        results["plans"] = plans
        results["phases"] = phases
        for name in ("event page", "upcoming list"):
            results[name]["many"] = wrk(warm.base_url + urls[name], MANY_CONNECTIONS)
    finally:
        warm.stop()
        cold.stop()
    return results, env


def list_growth(all_results, envs):
    """The upcoming list's time at the largest size over its time at the smallest, in-process,
    with the database's own work (wall time). The two are measured in turns, five times, and the
    median ratio kept: measured minutes apart on this shared machine, they would differ by its
    drift rather than by the site."""
    sizes = (min(all_results), max(all_results))
    path = all_results[sizes[0]]["upcoming list"]["path"]
    ratios = []
    for _round in range(5):
        times = [
            json.loads(
                run(
                    [sys.executable, "scripts/measure_pages.py", path],
                    cwd=BASE_DIR,
                    env={**envs[size], "BENCH_CPU_ROUNDS": "60"},
                ).stdout
            )[path]["wall_ms"]
            for size in sizes
        ]
        ratios.append(times[1] / times[0])
    return statistics.median(ratios) - 1


def warm_against_static(url, static):
    """The page from the cache, and its ratio to the static file. The machine is shared: its
    speed drifts from one second to the next and it stalls now and then for a few hundred ms
    (other machines' work), which one short run cannot tell from the site's own slowness. So the
    static file and the page are loaded in turns, each right after the other, five times; each
    figure is the median of the five rounds, and the worst round's p99 is kept beside it."""
    rounds = []
    for _round in range(RATIO_ROUNDS):
        static_rps = wrk(static, CONNECTIONS, seconds=ROUND_SECONDS)["rps"]
        page = wrk(url, CONNECTIONS, seconds=ROUND_SECONDS)
        rounds.append({**page, "ratio": page["rps"] / static_rps})
    warm = {name: statistics.median(measured[name] for measured in rounds) for name in ("rps", "p50", "p99")}
    warm["worst_p99"] = max(measured["p99"] for measured in rounds)
    return {"warm": warm, "ratio": statistics.median(measured["ratio"] for measured in rounds)}


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()[1]
    versions = {
        "PostgreSQL": run(["psql", "--version"]).stdout.split()[-1],
        "Redis": run(["redis-server", "--version"]).stdout.split()[2].removeprefix("v="),
        "wrk": wrk_version,
    }
    return {
        "cpu": f"{os.cpu_count()} × {cpu}",
        "memory": f"{int(memory) // 1024 // 1024} GiB",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        **versions,
    }


def report(all_results, envs, workers, started, info):
    sizes = list(all_results)
    lines = [
        "# Performance",
        "",
        f"Measured by `make bench` on {started:%Y-%m-%d %H:%M} (UTC), {SECONDS} s per wrk run, "
        f"{CONNECTIONS} connections unless said otherwise.",
        "",
        "    make bench" + ("" if SIZES == [10, 1000, 10000] else f"    # BENCH_SIZES={','.join(map(str, SIZES))}"),
        "",
        "Machine: " + ", ".join(f"{key} {value}" for key, value in info.items()) + ".",
        f"Server: gunicorn with gunicorn.conf.py ({workers}), DEBUG off, PostgreSQL and Redis on the"
        " same machine (loopback), static files compressed with hashed names (WhiteNoise). "
        "wrk runs on the same machine, so it takes a core from the server: the numbers are a floor.",
        "",
        "**warm**: the page cache on, the page requested once before the load. **cold**: the page cache off, "
        "every request rendered. **ratio**: the page's requests/s over the static file's, both warm, loaded in "
        f"turns ({RATIO_ROUNDS} rounds of {ROUND_SECONDS} s each); the warm figures are the medians of the "
        "rounds, with the worst round's p99 in brackets: the machine is shared, its speed drifts and it "
        "stalls now and then (the static file's own ratio shows by how much). Every page is "
        f"loaded for {WARM_UP_SECONDS} s before it is measured, so that each worker process has served it once. "
        "**CPU**: median server CPU of one uncached request, in-process (scripts/measure_pages.py; the "
        "database server's own work is not in it, the list's growth check below uses the time with it). "
        "**SQL**: queries of one uncached request.",
        "",
    ]
    checks = []
    for size in sizes:
        results = all_results[size]
        lines += [
            f"## {size:,} events".replace(",", " "),
            "",
            "| page | warm req/s | warm p50 | warm p99 (worst round) | ratio "
            "| cold req/s | cold p50 | cold p99 | bytes | SQL | CPU |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, result in results.items():
            if name in NOT_PAGES:
                continue
            warm, cold = result["warm"], result["cold"]
            ratio = result["ratio"]
            lines.append(
                f"| {name} | {warm['rps']:.0f} | {warm['p50']:.1f} ms | {warm['p99']:.1f} ms ({warm['worst_p99']:.0f}) "
                f"| {ratio:.0%} "
                f"| {cold['rps']:.0f} | {cold['p50']:.1f} ms | {cold['p99']:.1f} ms | {result['bytes']:,} "
                f"| {result['queries']} | {result['cpu_ms']:.2f} ms |".replace(",", " ")
            )
            if name in ("event page", "upcoming list", "filtered list", "home page"):
                checks.append((f"{size} events, {name}: cached ≥ 50 % of the static file", ratio >= TARGET_RATIO))
                checks.append((f"{size} events, {name}: p99 < 25 ms from the cache", warm["p99"] < TARGET_P99_MS))
        lines.append("")
        for name in ("event page", "upcoming list"):
            many = results[name]["many"]
            errors = many["socket_errors"] + many["non_2xx"]
            lines.append(
                f"{MANY_CONNECTIONS} connections, {name} (warm): {many['rps']:.0f} req/s, p99 {many['p99']:.1f} ms, "
                f"{many['timeouts']} timeouts, {errors} errors."
            )
            checks.append((f"{size} events, {name}: no error or timeout at 200 connections", errors == 0))
        phases = results["phases"]
        lines += [
            "",
            f"Where the uncached event page's {results['event page']['cpu_ms']:.2f} ms of CPU go: finding the event "
            f"with its programme (database layer) {phases['database']:.2f} ms, its context {phases['context']:.2f} ms, "
            f"the template {phases['template']:.2f} ms; the rest is the middleware and the response. "
            f"The whole request with an empty template costs {phases['without_template']:.2f} ms: what the page "
            "would cost with a template that took no time.",
            "",
        ]
    smallest, largest = all_results[sizes[0]], all_results[sizes[-1]]
    for name in smallest:
        if name not in ("static file", *NOT_PAGES):
            checks.append(
                (
                    f"{name}: the same SQL queries at every size",
                    len({all_results[size][name]["queries"] for size in sizes}) == 1,
                )
            )
    growth = list_growth(all_results, envs)
    checks.append(
        (
            f"upcoming list at {sizes[-1]} events within 20 % of {sizes[0]} ({growth:+.0%} time with the database,"
            " in-process, the two sizes measured in turns)",
            growth <= TARGET_LIST_GROWTH,
        )
    )
    lines += ["## Targets", ""] + [f"- {'✓' if ok else '✗'} {text}" for text, ok in checks] + [""]
    lines += [
        f"## Query plans of the lists at {sizes[-1]:,} events (PostgreSQL)".replace(",", " "),
        "",
        "EXPLAIN ANALYZE of every query one uncached request of the page runs, as the page ran it.",
        "",
    ]
    for path, queries in largest["plans"].items():
        lines += [f"### `{path}`", ""]
        for query in queries:
            lines += ["```sql", query["sql"], "```", "", "```", query["plan"], "```", ""]
    return "\n".join(lines), all(ok for _text, ok in checks)


def main():
    ensure_wrk()
    started = datetime.datetime.now(datetime.UTC)
    folder = Path(tempfile.mkdtemp(prefix="qp-bench-"))
    postgres, redis = PostgresServer(), RedisServer()
    postgres.start()
    redis.start()
    all_results, envs = {}, {}
    # As gunicorn.conf.py decides them.
    workers = f"{os.environ.get('GUNICORN_WORKERS') or os.cpu_count() * 2 + 1} workers"
    workers += f" × {os.environ.get('GUNICORN_THREADS', '2')} threads (gthread)"
    try:
        for size in SIZES:
            all_results[size], envs[size] = bench_size(size, postgres, redis, folder / str(size))
            run(["redis-cli", "-p", str(redis.port), "flushall"])
        text, ok = report(all_results, envs, workers, started, machine())
    finally:
        redis.stop()
        postgres.destroy()
        shutil.rmtree(folder, ignore_errors=True)
    REPORT.write_text(text)
    print(text)
    print(f"Written to {REPORT.relative_to(BASE_DIR)}.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
