#!/usr/bin/env python3
"""Memory with every output in use: glanced against node_exporter and process-exporter (Debian's packages).

Starts N idle extra processes, glanced (`-t 0.1`, so that the 300-sample history fills within the run), node_exporter
(`--collector.processes`) and process-exporter (every process grouped by name). glanced first gets --load seconds of every
output at once (wrk with mixed.lua, 8 connections: XML-RPC, REST 2/3/4 with `all` and `processlist`, /metrics gzip
and not, the page), which fills the history; then every output is asked once a second, as pollers do, for --poll seconds, while VmRSS and
RssAnon are read every second (the table gives the last and the largest). The exporters are scraped once a second
for as long. Prints one table.

Usage: bench_memory.py --glanced BIN [--extra 1000] [--load 35] [--poll 60]
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
XMLRPC = ("<?xml version='1.0'?>\n<methodCall>\n<methodName>%s</methodName>\n<params>\n</params>\n"
          "</methodCall>\n")
# What mixed.lua asks, as (method, path, body, gzip).
OUTPUTS = [("POST", "/RPC2", XMLRPC % m, True) for m in ("getAll", "getCpu", "getProcessList")] + [
    ("GET", p, None, g) for p, g in (
        ("/api/4/all", True), ("/api/4/cpu", True), ("/api/4/processlist", True), ("/api/3/all", True),
        ("/api/3/mem", False), ("/api/2/all", True), ("/api/2/fs", False), ("/api/4/cpu/history", True),
        ("/metrics", True), ("/metrics", False), ("/", True), ("/static/app.js", True))
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def ask(connection, method, path, body, gzip):
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    if body:
        headers["Content-Type"] = "text/xml"
    connection.request(method, path, body=body, headers=headers)
    reply = connection.getresponse()
    reply.read()
    if reply.status != 200:
        raise SystemExit(f"{method} {path}: {reply.status}")


def wait(port):
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--glanced", required=True)
    parser.add_argument("--extra", type=int, default=1000)
    parser.add_argument("--poll", type=int, default=60)
    parser.add_argument("--load", type=int, default=35)
    args = parser.parse_args()
    idle = [subprocess.Popen(["sleep", "3600"]) for _ in range(args.extra)]
    children = []
    work = tempfile.mkdtemp(prefix="glanced-memory-")
    try:
        ports = [free_port() for _ in range(3)]
        config = os.path.join(work, "process-exporter.yml")
        with open(config, "w") as f:
            f.write("process_names:\n  - name: '{{.Comm}}'\n    cmdline:\n    - '.+'\n")
        devnull = subprocess.DEVNULL
        glanced = subprocess.Popen([args.glanced, "-B", "127.0.0.1", "-p", str(ports[0]), "-t", "0.1"],
                                   stdout=devnull, stderr=devnull)
        node = subprocess.Popen(["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{ports[1]}",
                                 "--collector.processes"], stdout=devnull, stderr=devnull)
        process = subprocess.Popen(["prometheus-process-exporter", "-web.listen-address", f"127.0.0.1:{ports[2]}",
                                    "-config.path", config], stdout=devnull, stderr=devnull)
        children = [glanced, node, process]
        for port in ports:
            wait(port)
        fresh = (status_kib(glanced.pid, "VmRSS"), status_kib(glanced.pid, "RssAnon"))
        subprocess.run(["wrk", "-t1", "-c8", f"-d{args.load}s", "-s", os.path.join(HERE, "mixed.lua"),
                        f"http://127.0.0.1:{ports[0]}/"], stdout=devnull, check=True)
        after_load = (status_kib(glanced.pid, "VmRSS"), status_kib(glanced.pid, "RssAnon"))
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for port in ports]
        readings = []
        end = time.monotonic() + args.poll
        while time.monotonic() < end:
            started = time.monotonic()
            for method, path, body, gzip in OUTPUTS:
                ask(connections[0], method, path, body, gzip)
            for connection in connections[1:]:
                ask(connection, "GET", "/metrics", None, True)
            readings.append((status_kib(glanced.pid, "VmRSS"), status_kib(glanced.pid, "RssAnon")))
            time.sleep(max(0.0, 1 - (time.monotonic() - started)))
        history = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=10)
        history.request("GET", "/api/4/load/min1/history")
        points = history.getresponse().read().count(b"],")
        rss = [r for r, _ in readings]
        anon = [a for _, a in readings]
        mib = lambda kib: kib / 1024
        print(f"{sum(1 for _ in os.listdir('/proc') if _.isdigit())} processes; glanced -t 0.1, history "
              f"{points + 1} points; {len(readings)} rounds of every output")
        print("| server | VmRSS MiB (last / max) | anonymous MiB (last / max) |\n|---|---|---|")
        print(f"| glanced, fresh | {mib(fresh[0]):.1f} | {mib(fresh[1]):.1f} |")
        print(f"| glanced, right after {args.load} s of wrk mixed.lua | {mib(after_load[0]):.1f} | {mib(after_load[1]):.1f} |")
        print(f"| glanced, every output once a second | {mib(rss[-1]):.1f} / {mib(max(rss)):.1f} | "
              f"{mib(anon[-1]):.1f} / {mib(max(anon)):.1f} |")
        for name, child in (("node_exporter", node), ("process-exporter", process)):
            print(f"| {name}, scraped once a second | {mib(status_kib(child.pid, 'VmRSS')):.1f} | "
                  f"{mib(status_kib(child.pid, 'RssAnon')):.1f} |")
        print(f"glanced max VmRSS / node_exporter VmRSS: {max(rss) / status_kib(node.pid, 'VmRSS'):.2f}")
    finally:
        for child in children + idle:
            child.kill()
        for child in children + idle:
            child.wait()


if __name__ == "__main__":
    sys.exit(main())
