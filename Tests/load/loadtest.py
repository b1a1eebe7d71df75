#!/usr/bin/env python3
"""Load test of a glanced server: concurrency with wrk, memory over time, idle cost.

Starts the server itself (loopback only, an empty XDG_CONFIG_HOME), spawns idle `sleep` children so
that every sample scans a realistic process table, then runs these phases and prints one summary
(and one JSON line with --json-out):

  idle     no client for --idle seconds: the server's utime+stime over that time (no sampling
           should happen: a sample is only taken when someone asks)
  getCpu   wrk, --connections keep-alive clients, --duration s, Lua script xmlrpc.lua (POSTs the
           XML-RPC body xmlrpc.client sends): req/s, p50/p99/max latency, server CPU per call;
           repeated --repeat times
  getAll   the same with getAll and Accept-Encoding: gzip (the cached, pre-gzipped reply)
  getAll/1 getAll with one client (wrk -c1), and the same against --peer (e.g. Glances 4 started from
           its venv) in the same run: server CPU per cached call, side by side
  flat     a second server started with -t --flat-interval: --flat-samples getAll calls, each
           --flat-interval plus a bit after the previous reply (so each one is answered from a new
           sample), while wrk keeps other clients busy with every output in turn (mixed.lua: XML-RPC,
           REST 2/3/4, /metrics, the web page) until at least --flat-requests requests were answered; VmRSS
           before and after

Every figure that depends on the machine is a ratio or comes with the machine's load: the phases
record how busy the machine was (from /proc/stat) besides the server and wrk.

  python3 Tests/load/loadtest.py --glanced .build/release/glanced
  python3 Tests/load/loadtest.py --glanced .build/release/glanced --idle 10 --duration 5 --flat-samples 100
  python3 Tests/load/loadtest.py --glanced .build/release/glanced \
      --peer "$VENVS/g4/bin/glances -s --disable-autodiscover --disable-check-update --disable-webui"
"""

import argparse
import http.client
import json
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "xmlrpc.lua")
MIXED_LUA = os.path.join(HERE, "mixed.lua")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def request_body(method):
    return ("<?xml version='1.0'?>\n<methodCall>\n<methodName>%s</methodName>\n<params>\n"
            "</params>\n</methodCall>\n" % method).encode()


def server_cpu_s(pid):
    with open("/proc/%d/stat" % pid, "rb") as f:
        rest = f.read().rsplit(b")", 1)[1].split()
    return (int(rest[11]) + int(rest[12])) / CLK_TCK


def server_status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "Threads"):
                out[key] = int(value.split()[0])
    return out


def machine_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]
    total = sum(v[:8])
    return total - idle, total


def children_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Phase:
    """Measures server CPU, wrk (children) CPU and the whole machine over a block."""

    def __init__(self, pid):
        self.pid = pid

    def __enter__(self):
        self.t0 = time.monotonic()
        self.s0 = server_cpu_s(self.pid)
        self.c0 = children_cpu_s()
        self.m0 = machine_ticks()
        return self

    def __exit__(self, *exc):
        self.wall = time.monotonic() - self.t0
        self.server = server_cpu_s(self.pid) - self.s0
        self.clients = children_cpu_s() - self.c0
        m1 = machine_ticks()
        busy, total = m1[0] - self.m0[0], m1[1] - self.m0[1]
        cpus = os.cpu_count() or 1
        self.machine_busy = busy / max(1, total)  # share of all cores
        self.other_busy = max(0.0, self.machine_busy - (self.server + self.clients) / (self.wall * cpus))
        return False

    def figures(self):
        return {"wall_s": round(self.wall, 2), "server_cpu_s": round(self.server, 3),
                "client_cpu_s": round(self.clients, 3), "machine_busy_pct": round(100 * self.machine_busy, 1),
                "other_busy_pct": round(100 * self.other_busy, 1)}


class Server:
    def __init__(self, command, port, interval=None):
        self.config = tempfile.mkdtemp(prefix="glanced-load-")
        environment = dict(os.environ, XDG_CONFIG_HOME=self.config)
        command = (shlex.split(command) if isinstance(command, str) else list(command)) + [
            "-B", "127.0.0.1", "-p", str(port)]
        if interval is not None:
            command += ["-t", str(interval)]
        self.command = command
        self.process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.pid = self.process.pid
        self.port = port
        for _ in range(300):
            try:
                call(port, "init")
                return
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
        raise SystemExit("server did not come up: %s" % " ".join(command))

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.config, ignore_errors=True)


def call(port, method, connection=None, gzip=True):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "text/xml"}
    if gzip:
        headers["Accept-Encoding"] = "gzip"
    connection.request("POST", "/RPC2", request_body(method), headers)
    response = connection.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError("HTTP %d for %s" % (response.status, method))
    if own:
        connection.close()
    return data


class IdleChildren:
    def __init__(self, count):
        self.processes = [subprocess.Popen(["sleep", "3600"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL) for _ in range(count)]

    def stop(self):
        for process in self.processes:
            process.kill()
        for process in self.processes:
            process.wait()


def wrk(port, method, connections, duration, threads, gzip=True):
    command = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency", "-s", LUA,
               "http://127.0.0.1:%d/RPC2" % port, "--", method] + (["gzip"] if gzip else [])
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("wrk-json "):
            result = json.loads(line[len("wrk-json "):])
            result["command"] = " ".join(["wrk"] + command[1:5] + ["-s", "Tests/load/xmlrpc.lua", command[7]]
                                         + command[8:])
            return result
    raise RuntimeError("no wrk-json line in wrk's output:\n" + out)


def wrk_mixed(port, connections, duration):
    """Every output in turn (mixed.lua); the wrk-json figures, with a failed request counted as an error."""
    command = ["wrk", "-t1", "-c%d" % connections, "-d%ds" % duration, "--latency", "-s", MIXED_LUA,
               "http://127.0.0.1:%d/" % port]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("wrk-json "):
            return json.loads(line[len("wrk-json "):])
    raise RuntimeError("no wrk-json line in wrk's output:\n" + out)


def load_phase(server, method, args, label, connections=None, repeat=None):
    runs = []
    for _ in range(repeat or args.repeat):
        before = server_status(server.pid)
        with Phase(server.pid) as phase:
            result = wrk(server.port, method, connections or args.connections, args.duration, args.threads)
        after = server_status(server.pid)
        result.update(phase.figures())
        errors = sum(result["errors"].values())
        result["server_cpu_us_per_call"] = round(1e6 * phase.server / max(1, result["requests"]), 2)
        result["rss_kb_before"], result["rss_kb_after"] = before["VmRSS"], after["VmRSS"]
        result["error_count"] = errors
        runs.append(result)
        print("%-7s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  server %6.1f us/call  "
              "RSS %5.1f MB  errors %d  (machine busy %3.0f%%, others %3.0f%%)" % (
                  label, result["rps"], result["p50_ms"], result["p99_ms"], result["max_ms"],
                  result["server_cpu_us_per_call"], after["VmRSS"] / 1024, errors,
                  result["machine_busy_pct"], result["other_busy_pct"]), flush=True)
    return runs


def flat_phase(args, report):
    server = Server([args.glanced], args.port + 1, interval=args.flat_interval)
    try:
        prime(server)
        # Warm-up: every reply path (gzip and not), a few samples, a few thousand requests of every output.
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        for _ in range(20):
            call(server.port, "getAll", connection)
            call(server.port, "getAll", connection, gzip=False)
            time.sleep(args.flat_interval * 1.5)
        wrk_mixed(server.port, 8, 2)
        baseline = server_status(server.pid)
        samples = [0]
        stop = threading.Event()

        def paced():
            for _ in range(args.flat_samples):
                if stop.is_set():
                    return
                call(server.port, "getAll", connection)
                samples[0] += 1
                # Later than the refresh interval after the reply: the next call gets a new sample.
                time.sleep(args.flat_interval + 0.005)

        thread = threading.Thread(target=paced, daemon=True)
        requests = 0
        with Phase(server.pid) as phase:
            thread.start()
            errors = 0
            while thread.is_alive() or requests < args.flat_requests:
                result = wrk_mixed(server.port, 8, 5)
                requests += result["requests"]
                errors += sum(result["errors"].values())
            thread.join()
        end = server_status(server.pid)
        flat = {"interval_s": args.flat_interval, "samples_at_least": samples[0], "requests": requests + samples[0],
                "rss_kb_baseline": baseline["VmRSS"], "rss_kb_end": end["VmRSS"],
                "rss_kb_growth": end["VmRSS"] - baseline["VmRSS"], "hwm_kb": end["VmHWM"],
                "anon_kb_baseline": baseline["RssAnon"], "anon_kb_end": end["RssAnon"], "errors": errors}
        flat.update(phase.figures())
        report["flat"] = flat
        print("flat    %d samples (at least), %d mixed requests (%d errors): RSS %.1f -> %.1f MB (%+d KiB; "
              "anonymous %.1f -> %.1f MB), peak %.1f MB"
              % (samples[0], flat["requests"], errors, baseline["VmRSS"] / 1024, end["VmRSS"] / 1024,
                 flat["rss_kb_growth"], baseline["RssAnon"] / 1024, end["RssAnon"] / 1024, end["VmHWM"] / 1024),
              flush=True)
    finally:
        server.stop()


def prime(server):
    """Two getAll calls a refresh apart: the extra processes are in the sample, their cmdlines read."""
    call(server.port, "getAll")
    time.sleep(1.2)
    call(server.port, "getAll")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--glanced", required=True, help="the server binary (a release build)")
    parser.add_argument("--port", type=int, default=61420, help="port (the flat phase uses the next one)")
    parser.add_argument("--extra", type=int, default=1000, help="idle children to spawn (default 1000)")
    parser.add_argument("--idle", type=float, default=60, help="seconds of the idle phase (0 skips it)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: one core for wrk)")
    parser.add_argument("--repeat", type=int, default=3, help="wrk runs per method")
    parser.add_argument("--flat-interval", type=float, default=0.02, help="-t of the flat phase's server")
    parser.add_argument("--flat-samples", type=int, default=1000, help="0 skips the flat phase")
    parser.add_argument("--flat-requests", type=int, default=100_000)
    parser.add_argument("--peer", help="another server's command line (without -B/-p) to measure getAll/1 against")
    parser.add_argument("--json-out", help="append the report as one JSON line to this file")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")

    report = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "glanced": os.path.basename(args.glanced),
              "cpus": os.cpu_count(), "loadavg_before": list(os.getloadavg()), "extra": args.extra}
    children = IdleChildren(args.extra)
    server = None
    try:
        time.sleep(1)
        server = Server([args.glanced], args.port)
        report["server_command"] = " ".join([os.path.basename(args.glanced)] + server.command[1:])
        prime(server)
        time.sleep(0.5)
        start = server_status(server.pid)
        report["start"] = start
        print("server  %s, %d processes scanned, RSS %.1f MB (anonymous %.1f, file-backed %.1f), %d threads" % (
            report["server_command"], len([d for d in os.listdir("/proc") if d.isdigit()]), start["VmRSS"] / 1024,
            start["RssAnon"] / 1024, start["RssFile"] / 1024, start["Threads"]), flush=True)
        if args.idle > 0:
            with Phase(server.pid) as phase:
                time.sleep(args.idle)
            report["idle"] = phase.figures()
            print("idle    %.0f s without clients: server cpu %.0f ms (machine busy %.0f%%)" % (
                phase.wall, 1000 * phase.server, 100 * phase.machine_busy), flush=True)
        report["getCpu"] = load_phase(server, "getCpu", args, "getCpu")
        report["getAll"] = load_phase(server, "getAll", args, "getAll")
        report["getAll_c1"] = load_phase(server, "getAll", args, "getAll/1", connections=1, repeat=1)
        end = server_status(server.pid)
        report["end"] = end
        print("server  after the load: RSS %.1f MB (anonymous %.1f), peak %.1f MB, %d threads" % (
            end["VmRSS"] / 1024, end["RssAnon"] / 1024, end["VmHWM"] / 1024, end["Threads"]), flush=True)
    finally:
        if server is not None:
            server.stop()
    try:
        if args.peer:
            peer = Server(args.peer, args.port + 2)
            try:
                prime(peer)
                report["peer_command"] = " ".join(os.path.basename(x) if x.startswith("/") else x
                                                  for x in peer.command)
                report["peer_getAll_c1"] = load_phase(peer, "getAll", args, "peer/1", connections=1, repeat=1)
            finally:
                peer.stop()
            ours = report["getAll_c1"][0]["server_cpu_us_per_call"]
            theirs = report["peer_getAll_c1"][0]["server_cpu_us_per_call"]
            print("getAll, one client: server CPU per call %.1f us here, %.1f us for the peer: %.0fx less" % (
                ours, theirs, theirs / max(ours, 1e-9)), flush=True)
        if args.flat_samples > 0:
            flat_phase(args, report)
    finally:
        children.stop()
    report["loadavg_after"] = list(os.getloadavg())
    print("load average before %s, after %s (%d cores)" % (
        " ".join("%.2f" % x for x in report["loadavg_before"]), " ".join("%.2f" % x for x in report["loadavg_after"]),
        report["cpus"]))
    if args.json_out:
        with open(args.json_out, "a") as f:
            f.write(json.dumps(report) + "\n")


if __name__ == "__main__":
    main()
