#!/usr/bin/env python3
"""Idle cost: what a glanced server does when nobody polls, with every output in use before.

    python3 Tests/load/bench_idle.py --glanced BIN [--extra 1000] [--seconds 60]

Starts N idle extra processes and glanced (the default configuration: every output on, `-t 1`), asks every output
once (XML-RPC `getAll`, `/api/2/all`, `/api/3/all`, `/api/4/all`, `/metrics`, the web page `/`), waits two
refresh intervals, then leaves it alone for the given seconds and reports, from outside the server:

- its CPU time, utime + stime of `/proc/PID/stat` (every thread's, those that ended too; 10 ms ticks), and that
  as a share of one core;
- its read system calls (`syscr` of `/proc/PID/io`): a sample reads thousands of `/proc` files, so a count that
  stays flat means no sample was taken; the samples are also counted from the run time (one costs more than the
  whole idle budget);
- its VmRSS and anonymous memory before and after.
"""
import argparse, http.client, os, signal, socket, subprocess, time

CALL = b"<?xml version='1.0'?>\n<methodCall>\n<methodName>getAll</methodName>\n<params>\n</params>\n</methodCall>\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ms(pid):
    """utime + stime of the whole process, in ms."""
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def field(path, name):
    for line in open(path):
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise SystemExit("no %s in %s" % (name, path))


def ask(port, method, path, body=None):
    for _ in range(200):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request(method, path, body=body, headers={"Accept-Encoding": "gzip", "Content-Type": "text/xml"})
            reply = conn.getresponse()
            reply.read()
            conn.close()
            if reply.status != 200:
                raise SystemExit("%s %s answered %d" % (method, path, reply.status))
            return
        except (ConnectionError, OSError):
            time.sleep(0.1)
    raise SystemExit("glanced did not answer")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--glanced", required=True)
    ap.add_argument("--extra", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=60)
    a = ap.parse_args()
    children = [subprocess.Popen(["sleep", "3600"]) for _ in range(a.extra)]
    port = free_port()
    server = subprocess.Popen([a.glanced, "-B", "127.0.0.1", "-p", str(port), "-t", "1"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(2):
            ask(port, "POST", "/RPC2", CALL)
            for path in ("/api/2/all", "/api/3/all", "/api/4/all", "/metrics", "/"):
                ask(port, "GET", path)
            time.sleep(1.1)
        time.sleep(2)
        pid = server.pid
        status = "/proc/%d/status" % pid
        before = (cpu_ms(pid), field("/proc/%d/io" % pid, "syscr"), field(status, "VmRSS"), field(status, "RssAnon"))
        start = time.monotonic()
        time.sleep(a.seconds)
        wall = time.monotonic() - start
        after = (cpu_ms(pid), field("/proc/%d/io" % pid, "syscr"), field(status, "VmRSS"), field(status, "RssAnon"))
        if server.poll() is not None:
            raise SystemExit("glanced exited during the idle time")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        for c in children:
            c.kill()
        for c in children:
            c.wait()
    busy_ms = after[0] - before[0]
    print("%d extra idle processes; every output asked twice, then %.0f s without a client" % (a.extra, wall))
    print("| idle seconds | server CPU ms (utime + stime) | share of one core | read syscalls | VmRSS KiB (before / after) "
          "| anonymous KiB (before / after) |")
    print("|---|---|---|---|---|---|")
    print("| %.0f | %.0f | %.3f %% | %d | %d / %d | %d / %d |" % (
        wall, busy_ms, 100 * busy_ms / 1000 / wall, after[1] - before[1], before[2], after[2], before[3], after[3]))


if __name__ == "__main__":
    main()
