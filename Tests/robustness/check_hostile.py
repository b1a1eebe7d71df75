#!/usr/bin/env python3
"""Hostile process names, command lines and mount points through every output of a running glanced.

In a private mount and pid namespace (so that /proc/1/mountinfo, which /metrics reads as node_exporter does,
is this namespace's), a tmpfs is mounted at a directory whose name has spaces, a tab, a newline, a backslash
and quotes in it, from a source with spaces and quotes; processes renamed with PR_SET_NAME to hostile names
(quotes, backslashes, newlines, control bytes, invalid UTF-8, exposition and XML syntax), each holding some
memory and using a little CPU, run with hostile arguments. glanced is started (with `[fs] allow = tmpfs`, so
that the tmpfs is listed, and a top list of 50 names) and, after a few samples:

  - XML-RPC getAll, getProcessList and getFs (Glances 2 generation, and the 3 and 4 ones on ports of their
    own) and REST /api/2|3|4/all, /processlist and /fs parse with Python's json (strict: no raw control
    characters, valid UTF-8, no lone surrogates);
  - each hostile process is in every process list under its name as the kernel keeps it (15 bytes) with
    invalid UTF-8 replaced by U+FFFD, with its arguments likewise;
  - the mount point and its source read back exactly, decoded from mountinfo's octal escapes, in getFs and
    /api/*/fs, with the size statvfs gives;
  - /metrics passes `promtool check metrics` (only node_exporter's own camelCase and *_bits names remarked)
    and prometheus_client's parser, which reads each hostile name back in glanced_top_process_* and the mount
    point in node_filesystem_*{mountpoint=...};
  - the server answers normally afterwards and stops cleanly on SIGTERM.

Runs as root; needs `unshare`, `mount`, `promtool` and the prometheus_client module.
Usage: check_hostile.py --glanced BIN [--keep]
"""

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import xmlrpc.client

# Names set with PR_SET_NAME; the kernel keeps the first 15 bytes.
HOSTILE_NAMES = [
    b"q\"uote's",
    b"back\\slash\\",
    b"new\nline\n",
    b"ctl\x01\x1b[31m\x7f",
    b"tab\there\rcr",
    b"bad\xff\xfeutf8",
    b"\xc3\x28x",
    b'{a="b"} 1',
    b"</value>",
    b"]]>&amp;<x",
    b"\\u0000%s%n\\",
    "café €".encode(),
    b"aaaaaaaaaaaaaa\xc3\xa9",  # the kernel cuts the "é" in two
    b'long "name" \\ cut here',
]
# Arguments each of them is started with (no double spaces: REST lists split the command line at spaces).
HOSTILE_ARGV = [b'arg "q" \\ end', b"nl\nctl\x01\x1b\x7f", b"\xff\xfe\xc3\x28", b"</value>]]>", b'{a="b"} 1']
MOUNT_NAME = "mnt with spaces\ttab\nnewline\\backslash \"quote\" 'single' é"
MOUNT_SOURCE = 'hostile "src" \\ dev'

CHILD = r"""
import ctypes, sys, time
ctypes.CDLL(None).prctl(15, ctypes.c_char_p(bytes.fromhex(sys.argv[1])), 0, 0, 0)
ballast = bytearray(32 << 20)
for i in range(0, len(ballast), 4096):
    ballast[i] = 1
sys.stdout.write("ready\n")
sys.stdout.flush()
while True:
    end = time.monotonic() + 0.005
    while time.monotonic() < end:
        pass
    time.sleep(0.1)
"""

CONFIG = """[fs]
allow = tmpfs

[prometheus]
top_processes = 50
"""

PROMTOOL_ALLOWED = re.compile(
    r"^(node_memory_\w+ metric names should be written in 'snake_case' not 'camelCase'"
    r"|node_entropy_\w+_bits use base unit \"bytes\" instead of \"bits\")$")


class Checks:
    def __init__(self):
        self.passed = 0
        self.failures = []

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
            print("FAIL:", what, flush=True)
        return ok


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, headers=None, timeout=10):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        body = reply.read()
        if reply.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return reply.status, body


def strings_in(value):
    """Every string of a parsed JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def parse_json(checks, what, text):
    """json.loads of a reply (bytes: strict UTF-8 first); None when it does not parse."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        value = json.loads(text)
    except (UnicodeDecodeError, ValueError) as error:
        checks.check(False, f"{what}: not valid JSON ({error})")
        return None
    lone = [s for s in strings_in(value) if re.search("[\ud800-\udfff]", s)]
    checks.check(not lone, f"{what}: strings with lone surrogates: {lone[:3]!r}")
    return value


def expected_name(raw):
    return raw[:15].decode("utf-8", errors="replace")


def expected_arguments():
    return b" ".join(HOSTILE_ARGV).decode("utf-8", errors="replace")


def check_processes(checks, what, processes, children):
    """Each hostile child is in `processes` with its name and arguments."""
    if not checks.check(isinstance(processes, list) and processes, f"{what}: no process list"):
        return
    by_pid = {p.get("pid"): p for p in processes if isinstance(p, dict)}
    arguments = expected_arguments()
    for raw, child in children:
        entry = by_pid.get(child.pid)
        if not checks.check(entry is not None, f"{what}: pid {child.pid} ({raw!r}) missing"):
            continue
        checks.check(entry.get("name") == expected_name(raw),
                     f"{what}: pid {child.pid} named {entry.get('name')!r}, not {expected_name(raw)!r}")
        cmdline = entry.get("cmdline")
        text = " ".join(cmdline) if isinstance(cmdline, list) else cmdline
        checks.check(isinstance(text, str) and text.endswith(" " + arguments),
                     f"{what}: pid {child.pid} cmdline {cmdline!r} does not end with {arguments!r}")


def check_fs(checks, what, filesystems, mount, stats):
    if not checks.check(isinstance(filesystems, list), f"{what}: not a list"):
        return
    entries = [f for f in filesystems if isinstance(f, dict) and f.get("mnt_point") == mount]
    points = [f.get("mnt_point") for f in filesystems if isinstance(f, dict)]
    if not checks.check(len(entries) == 1, f"{what}: mount point {mount!r} not listed once (listed: {points!r})"):
        return
    entry = entries[0]
    checks.check(entry.get("device_name") == MOUNT_SOURCE,
                 f"{what}: device_name {entry.get('device_name')!r}, not {MOUNT_SOURCE!r}")
    checks.check(entry.get("fs_type") == "tmpfs", f"{what}: fs_type {entry.get('fs_type')!r}")
    size = stats.f_blocks * stats.f_frsize
    checks.check(entry.get("size") == size, f"{what}: size {entry.get('size')}, statvfs says {size}")


def check_metrics(checks, body, children, mount, stats):
    from prometheus_client.parser import text_string_to_metric_families

    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        checks.check(False, f"/metrics: not UTF-8 ({error})")
        return
    lint = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True)
    remarks = [line for line in (lint.stdout + lint.stderr).decode(errors="replace").splitlines() if line]
    unexpected = [r for r in remarks if not PROMTOOL_ALLOWED.match(r)]
    print(f"promtool check metrics: exit {lint.returncode}, {len(remarks)} remarks, {len(unexpected)} unexpected")
    checks.check(lint.returncode in (0, 3) and not unexpected,
                 "promtool check metrics: exit %d: %s" % (lint.returncode, "; ".join(unexpected[:10])))
    samples = {}
    try:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    except Exception as error:  # noqa: BLE001 - any parse error is the finding
        checks.check(False, f"/metrics: prometheus_client's parser: {error!r}")
        return
    checks.check(True, "prometheus_client parses /metrics")
    top = {labels.get("name"): value for labels, value in samples.get("glanced_top_process_procs", [])}
    memory = {labels.get("name"): value
              for labels, value in samples.get("glanced_top_process_resident_memory_bytes", [])}
    cpu = {(labels.get("name"), labels.get("mode")) for labels, _ in samples.get(
        "glanced_top_process_cpu_seconds_total", [])}
    for raw, _ in children:
        name = expected_name(raw)
        if not checks.check(name in top, f"/metrics: {name!r} not in glanced_top_process_procs ({sorted(top)!r})"):
            continue
        checks.check(top[name] == 1, f"/metrics: glanced_top_process_procs{{name={name!r}}} = {top[name]}")
        checks.check(memory.get(name, 0) >= 32 << 20,
                     f"/metrics: glanced_top_process_resident_memory_bytes{{name={name!r}}} = {memory.get(name)}")
        checks.check((name, "user") in cpu and (name, "system") in cpu,
                     f"/metrics: glanced_top_process_cpu_seconds_total lacks {name!r}")
    size = stats.f_blocks * stats.f_bsize
    for family, expected in [("node_filesystem_size_bytes", size), ("node_filesystem_files", stats.f_files),
                             ("node_filesystem_readonly", 0), ("node_filesystem_device_error", 0)]:
        found = [(labels, value) for labels, value in samples.get(family, []) if labels.get("mountpoint") == mount]
        points = sorted(labels.get("mountpoint") for labels, _ in samples.get(family, []))
        if not checks.check(len(found) == 1, f"/metrics: {family} has {mount!r} {len(found)} times ({points!r})"):
            continue
        labels, value = found[0]
        checks.check(labels.get("device") == MOUNT_SOURCE and labels.get("fstype") == "tmpfs",
                     f"/metrics: {family} labels {labels!r}")
        checks.check(value == expected, f"/metrics: {family}{{mountpoint={mount!r}}} = {value}, not {expected}")


def wait_for(condition, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return True
        except Exception:  # noqa: BLE001 - not ready yet
            pass
        time.sleep(0.2)
    return False


def inside(glanced, keep):
    """The test, as pid 1 of its own pid and mount namespaces."""
    checks = Checks()
    workdir = tempfile.mkdtemp(prefix="glanced-hostile-")
    mount = os.path.join(workdir, MOUNT_NAME)
    os.mkdir(mount)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,nr_inodes=1000", MOUNT_SOURCE, mount], check=True)
    with open(os.path.join(mount, "data"), "wb") as f:
        f.write(os.urandom(1 << 20))
    stats = os.statvfs(mount)
    with open("/proc/self/mountinfo") as f:
        print("in mountinfo:", *[line.strip() for line in f if "\\012newline" in line])
    config = os.path.join(workdir, "glanced.conf")
    with open(config, "w") as f:
        f.write(CONFIG)
    child_script = os.path.join(workdir, "child.py")
    with open(child_script, "w") as f:
        f.write(CHILD)

    children = []
    server = None
    log = open(os.path.join(workdir, "glanced.log"), "wb")
    started = time.time()
    try:
        for raw in HOSTILE_NAMES:
            child = subprocess.Popen([sys.executable, child_script, raw.hex(), *HOSTILE_ARGV],
                                     stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
            children.append((raw, child))
        for raw, child in children:
            if child.stdout.readline() != b"ready\n":
                raise SystemExit(f"FAIL: child {raw!r} did not start")
            with open(f"/proc/{child.pid}/comm", "rb") as f:
                assert f.read()[:-1] == raw[:15], raw

        port, port3, port4 = free_port(), free_port(), free_port()
        server = subprocess.Popen(
            [glanced, "-B", "127.0.0.1", "-p", str(port), "-t", "1", "-C", config,
             "--xmlrpc-listen", f"{port3}:3", "--xmlrpc-listen", f"{port4}:4"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        rpc = {generation: xmlrpc.client.ServerProxy(f"http://127.0.0.1:{p}")
               for generation, p in [(2, port), (3, port3), (4, port4)]}
        base = f"http://127.0.0.1:{port}"
        if not wait_for(lambda: rpc[2].init() == "2.0", 30):
            raise SystemExit("FAIL: glanced did not answer init()")
        # A few samples: every child listed with its CPU measured over a whole interval.
        pids = {child.pid for _, child in children}
        wait_for(lambda: pids <= {p["pid"] for p in json.loads(rpc[2].getProcessList())}, 15)
        time.sleep(2.5)

        # XML-RPC: the Glances methods answer JSON text.
        for generation, proxy in rpc.items():
            what = f"XML-RPC ({generation}.x)"
            processes = parse_json(checks, f"{what} getProcessList", proxy.getProcessList())
            check_processes(checks, f"{what} getProcessList", processes, children)
            everything = parse_json(checks, f"{what} getAll", proxy.getAll())
            if checks.check(isinstance(everything, dict), f"{what} getAll: not an object"):
                check_processes(checks, f"{what} getAll processlist", everything.get("processlist"), children)
                check_fs(checks, f"{what} getAll fs", everything.get("fs"), mount, stats)
            check_fs(checks, f"{what} getFs", parse_json(checks, f"{what} getFs", proxy.getFs()), mount, stats)

        # REST, plain and gzipped.
        for version in (2, 3, 4):
            for path, headers in [("all", {}), ("processlist", {}), ("fs", {"Accept-Encoding": "gzip"})]:
                url = f"/api/{version}/{path}"
                status, body = http_get(base + url, headers)
                checks.check(status == 200, f"{url}: status {status}")
                value = parse_json(checks, url, body)
                if path == "all":
                    if checks.check(isinstance(value, dict), f"{url}: not an object"):
                        check_processes(checks, url + " processlist", value.get("processlist"), children)
                        check_fs(checks, url + " fs", value.get("fs"), mount, stats)
                elif path == "processlist":
                    check_processes(checks, url, value, children)
                else:
                    check_fs(checks, url, value, mount, stats)
        # The entries of a list whose field has a value: the mount point, percent-encoded, in the path.
        mnt_url = "/api/4/fs/mnt_point/value/" + urllib.parse.quote(mount, safe="/")
        status, body = http_get(base + mnt_url)
        value = parse_json(checks, mnt_url, body)
        found = [f.get("mnt_point") for f in value.get(mount, [])] if isinstance(value, dict) else None
        checks.check(status == 200 and found == [mount], f"{mnt_url}: {value!r}")

        # Prometheus.
        status, body = http_get(base + "/metrics", {"Accept-Encoding": "gzip"})
        checks.check(status == 200, f"/metrics: status {status}")
        check_metrics(checks, body, children, mount, stats)

        # Still serving normally.
        checks.check(server.poll() is None, "glanced exited")
        checks.check(rpc[2].init() == "2.0", "init() after the checks")
        cpu = parse_json(checks, "getCpu", rpc[2].getCpu())
        checks.check(isinstance(cpu, dict) and "idle" in cpu, f"getCpu after the checks: {cpu!r}")
        status, body = http_get(base + "/api/4/mem")
        memory = parse_json(checks, "/api/4/mem", body)
        checks.check(status == 200 and isinstance(memory, dict) and memory.get("total", 0) > 0,
                     f"/api/4/mem after the checks: {memory!r}")
        status, _ = http_get(base + "/")
        checks.check(status == 200, f"web page after the checks: status {status}")
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            code = None
        checks.check(code == 0, f"glanced exited with {code} on SIGTERM")
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait()
        for _, child in children:
            child.kill()
            child.wait()
        log.close()
        if checks.failures:
            with open(log.name, "rb") as f:
                print("glanced's log (tail):\n" + f.read()[-4000:].decode(errors="replace"))
        subprocess.run(["umount", mount], check=False)
        if keep:
            print("work directory:", workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"hostile names and mounts: {time.time() - started:.1f} s")
    print(f"hostile: {checks.passed} passed, {len(checks.failures)} failed")
    return 1 if checks.failures else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--glanced", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    glanced = os.path.abspath(args.glanced)
    if args.inside:
        sys.exit(inside(glanced, args.keep))
    if os.geteuid() != 0:
        raise SystemExit("check_hostile.py runs as root (mount namespaces, tmpfs)")
    if shutil.which("promtool") is None:
        raise SystemExit("check_hostile.py needs promtool (Debian's prometheus package)")
    try:
        import prometheus_client.parser  # noqa: F401
    except ImportError:
        raise SystemExit("check_hostile.py needs the prometheus_client module")
    # Pid 1 of the new pid namespace reads this namespace's mounts at /proc/1/mountinfo; the namespaces, the
    # tmpfs and every process started in them go when it exits (--kill-child: also when unshare is killed).
    command = ["unshare", "--mount", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private",
               sys.executable, os.path.abspath(__file__), "--inside", "--glanced", glanced]
    if args.keep:
        command.append("--keep")
    try:
        sys.exit(subprocess.run(command, timeout=300).returncode)
    except subprocess.TimeoutExpired:
        raise SystemExit("FAIL: check_hostile.py took more than 300 s")


if __name__ == "__main__":
    main()
