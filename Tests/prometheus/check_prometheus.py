#!/usr/bin/env python3
"""glanced's /metrics against real peers: Debian's Prometheus scraping two glanced instances (one through
file_sd, one more with a password) and Debian's prometheus-node-exporter on loopback every second.

Checks, each one failing the run:
  - up == 1 for every target;
  - every expression of the "Node Exporter Full" dashboard (dashboard-1860-expressions.json) of the checked rows
    that returns data for node_exporter returns data for glanced (a per-row table is printed);
  - promtool check metrics: nothing but node_exporter's own camelCase node_memory_* and *_bits names;
  - processes with hostile names (quotes, backslashes, newlines, invalid UTF-8) are in /metrics, escaped, and
    Prometheus still scrapes;
  - node_exporter and glanced side by side: totals equal, moving counters and gauges within a tolerance.

Runs as root: both exporters run in private mount namespaces with the same fake hwmon chip and power supplies.
Usage: check_prometheus.py --glanced BIN
"""

import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PLAIN_PASSWORD = "scrape-me"
HOSTILE_NAMES = [b'q"uote', b"back\\slash", b"new\nline", b"bad\xff\xfeutf8", b'{a="b"} 1', b"\xc3\x28x"]

FAKE_SYSFS = r"""
set -e
stage=$(mktemp -d)
mount --bind /sys/class "$stage"
mount -t tmpfs none /sys/class
for d in "$stage"/*; do
    n=$(basename "$d")
    case $n in hwmon|power_supply) continue ;; esac
    mkdir -p "/sys/class/$n" && mount --bind "$d" "/sys/class/$n"
done
h=/sys/class/hwmon/hwmon0
mkdir -p $h
echo coretemp >$h/name
echo 45000 >$h/temp1_input; echo "Core 0" >$h/temp1_label; echo 80000 >$h/temp1_max
echo 100000 >$h/temp1_crit; echo 0 >$h/temp1_crit_alarm; echo 95000 >$h/temp1_crit_hyst
echo 1200 >$h/fan1_input; echo 300 >$h/fan1_min
p=/sys/class/power_supply
mkdir -p $p/AC $p/BAT0
echo Mains >$p/AC/type; echo 1 >$p/AC/online
echo Battery >$p/BAT0/type; echo 80 >$p/BAT0/capacity; echo Discharging >$p/BAT0/status; echo 1 >$p/BAT0/present
echo 40000000 >$p/BAT0/energy_now; echo 50000000 >$p/BAT0/energy_full
exec "$@"
"""


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
        return reply.status, dict(reply.headers), body


def wait_http(url, seconds=20, headers=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            return http_get(url, headers)
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"FAIL: {url} did not answer within {seconds} s")


def parse_exposition(text):
    """{(name, frozenset(labels)): value} of a text exposition (values as floats)."""
    series = {}
    label = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if "{" in line:
            name, rest = line.split("{", 1)
            labels_text, value = rest.rsplit("} ", 1)
            labels = frozenset(label.findall(labels_text))
        else:
            name, value = line.split(" ", 1)
            labels = frozenset()
        series[(name, labels)] = float(value.split()[0])
    return series


class Peers:
    def __init__(self, glanced, workdir):
        self.glanced = glanced
        self.workdir = workdir
        self.children = []
        self.ports = {k: free_port() for k in ("g1", "g2", "g3", "ne", "prom")}

    def spawn(self, argv, name, fake_sysfs=True):
        log = open(os.path.join(self.workdir, name + ".log"), "wb")
        if fake_sysfs:
            argv = ["unshare", "-m", "--propagation", "private", "sh", "-c", FAKE_SYSFS, "sh"] + argv
        child = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.children.append(child)
        return child

    def stop(self):
        for child in reversed(self.children):
            if child.poll() is None:
                child.terminate()
        for child in self.children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def hostile_processes(workdir):
    """Idle processes renamed with PR_SET_NAME to hostile names, each holding 64 MiB so the top list has them."""
    code = (
        "import ctypes,sys,time\n"
        "name=bytes.fromhex(sys.argv[1])\n"
        "ctypes.CDLL(None).prctl(15, ctypes.c_char_p(name), 0, 0, 0)\n"
        "ballast=bytearray(64<<20)\n"
        "for i in range(0, len(ballast), 4096): ballast[i]=1\n"
        "sys.stdout.write('ready\\n'); sys.stdout.flush()\n"
        "time.sleep(3600)\n"
    )
    children = []
    for name in HOSTILE_NAMES:
        child = subprocess.Popen(
            [sys.executable, "-c", code, name.hex()], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        child.stdout.readline()
        children.append(child)
    return children


def substitute(expr, job, node, nodename):
    for key, value in [
        ("${__rate_interval}", "15s"), ("$__rate_interval", "15s"), ("${__interval}", "5s"),
        ("$__interval", "5s"), ("${__range}", "1m"), ("$__range", "1m"), ("${__range_s}", "60"),
        ("$__range_s", "60"), ("${node}", node), ("$node", node), ("${job}", job), ("$job", job),
        ("${nodename}", nodename), ("$nodename", nodename), ("${ds_prometheus}", ""),
    ]:
        expr = expr.replace(key, value)
    return expr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--glanced", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    glanced = os.path.abspath(args.glanced)
    failures = []
    workdir = tempfile.mkdtemp(prefix="glanced-prom-")
    peers = Peers(glanced, workdir)
    hostile = hostile_processes(workdir)
    try:
        run(peers, workdir, failures)
    finally:
        peers.stop()
        for child in hostile:
            child.kill()
            child.wait()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print("work directory:", workdir)
    if failures:
        print("\nFAILED checks:")
        for failure in failures:
            print("  -", failure)
        print(f"prometheus: 0 passed, {len(failures)} failed")
        sys.exit(1)
    print("prometheus: all checks passed")


def run(peers, workdir, failures):
    ports = peers.ports
    textdir = os.path.join(workdir, "textfile")
    os.makedirs(textdir)
    with open(os.path.join(textdir, "smartmon.prom"), "w") as f:
        f.write('# HELP smartmon_device_active SMART metric device_active\n# TYPE smartmon_device_active gauge\n'
                'smartmon_device_active{disk="/dev/sda",type="sat"} 1\n')
    conf = os.path.join(workdir, "glanced.conf")
    with open(conf, "w") as f:
        f.write(f"[prometheus]\ntop_processes = 30\ntextfile_directory = {textdir}\n\n"
                "[monitor]\nlist_1_description = Python\nlist_1_regex = .*python.*\nlist_1_countmin = 1\n")
    salt = "0123456789abcdef0123456789abcdef"
    stored = salt + "$" + hashlib.sha256(
        (salt + hashlib.sha256(PLAIN_PASSWORD.encode()).hexdigest()).encode()).hexdigest()
    pwfile = os.path.join(workdir, "glanced.pwd")
    with open(pwfile, "w") as f:
        f.write(stored + "\n")

    for key in ("g1", "g2"):
        peers.spawn([peers.glanced, "-B", "127.0.0.1", "-p", str(ports[key]), "-C", conf], key)
    peers.spawn([peers.glanced, "-B", "127.0.0.1", "-p", str(ports["g3"]), "-C", conf, "--password-file", pwfile],
                "g3")
    peers.spawn(["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{ports['ne']}",
                 "--collector.processes", "--collector.interrupts", f"--collector.textfile.directory={textdir}"], "ne")
    g1 = f"127.0.0.1:{ports['g1']}"
    g2 = f"127.0.0.1:{ports['g2']}"
    g3 = f"127.0.0.1:{ports['g3']}"
    ne = f"127.0.0.1:{ports['ne']}"
    for target in (g1, g2, ne):
        wait_http(f"http://{target}/metrics")

    # Auth: the plain password (Prometheus' basic_auth) and the Glances form work on /metrics, nothing else does.
    import base64
    def basic(password):
        return {"Authorization": "Basic " + base64.b64encode(f"glances:{password}".encode()).decode()}
    wait_http(f"http://{g3}/metrics", headers=basic(PLAIN_PASSWORD))
    for headers, want in [({}, 401), (basic("wrong"), 401), (basic(PLAIN_PASSWORD), 200),
                          (basic(hashlib.sha256(PLAIN_PASSWORD.encode()).hexdigest()), 200)]:
        try:
            status = http_get(f"http://{g3}/metrics", headers)[0]
        except urllib.error.HTTPError as error:
            status = error.code
        if status != want:
            failures.append(f"auth: /metrics with {headers or 'no credentials'} gave {status}, want {want}")

    sd = os.path.join(workdir, "file_sd.json")
    with open(sd, "w") as f:
        json.dump([{"targets": [g2], "labels": {"group": "file_sd"}}], f)
    with open(os.path.join(workdir, "prometheus.yml"), "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['{ne}']
  - job_name: glanced
    static_configs:
      - targets: ['{g1}']
    file_sd_configs:
      - files: ['{sd}']
  - job_name: glanced_auth
    basic_auth:
      username: glances
      password: {PLAIN_PASSWORD}
    static_configs:
      - targets: ['{g3}']
""")
    check = subprocess.run(["promtool", "check", "config", os.path.join(workdir, "prometheus.yml")],
                           capture_output=True, text=True)
    if check.returncode != 0:
        failures.append("promtool check config: " + check.stdout + check.stderr)
    peers.spawn(["prometheus", f"--config.file={workdir}/prometheus.yml", f"--storage.tsdb.path={workdir}/tsdb",
                 f"--web.listen-address=127.0.0.1:{ports['prom']}"], "prometheus", fake_sysfs=False)
    api = f"http://127.0.0.1:{ports['prom']}/api/v1/"
    wait_http(api + "status/buildinfo", seconds=30)

    def query(expr):
        url = api + "query?" + urllib.parse.urlencode({"query": expr})
        try:
            reply = json.loads(http_get(url)[2])
        except urllib.error.HTTPError as error:
            return None, error.read().decode(errors="replace")
        return reply["data"]["result"], None

    # Enough scrapes for 15 s rates.
    time.sleep(18)
    ups, _ = query("up")
    up = {(r["metric"]["job"], r["metric"]["instance"]): r["value"][1] for r in ups or []}
    print("targets:", up)
    for key in [("node", ne), ("glanced", g1), ("glanced", g2), ("glanced_auth", g3)]:
        if up.get(key) != "1":
            failures.append(f"up for {key} is {up.get(key)}, want 1")

    # The dashboard.
    dashboard = json.load(open(os.path.join(HERE, "dashboard-1860-expressions.json")))
    nodename = os.uname().nodename
    print(f"\ndashboard {dashboard['source']} @ {dashboard['revision'][:7]} (version {dashboard['dashboard_version']})")
    print(f"{'row':32} {'node_exporter':>14} {'glanced':>10}")
    missing = []
    for row in dashboard["rows"]:
        if not row["checked"]:
            continue
        total = len(row["expressions"])
        ne_filled = glanced_filled = 0
        for item in row["expressions"]:
            a, _ = query(substitute(item["expr"], "node", ne, nodename))
            b, error = query(substitute(item["expr"], "glanced", g1, nodename))
            ne_has, glanced_has = bool(a), bool(b)
            ne_filled += ne_has
            glanced_filled += glanced_has
            if ne_has and not glanced_has:
                missing.append((row["title"], item["panel"], item["expr"], error))
        print(f"{row['title']:32} {ne_filled:>6}/{total:<7} {glanced_filled:>4}/{total:<5}")
    for title, panel, expr, error in missing:
        print(f"  node_exporter fills, glanced does not: [{title}] {panel}: {expr[:160]}" + (f" ({error})" if error else ""))
        failures.append(f"dashboard [{title}] {panel}: glanced has no data")

    # promtool check metrics on both; only node_exporter's own names may be flagged.
    _, headers, body = http_get(f"http://{g1}/metrics", {"Accept-Encoding": "gzip"})
    text = body.decode()
    if headers.get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8":
        failures.append(f"Content-Type {headers.get('Content-Type')}")
    if headers.get("Content-Encoding") != "gzip":
        failures.append("/metrics not gzipped for a scraper that accepts gzip")
    lint = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True)
    problems = [line for line in lint.stdout.decode().splitlines() + lint.stderr.decode().splitlines() if line]
    allowed = re.compile(r"^(node_memory_\w+ metric names should be written in 'snake_case' not 'camelCase'"
                         r"|node_entropy_\w+_bits use base unit \"bytes\" instead of \"bits\")$")
    unexpected = [p for p in problems if not allowed.match(p)]
    print(f"\npromtool check metrics: exit {lint.returncode}, {len(problems)} remarks, {len(unexpected)} unexpected")
    if lint.returncode not in (0, 3) or unexpected:
        failures.append("promtool check metrics: " + "; ".join(unexpected[:10]))

    # Hostile names: escaped in the top list, and the scrape still succeeds.
    series = parse_exposition(text)
    names = {dict(labels).get("name") for (name, labels) in series if name == "glanced_top_process_procs"}
    found = 0
    for raw in HOSTILE_NAMES:
        # The name as the kernel keeps it (15 bytes), invalid UTF-8 replaced by U+FFFD, escaped.
        forms = {raw[:15].decode("utf-8", errors="replace")}
        escaped = {f.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") for f in forms}
        if escaped & names:
            found += 1
        else:
            failures.append(f"hostile name {raw!r} not in glanced_top_process_procs (as {sorted(escaped)})")
    print(f"hostile names in the top list: {found}/{len(HOSTILE_NAMES)}")
    result, _ = query('count(glanced_top_process_procs{job="glanced"})')
    if not result:
        failures.append("Prometheus stored no glanced_top_process_procs")

    # Side by side, at the same moment.
    side_by_side(g1, ne, failures)


def side_by_side(g1, ne, failures):
    a = parse_exposition(http_get(f"http://{ne}/metrics")[2].decode())
    b = parse_exposition(http_get(f"http://{g1}/metrics")[2].decode())

    def pick(series, name, **labels):
        want = set(labels.items())
        values = [v for (n, l), v in series.items() if n == name and want <= set(l)]
        return sum(values) if values else None

    def count(series, name, label):
        return len({dict(l).get(label) for (n, l) in series if n == name})

    checks = [
        ("MemTotal", pick(a, "node_memory_MemTotal_bytes"), pick(b, "node_memory_MemTotal_bytes"), 0),
        ("SwapTotal", pick(a, "node_memory_SwapTotal_bytes"), pick(b, "node_memory_SwapTotal_bytes"), 0),
        ("CPU count", count(a, "node_cpu_seconds_total", "cpu"), count(b, "node_cpu_seconds_total", "cpu"), 0),
        ("filesystem / size", pick(a, "node_filesystem_size_bytes", mountpoint="/"),
         pick(b, "node_filesystem_size_bytes", mountpoint="/"), 0),
        ("filesystem / files", pick(a, "node_filesystem_files", mountpoint="/"),
         pick(b, "node_filesystem_files", mountpoint="/"), 0),
        ("boot time", pick(a, "node_boot_time_seconds"), pick(b, "node_boot_time_seconds"), 1),
        ("filefd maximum", pick(a, "node_filefd_maximum"), pick(b, "node_filefd_maximum"), 0),
        ("max processes", pick(a, "node_processes_max_processes"), pick(b, "node_processes_max_processes"), 0),
        ("hwmon temp", pick(a, "node_hwmon_temp_celsius"), pick(b, "node_hwmon_temp_celsius"), 0),
        ("hwmon fan", pick(a, "node_hwmon_fan_rpm"), pick(b, "node_hwmon_fan_rpm"), 0),
        ("battery capacity", pick(a, "node_power_supply_capacity", power_supply="BAT0"),
         pick(b, "node_power_supply_capacity", power_supply="BAT0"), 0),
        ("AC online", pick(a, "node_power_supply_online", power_supply="AC"),
         pick(b, "node_power_supply_online", power_supply="AC"), 0),
        ("textfile metric", pick(a, "smartmon_device_active"), pick(b, "smartmon_device_active"), 0),
        ("textfile error", pick(a, "node_textfile_scrape_error"), pick(b, "node_textfile_scrape_error"), 0),
        # Moving figures: relative tolerances.
        ("CPU seconds (all)", pick(a, "node_cpu_seconds_total"), pick(b, "node_cpu_seconds_total"), 0.01),
        ("context switches", pick(a, "node_context_switches_total"), pick(b, "node_context_switches_total"), 0.02),
        ("forks", pick(a, "node_forks_total"), pick(b, "node_forks_total"), 0.02),
        ("interrupts", pick(a, "node_intr_total"), pick(b, "node_intr_total"), 0.02),
        ("MemAvailable", pick(a, "node_memory_MemAvailable_bytes"), pick(b, "node_memory_MemAvailable_bytes"), 0.05),
        ("Cached", pick(a, "node_memory_Cached_bytes"), pick(b, "node_memory_Cached_bytes"), 0.05),
        ("eth0 received bytes", pick(a, "node_network_receive_bytes_total", device="eth0"),
         pick(b, "node_network_receive_bytes_total", device="eth0"), 0.05),
        ("disk reads", pick(a, "node_disk_reads_completed_total"), pick(b, "node_disk_reads_completed_total"), 0.02),
        ("disk written bytes", pick(a, "node_disk_written_bytes_total"), pick(b, "node_disk_written_bytes_total"),
         0.05),
        ("processes pids", pick(a, "node_processes_pids"), pick(b, "node_processes_pids"), 0.05),
        ("processes threads", pick(a, "node_processes_threads"), pick(b, "node_processes_threads"), 0.10),
        ("load1", pick(a, "node_load1"), pick(b, "node_load1"), 0.5),
    ]
    print(f"\n{'side by side':22} {'node_exporter':>20} {'glanced':>20}  tolerance")
    for label, x, y, tolerance in checks:
        ok = x is not None and y is not None and (
            abs(x - y) <= tolerance if tolerance >= 1 or tolerance == 0 or label == "load1"
            else abs(x - y) <= tolerance * max(abs(x), 1))
        print(f"{label:22} {x!s:>20} {y!s:>20}  {tolerance}  {'ok' if ok else 'DIFFERENT'}")
        if not ok:
            failures.append(f"side by side: {label}: node_exporter {x}, glanced {y}")
    for name in ("node_uname_info", "node_os_info", "node_hwmon_chip_names", "node_hwmon_sensor_label"):
        la = {l for (n, l) in a if n == name}
        lb = {l for (n, l) in b if n == name}
        if la != lb:
            failures.append(f"side by side: {name} labels differ: {sorted(la)} vs {sorted(lb)}")


if __name__ == "__main__":
    main()
