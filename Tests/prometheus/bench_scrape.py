#!/usr/bin/env python3
"""Scrape cost: glanced's /metrics against node_exporter + process-exporter (Debian's packages) for the same data.

Starts N idle extra processes, then scrapes each exporter S times, each scrape a fresh one: glanced runs with
`-t 0.2` and every scrape waits 0.3 s after the previous one, so each follows a new sample (a new /proc walk);
node_exporter (with --collector.processes) and process-exporter (grouping every process by name) compute every
scrape afresh anyway. Measures server CPU per scrape (utime+stime of /proc/PID/stat before and after) and RSS
(VmRSS of /proc/PID/status after the scrapes).

Usage: bench_scrape.py --glanced BIN [--processes 1000] [--scrapes 30]
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HZ = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def scrape(url):
    with urllib.request.urlopen(url, timeout=30) as reply:
        return len(reply.read())


def wait(url):
    for _ in range(100):
        try:
            return scrape(url)
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def measure(name, pids, url, scrapes, pause):
    wait(url)
    time.sleep(pause)
    before = sum(cpu_seconds(pid) for pid in pids)
    size = 0
    for _ in range(scrapes):
        size = scrape(url)
        time.sleep(pause)
    # The CPU of the pauses (glanced takes no sample without a client) is idle time: nothing to subtract.
    cpu = (sum(cpu_seconds(pid) for pid in pids) - before) / scrapes
    rss = sum(rss_kib(pid) for pid in pids)
    return name, cpu * 1000, rss / 1024, size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--glanced", required=True)
    parser.add_argument("--processes", type=int, default=1000)
    parser.add_argument("--scrapes", type=int, default=30)
    args = parser.parse_args()
    idle = [subprocess.Popen(["sleep", "3600"]) for _ in range(args.processes)]
    children = []
    work = tempfile.mkdtemp(prefix="glanced-bench-")
    try:
        ports = [free_port() for _ in range(3)]
        config = os.path.join(work, "process-exporter.yml")
        with open(config, "w") as f:
            f.write("process_names:\n  - name: '{{.Comm}}'\n    cmdline:\n    - '.+'\n")
        devnull = subprocess.DEVNULL
        glanced = subprocess.Popen([args.glanced, "-B", "127.0.0.1", "-p", str(ports[0]), "-t", "0.2"],
                                   stdout=devnull, stderr=devnull)
        node = subprocess.Popen(["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{ports[1]}",
                                 "--collector.processes"], stdout=devnull, stderr=devnull)
        process = subprocess.Popen(["prometheus-process-exporter", "-web.listen-address", f"127.0.0.1:{ports[2]}",
                                    "-config.path", config], stdout=devnull, stderr=devnull)
        children = [glanced, node, process]
        rows = [
            measure("glanced /metrics", [glanced.pid], f"http://127.0.0.1:{ports[0]}/metrics", args.scrapes, 0.3),
            measure("node_exporter", [node.pid], f"http://127.0.0.1:{ports[1]}/metrics", args.scrapes, 0.3),
            measure("process-exporter", [process.pid], f"http://127.0.0.1:{ports[2]}/metrics", args.scrapes, 0.3),
        ]
        both_cpu = rows[1][1] + rows[2][1]
        print(f"{sum(1 for _ in os.listdir('/proc') if _.isdigit())} processes, {args.scrapes} fresh scrapes each")
        print(f"| exporter | CPU ms per scrape | RSS MiB | body bytes |\n|---|---|---|---|")
        for name, cpu, rss, size in rows:
            print(f"| {name} | {cpu:.1f} | {rss:.1f} | {size} |")
        print(f"| node_exporter + process-exporter | {both_cpu:.1f} | {rows[1][2] + rows[2][2]:.1f} | |")
        print(f"glanced / (node_exporter + process-exporter) CPU: {rows[0][1] / both_cpu:.3f}; "
              f"glanced RSS / node_exporter RSS: {rows[0][2] / rows[1][2]:.2f}")
    finally:
        for child in children + idle:
            child.kill()
        for child in children + idle:
            child.wait()


if __name__ == "__main__":
    sys.exit(main())
