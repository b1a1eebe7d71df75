#!/usr/bin/env python3
"""HTTP throughput against the limit: glanced's cached replies against nginx returning fixed replies of the same size.

Starts N idle extra processes, glanced (`-t 1`) and nginx (Debian's package, one worker, access log off), each on
loopback. For every route it first asks glanced once, as the client would (XML-RPC `getCpu` with
`Accept-Encoding: gzip` as Python's xmlrpc.client sends it, `GET /api/4/cpu` and `GET /metrics` with
`Accept-Encoding: gzip`), and gives nginx a location that answers the same method with a fixed body of the same
length, the same `Content-Type` (and `Content-Encoding`, when glanced's reply had one). Then the same wrk command
against both, one after the other: `wrk -t1 -c32 -d SECONDS --latency`. Prints req/s, p99 and errors of each and
the ratio glanced / nginx.

Usage: bench_http.py --glanced BIN [--extra 1000] [--seconds 10] [--connections 32]
"""

import argparse
import http.client
import os
import random
import re
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
XMLRPC_BODY = ("<?xml version='1.0'?>\n<methodCall>\n<methodName>getCpu</methodName>\n<params>\n"
               "</params>\n</methodCall>\n")

# (label, method, path, wrk's extra arguments after the URL)
ROUTES = [
    ("XML-RPC getCpu (gzip)", "POST", "/RPC2", ["-s", os.path.join(HERE, "xmlrpc.lua")], ["--", "getCpu", "gzip"]),
    ("GET /api/4/cpu (gzip)", "GET", "/api/4/cpu", ["-H", "Accept-Encoding: gzip"], []),
    ("GET /metrics (gzip)", "GET", "/metrics", ["-H", "Accept-Encoding: gzip"], []),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(port, method, path):
    """glanced's reply to the route as the client asks: (body length, content type, content encoding)."""
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Accept-Encoding": "gzip"}
            body = None
            if method == "POST":
                headers.update({"Content-Type": "text/xml", "User-Agent": "Python-xmlrpc/3.11"})
                body = XMLRPC_BODY
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            data = reply.read()
            if reply.status != 200:
                raise SystemExit(f"glanced answered {method} {path} with {reply.status}")
            return len(data), reply.getheader("Content-Type"), reply.getheader("Content-Encoding")
        except (ConnectionError, OSError):
            time.sleep(0.1)
    raise SystemExit("glanced did not answer")


def nginx_config(work, port, replies):
    """One location per route returning a fixed body of glanced's length (in `set` chunks: nginx caps a token)."""
    locations = []
    for index, (method, path, (length, content_type, encoding)) in enumerate(replies):
        text = "".join(random.choice(string.ascii_letters) for _ in range(length))
        chunks = [text[at:at + 3000] for at in range(0, length, 3000)]
        sets = " ".join(f'set $b{index}_{n} "{chunk}";' for n, chunk in enumerate(chunks))
        body = "".join(f"$b{index}_{n}" for n in range(len(chunks)))
        extra = f"add_header Content-Encoding {encoding};" if encoding else ""
        locations.append(f'location = {path} {{ default_type "{content_type}"; {extra} {sets} return 200 "{body}"; }}')
    return f"""
worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path {work};
    server {{
        listen 127.0.0.1:{port};
        {chr(10).join(locations)}
    }}
}}
"""


def wrk(port, route, seconds, connections):
    label, method, path, before, after = route
    command = (["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"] + before
               + [f"http://127.0.0.1:{port}{path}"] + after)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    status = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(status.group(1)) if status else 0
    return rps, p99_ms, errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--glanced", required=True)
    parser.add_argument("--extra", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("nginx") or not shutil.which("wrk"):
        raise SystemExit("needs nginx and wrk (apt-get install nginx-light wrk)")
    idle = [subprocess.Popen(["sleep", "3600"]) for _ in range(args.extra)]
    children = []
    work = tempfile.mkdtemp(prefix="glanced-http-bench-")
    try:
        glanced_port, nginx_port = free_port(), free_port()
        devnull = subprocess.DEVNULL
        glanced = subprocess.Popen([args.glanced, "-B", "127.0.0.1", "-p", str(glanced_port), "-t", "1"],
                                   stdout=devnull, stderr=devnull)
        children.append(glanced)
        replies = [(method, path, ask(glanced_port, method, path)) for _, method, path, _, _ in ROUTES]
        with open(os.path.join(work, "nginx.conf"), "w") as f:
            f.write(nginx_config(work, nginx_port, replies))
        nginx = subprocess.Popen(["nginx", "-c", os.path.join(work, "nginx.conf")], stdout=devnull, stderr=devnull)
        children.append(nginx)
        time.sleep(0.5)
        print(f"{sum(1 for _ in os.listdir('/proc') if _.isdigit())} processes; wrk -t1 -c{args.connections} "
              f"-d{args.seconds}s, nginx then glanced per route")
        print("| route | reply bytes | nginx req/s | glanced req/s | glanced / nginx | glanced p99 ms | errors |")
        print("|---|---|---|---|---|---|---|")
        for route, (_, _, (length, _, _)) in zip(ROUTES, replies):
            n_rps, _, n_errors = wrk(nginx_port, route, args.seconds, args.connections)
            g_rps, g_p99, g_errors = wrk(glanced_port, route, args.seconds, args.connections)
            print(f"| {route[0]} | {length} | {n_rps:,.0f} | {g_rps:,.0f} | {g_rps / n_rps:.2f} | {g_p99:.2f} "
                  f"| {g_errors} (nginx {n_errors}) |", flush=True)
    finally:
        for child in children + idle:
            child.kill()
        for child in children + idle:
            child.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
