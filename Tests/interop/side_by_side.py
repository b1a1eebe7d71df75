#!/usr/bin/env python3
"""Side-by-side: glanced's getAll against the real Glances server of each generation.

Starts the real `glances -s` of generation 3 (Debian's 3.3.1) and 4 (a venv's 4.5.8) and glanced
(`--xmlrpc-api 3`, `--xmlrpc-listen PORT:4`) on 127.0.0.1, takes two getAll replies of each (the
second one after the deltas settle), and compares, for every plugin both have, the key set and the
JSON type of every value, recursively (list entries: the union of their keys). int and float are one
type (JSON has one number type); null matches any type (a value the machine does not have). Plugins
glanced does not have, and lists empty on either side, are not compared.

  side_by_side.py --glanced BIN --glances3 /usr/bin/glances --glances4 VENV/bin/glances [--work DIR]

Exit 0 when every compared plugin agrees; prints one line per plugin.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

# Keys a real server sends that glanced may leave out (optional in the client, see GLANCES-V3-V4.md §2).
OPTIONAL = {("processlist", "cpu_num")}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_init(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            return xmlrpc.client.ServerProxy("http://127.0.0.1:%d" % port).init()
        except (OSError, xmlrpc.client.ProtocolError):
            time.sleep(0.3)
    raise SystemExit("side_by_side: nothing answers init() on port %d" % port)


def get_all(port):
    p = xmlrpc.client.ServerProxy("http://127.0.0.1:%d" % port)
    p.getAll()
    time.sleep(2.2)
    return json.loads(p.getAll())


def kind(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    return "object"


def compare(path, real, ours, problems, plugin):
    kr, ko = kind(real), kind(ours)
    if "null" in (kr, ko):
        return
    if kr != ko:
        problems.append("%s: %s in the real server, %s in glanced" % (path, kr, ko))
        return
    if kr == "object":
        for k in sorted(set(real) | set(ours)):
            if k not in ours and (plugin, k) not in OPTIONAL:
                problems.append("%s.%s: missing in glanced" % (path, k))
            elif k not in real and (plugin, k) not in OPTIONAL:
                problems.append("%s.%s: not in the real server" % (path, k))
            elif k in real and k in ours:
                compare("%s.%s" % (path, k), real[k], ours[k], problems, plugin)
    elif kr == "list" and real and ours:
        if all(isinstance(x, dict) for x in real + ours):
            merged_real, merged_ours = {}, {}
            for x in real:
                merged_real.update({k: v for k, v in x.items() if v is not None or k not in merged_real})
            for x in ours:
                merged_ours.update({k: v for k, v in x.items() if v is not None or k not in merged_ours})
            compare(path + "[]", merged_real, merged_ours, problems, plugin)
        else:
            compare(path + "[0]", real[0], ours[0], problems, plugin)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--glanced", required=True)
    ap.add_argument("--glances3", default="/usr/bin/glances")
    ap.add_argument("--glances4", required=True)
    ap.add_argument("--work", default=None)
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="glanced-sbs-")
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, HOME=work, XDG_CONFIG_HOME=os.path.join(work, "config"))
    conf = os.path.join(work, "glances.conf")
    with open(conf, "w") as f:   # no public-IP or gateway look-ups from the real servers
        f.write("[global]\ncheck_update=false\n\n[ports]\nport_default_gateway=False\n\n[ip]\ndisable=True\n")
    procs = []
    ports = {"real3": free_port(), "real4": free_port(), "ours3": free_port(), "ours4": free_port()}
    try:
        for name, cmd in (
                ("real3", [args.glances3, "-s", "-B", "127.0.0.1", "-p", str(ports["real3"]), "-C", conf,
                           "--disable-autodiscover"]),
                ("real4", [args.glances4, "-s", "-B", "127.0.0.1", "-p", str(ports["real4"]), "-C", conf,
                           "--disable-autodiscover"]),
                ("ours", [args.glanced, "-B", "127.0.0.1", "-p", str(ports["ours3"]), "--xmlrpc-api", "3",
                          "--xmlrpc-listen", "%d:4" % ports["ours4"]])):
            log = open(os.path.join(work, name + ".log"), "w")
            procs.append(subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env))
        versions = {name: str(wait_init(port)) for name, port in ports.items()}
        print("init: " + ", ".join("%s=%s" % kv for kv in sorted(versions.items())))
        failed = 0
        for generation in ("3", "4"):
            real, ours = get_all(ports["real" + generation]), get_all(ports["ours" + generation])
            plugins_ours = json.loads(xmlrpc.client.ServerProxy(
                "http://127.0.0.1:%d" % ports["ours" + generation]).getAllPlugins())
            if sorted(plugins_ours) != sorted(ours):
                print("FAIL %s getAllPlugins != getAll keys: %s" % (generation, sorted(set(plugins_ours) ^ set(ours))))
                failed += 1
            extra = sorted(set(ours) - set(real))
            if extra:
                print("FAIL %s glanced sends plugins the real server does not: %s" % (generation, extra))
                failed += 1
            for plugin in sorted(set(real) & set(ours)):
                problems = []
                compare(plugin, real[plugin], ours[plugin], problems, plugin)
                status = "FAIL" if problems else "ok  "
                failed += bool(problems)
                print("%s %s %-14s %s" % (status, generation, plugin, "; ".join(problems[:8])))
            print("     %s not in glanced: %s" % (generation, ", ".join(sorted(set(real) - set(ours)))))
        print("%d plugin(s) differ" % failed)
        return 1 if failed else 0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    sys.exit(main())
