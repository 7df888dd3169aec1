"""Which requests are the slow ones, from the access logs of `make bench`'s edits phase.

    BENCH_ACCESS_LOG=/tmp/edits BENCH_ONLY=edits BENCH_SIZES=1000 .venv/bin/python scripts/bench.py
    .venv/bin/python scripts/slow_requests.py /tmp/edits/*.log

Each log line (scripts/bench.py, ``ACCESS_LOG_FORMAT``) gives a request's time in the server (from
its start in a gunicorn thread to its last byte written: the time it waited in a queue before a
thread took it is not in it), what the page cache did (X-Page-Cache) and how long the request
waited for another's render of its page. Per run (file) it prints the server-side percentiles and
the slowest 1 % by what happened to them:

- waited: it waited for another request's render of a page a save had just made fresh;
- rendered: it rendered the page (``miss``) itself;
- hit: answered from the cache without waiting — slow because the cores were busy (renders, the
  editor, PostgreSQL, Redis, wrk) or its thread waited for Python's GIL;

and by kind of page, with how many seconds after the last save (the editor's, ``.saves`` beside
the log) the slow hits ended.
"""

import bisect
import datetime
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

LINE = re.compile(r'^ACCESS \[([^\]]+)\] (\d+) (\S+) (\S+) (\d+) "([^"]*)"')


def kind(address):
    """The kind of page an address is (from its shape: the words differ per language)."""
    path = address.split("?")[0]
    parts = path.strip("/").split("/")
    if parts == ["sitemap.xml"]:
        return "sitemap"
    if len(parts) == 1:
        return "home"
    if len(parts) == 2:
        return "list"
    if len(parts) == 3:
        last = parts[2]
        if last.endswith(".ics"):
            return "calendar of all events"
        if last == "feed":
            return "feed"
        if last in ("vergangene", "passes", "passés"):
            return "list (past)"
        return "event page"
    return "event .ics" if parts[-1].endswith(".ics") else "programme"


def read(log):
    """[(end second, ms in the server, cache state, ms waited or None, address)]."""
    found = []
    for line in Path(log).read_text(errors="replace").splitlines():
        match = LINE.match(line)
        if not match:
            continue
        moment, micros, state, waited, _status, address = match.groups()
        end = datetime.datetime.strptime(moment, "%d/%b/%Y:%H:%M:%S %z").timestamp()
        found.append((end, int(micros) / 1000, state, None if waited == "-" else int(waited), address.rstrip("?")))
    return found


def saves_of(log):
    saves = Path(log).with_suffix(".saves")
    if not saves.exists():
        return []
    return sorted(float(line.split()[3]) for line in saves.read_text().splitlines() if line.startswith("saved "))


def what(request):
    _end, _ms, state, waited, _address = request
    if waited is not None:
        return "waited, then served" if state == "hit" else "waited, then rendered"
    return {"hit": "hit", "miss": "rendered"}.get(state, state)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0


def report(log):
    requests = read(log)
    if not requests:
        print(f"## {Path(log).name}: no request logged\n")
        return
    saves = saves_of(log)
    times = [ms for _end, ms, *_rest in requests]
    slow_from = percentile(times, 0.99)
    slow = [request for request in requests if request[1] >= slow_from]
    print(f"## {Path(log).name}: {len(requests)} requests, {len(saves)} saves")
    print(
        f"in the server: p50 {percentile(times, 0.5):.1f} ms, p99 {slow_from:.1f} ms, "
        f"max {max(times):.0f} ms; the slowest 1 %: {len(slow)} requests of ≥ {slow_from:.1f} ms"
    )
    every = Counter(what(request) for request in requests)
    print("all requests by what happened:", dict(every))
    print()
    print("| the slowest 1 %: what happened | page | requests | median ms | max ms |")
    print("|---|---|---:|---:|---:|")
    groups = defaultdict(list)
    for request in slow:
        groups[(what(request), kind(request[4]))].append(request[1])
    for (happened, page), found in sorted(groups.items(), key=lambda item: -len(item[1])):
        print(f"| {happened} | {page} | {len(found)} | {statistics.median(found):.0f} | {max(found):.0f} |")
    print()
    renders = defaultdict(list)
    for request in requests:
        if what(request) != "hit":
            renders[(what(request), kind(request[4]))].append(request[1])
    print("| every request not a plain hit | page | requests | median ms | p90 ms | max ms |")
    print("|---|---|---:|---:|---:|---:|")
    for (happened, page), found in sorted(renders.items()):
        print(
            f"| {happened} | {page} | {len(found)} | {statistics.median(found):.0f} "
            f"| {percentile(found, 0.9):.0f} | {max(found):.0f} |"
        )
    if saves:
        after = Counter()
        for request in slow:
            if what(request) != "hit":
                continue
            index = bisect.bisect_right(saves, request[0] + 1) - 1  # the log's second is its end, truncated
            after["before the first save" if index < 0 else f"{int(request[0] - int(saves[index]))} s"] += 1
        print()
        print("slow plain hits by seconds since the last save ended (the log's clock has whole seconds):")
        print(dict(sorted(after.items())))
    print()


def main():
    for log in sys.argv[1:]:
        report(log)


if __name__ == "__main__":
    main()
