#!/usr/bin/env python3
"""Server CPU per cached GET /api/4/all: glanced against a real Glances 4.5.8 `-w`, in one run.

    python3 Tests/rest/bench_rest.py --glanced BIN --glances VENV/bin/glances [--extra 1000] [--requests 200]

Both servers start on 127.0.0.1 with a refresh interval longer than the run (`-t 120`), so every request after
the warm-up is answered from the same sample: what is measured is the cost of answering, not of sampling. Each
request is one keep-alive GET with `Accept-Encoding: gzip` (as Home Assistant's httpx sends it). CPU is the
server process's utime+stime from /proc/PID/stat before and after. `--extra N` idle `sleep` children make the
process list as long as on a busy server.
"""
import argparse, http.client, os, signal, socket, subprocess, sys, tempfile, time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_ready(port, path, deadline=60):
    end = time.time() + deadline
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            if r.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("server on port %d never answered %s" % (port, path))


def measure(name, argv, requests):
    port = free_port()
    proc = subprocess.Popen([a.replace("PORT", str(port)) for a in argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_ready(port, "/api/4/all")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Accept-Encoding": "gzip"}
        for _ in range(5):
            conn.request("GET", "/api/4/all", headers=headers)
            conn.getresponse().read()
        before = cpu_seconds(proc.pid)
        started = time.time()
        size = 0
        for _ in range(requests):
            conn.request("GET", "/api/4/all", headers=headers)
            r = r_ = conn.getresponse()
            size = len(r_.read())
        wall = time.time() - started
        used = cpu_seconds(proc.pid) - before
        return {"name": name, "cpu_ms": used * 1000 / requests, "wall_ms": wall * 1000 / requests,
                "rss_kib": rss_kib(proc.pid), "bytes": size}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--glanced", required=True)
    ap.add_argument("--glances", required=True)
    ap.add_argument("--extra", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=200)
    a = ap.parse_args()
    children = [subprocess.Popen(["sleep", "600"]) for _ in range(a.extra)]
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.close()
    try:
        time.sleep(1)
        rows = [
            measure("glanced", [a.glanced, "-B", "127.0.0.1", "-p", "PORT", "-t", "120", "-C", conf.name],
                    a.requests),
            measure("Glances 4.5.8 -w", [a.glances, "-w", "--disable-webui", "-B", "127.0.0.1", "-p", "PORT",
                                         "-t", "120", "-C", conf.name, "--disable-check-update",
                                         "--disable-autodiscover", "--disable-plugin", "ip,cloud"],
                    max(20, a.requests // 10)),
        ]
    finally:
        for c in children:
            c.kill()
        for c in children:
            c.wait()
        os.unlink(conf.name)
    print("processes: %d extra idle; cached GET /api/4/all, gzip accepted" % a.extra)
    print("| server | CPU per request | wall per request | reply bytes (gzip) | RSS |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| %s | %.3f ms | %.3f ms | %d | %.1f MB |" % (r["name"], r["cpu_ms"], r["wall_ms"], r["bytes"],
                                                         r["rss_kib"] / 1024))
    print("ratio (Glances CPU / glanced CPU): %.0f x" % (rows[1]["cpu_ms"] / max(rows[0]["cpu_ms"], 1e-6)))


if __name__ == "__main__":
    main()
