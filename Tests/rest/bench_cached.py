#!/usr/bin/env python3
"""Server CPU per cached request, route by route: glanced against the Glances 4.5.8 server that answers the same.

    python3 Tests/rest/bench_cached.py --glanced BIN --glances VENV/bin/glances [--extra 1000]

REST (`GET /api/4/...`, gzip accepted as Home Assistant's and Homepage's clients send it) against `glances -w`, and
XML-RPC generation 4 (`glanced --xmlrpc-api 4`, `POST /RPC2`, gzip as xmlrpc.client asks) against `glances -s`.
Every server runs with `-t 120`, so that after a warm-up each request is answered from the same sample: the cost of
answering, not of sampling. One keep-alive client asks each route N times in a row (glanced many more times than
Glances, its requests being cheaper); CPU is the sum over the server's threads of /proc/PID/task/*/schedstat (run
time in nanoseconds) before and after. `--extra N` idle children make the process list as long as on a busy server.

The physical limit, measured the same way: nginx (Debian's, one worker) answering each route with a fixed body of
glanced's length, type and encoding, asked by the same client in the same way (a POST's head and body in two
writes, as http.client sends them); XML-RPC calls go to one location per method (`/RPC2-<method>`), nginx not
reading bodies to choose. Prints one table row per route and the smallest ratios.
"""
import argparse, glob, gzip, http.client, os, shutil, signal, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "load"))
from bench_http import nginx_config  # noqa: E402

REST = ["/api/4/all", "/api/4/cpu", "/api/4/processlist", "/api/4/mem", "/api/4/fs", "/api/4/network",
        "/api/4/load/min1", "/api/4/quicklook", "/api/4/pluginslist", "/api/4/cpu/history", "/api/4/system",
        "/api/4/processcount"]
# What the Glances 4 client calls: getAll, getAllPlugins, getAllLimits, and getPlugin(name) per plugin
# (Glances 4's server has no getCpu & co.).
XMLRPC = ["getAll", "getAllPlugins", "getAllLimits"] + [
    "getPlugin:" + name for name in ("cpu", "processlist", "mem", "fs", "network", "load", "quicklook", "system")]
CALL = "<?xml version='1.0'?>\n<methodCall>\n<methodName>%s</methodName>\n<params>\n%s</params>\n</methodCall>\n"
PARAM = "<param>\n<value><string>%s</string></value>\n</param>\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_ns(group):
    """Run time in ns of every thread of the process group `group` (a server started in a session of its own, and
    its children: nginx's worker)."""
    total = 0
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            if int(open(stat).read().rsplit(")", 1)[1].split()[2]) != group:
                continue
            for path in glob.glob(os.path.join(os.path.dirname(stat), "task", "*", "schedstat")):
                total += int(open(path).read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def nginx_path(route):
    return route if route.startswith("/") else "/RPC2-" + route.replace(":", "-")


def ask(conn, route, path=None):
    """Asks `route` (at `path` if given) once: (reply body bytes, Content-Type, Content-Encoding)."""
    if route.startswith("/"):
        conn.request("GET", path or route, headers={"Accept-Encoding": "gzip"})
    else:
        method, _, argument = route.partition(":")
        conn.request("POST", path or "/RPC2", body=CALL % (method, PARAM % argument if argument else ""),
                     headers={"Content-Type": "text/xml", "Accept-Encoding": "gzip", "User-Agent": "Python-xmlrpc"})
    reply = conn.getresponse()
    body = reply.read()
    if reply.status != 200:
        raise SystemExit("%s answered %d" % (route, reply.status))
    if not route.startswith("/") and b"<fault>" in (gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body):
        raise SystemExit("%s answered a fault" % route)
    return len(body), reply.getheader("Content-Type"), reply.getheader("Content-Encoding")


def serve(argv, probe, port=None, path=None):
    port = port or free_port()
    proc = subprocess.Popen([a.replace("PORT", str(port)) for a in argv], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    end = time.time() + 120
    while time.time() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            ask(conn, probe, path)
            return proc, conn
        except (OSError, http.client.HTTPException, SystemExit):
            time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    raise SystemExit("%s never answered %s" % (argv[0], probe))


def measure(proc, conn, routes, requests, paths=None):
    """Per route: (server µs per request, the last reply's (length, type, encoding))."""
    costs = {}
    for route in routes:
        path = paths and paths[route]
        for _ in range(3):
            ask(conn, route, path)
        before = run_ns(proc.pid)
        reply = None
        for _ in range(requests):
            reply = ask(conn, route, path)
        costs[route] = ((run_ns(proc.pid) - before) / requests / 1e3, reply)
    return costs


def measure_nginx(routes, replies, requests):
    """nginx answering each route with a fixed body like glanced's reply, asked as glanced was."""
    work = tempfile.mkdtemp(prefix="bench-nginx-")
    port = free_port()
    paths = {route: nginx_path(route) for route in routes}
    config = nginx_config(work, port, [("", paths[route], replies[route]) for route in routes])
    with open(os.path.join(work, "nginx.conf"), "w") as f:
        f.write(config)
    proc, conn = serve(["nginx", "-c", os.path.join(work, "nginx.conf")], routes[0], port, paths[routes[0]])
    try:
        return measure(proc, conn, routes, requests, paths)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--glanced", required=True)
    ap.add_argument("--glances", required=True)
    ap.add_argument("--extra", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=5000, help="per route for glanced (Glances gets 1/100)")
    a = ap.parse_args()
    children = [subprocess.Popen(["sleep", "900"]) for _ in range(a.extra)]
    conf = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    conf.close()
    glances_common = ["-B", "127.0.0.1", "-p", "PORT", "-t", "120", "-C", conf.name, "--disable-check-update",
                      "--disable-autodiscover", "--disable-plugin", "ip,cloud"]
    rows = []
    try:
        for kind, routes, ours, theirs in [
            ("REST", REST, [a.glanced, "-B", "127.0.0.1", "-p", "PORT", "-t", "120", "-C", conf.name],
             [a.glances, "-w", "--disable-webui"] + glances_common),
            ("XML-RPC 4", XMLRPC, [a.glanced, "-B", "127.0.0.1", "-p", "PORT", "-t", "120", "-C", conf.name,
                                   "--xmlrpc-api", "4"], [a.glances, "-s"] + glances_common),
        ]:
            results = []
            for argv, requests in ((ours, a.requests), (theirs, max(10, a.requests // 100))):
                proc, conn = serve(argv, routes[0])
                try:
                    results.append(measure(proc, conn, routes, requests))
                finally:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=30)
            results.append(measure_nginx(routes, {route: results[0][route][1] for route in routes}, a.requests))
            for route in routes:
                (mine, my_reply), (peer, peer_reply), (limit, _) = (r[route] for r in results)
                rows.append((kind, route, mine, peer, limit, my_reply[0], peer_reply[0]))
    finally:
        for c in children:
            c.kill()
        for c in children:
            c.wait()
        os.unlink(conf.name)
    print("%d extra idle processes; cached requests, gzip accepted; server CPU per request (schedstat)" % a.extra)
    print("| API | route | glanced µs | Glances 4.5.8 µs | Glances / glanced | nginx µs, same reply (the limit) "
          "| glanced / nginx | Glances / nginx | reply bytes (glanced / Glances) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind, route, mine, peer, limit, my_size, peer_size in rows:
        print("| %s | %s | %.1f | %.0f | %.0f × | %.1f | %.2f | %.0f × | %d / %d |" % (
            kind, route, mine, peer, peer / mine, limit, mine / limit, peer / limit, my_size, peer_size))
    worst = min(rows, key=lambda r: r[3] / r[2])
    print("smallest ratio Glances / glanced: %.0f × (%s %s)" % (worst[3] / worst[2], worst[0], worst[1]))
    worst = max(rows, key=lambda r: r[2] / r[4])
    print("largest ratio glanced / nginx: %.2f (%s %s)" % (worst[2] / worst[4], worst[0], worst[1]))


if __name__ == "__main__":
    main()
