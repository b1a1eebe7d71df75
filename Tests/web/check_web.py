#!/usr/bin/env python3
"""The web dashboard in headless Chromium against a real glanced (see README.md beside this file).

  check_web.py --glanced PATH --work DIR [--chromium PATH] [--docs-shot FILE]

glanced runs with -t 1 under a fake /sys/class (a private mount namespace: a hwmon chip and a
battery), with a [monitor] entry for a marker process the test starts. The browser is driven over
the DevTools protocol (cdp.py). Screenshots go to DIR/screens. Prints "N passed, N failed" last
and exits non-zero when a check failed.
"""
import argparse
import base64
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import CDPError, Chromium, find_chromium  # noqa: E402

PASSWORD = "web-Secret-42"

# Run as `unshare -m --propagation private sh -c SYSFS_SCRIPT sh KEEPDIR CMD...` (root): a tmpfs over
# /sys/class with a fake hwmon chip and battery; every other class is bound back from the real sysfs.
SYSFS_SCRIPT = r'''
set -e
keep=$1; shift
mount --bind /sys/class "$keep"
mount -t tmpfs -o mode=0755 glanced-web /sys/class
for e in "$keep"/*; do
  n=${e##*/}
  case $n in hwmon|power_supply|'*') continue ;; esac
  mkdir "/sys/class/$n" && mount --bind "$e" "/sys/class/$n" || true
done
h=/sys/class/hwmon/hwmon0
mkdir -p $h
echo coretemp >$h/name
echo 45000 >$h/temp1_input
echo 'Core 0' >$h/temp1_label
echo 80000 >$h/temp1_max
echo 100000 >$h/temp1_crit
echo 1200 >$h/fan1_input
d=/sys/class/power_supply/BAT0
mkdir -p $d
echo Battery >$d/type
echo 73 >$d/capacity
echo 1 >$d/present
echo Discharging >$d/status
exec "$@"
'''

# The marker: holds 300 MiB and burns about 40 % of a core, so it is near the top by CPU and by memory.
MARKER_CODE = r'''
import time
hold = bytearray(300 << 20)
for i in range(0, len(hold), 4096):
    hold[i] = 1
while True:
    t = time.monotonic()
    while time.monotonic() - t < 0.04:
        pass
    time.sleep(0.06)
'''
BURN_CODE = "import time\nt = time.monotonic() + %f\nwhile time.monotonic() < t:\n    pass\n"


class Fail(Exception):
    pass


def log(message):
    print(message, flush=True)


def need(condition, message):
    if not condition:
        raise Fail(message)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def proc_stat():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:9]]
    return sum(fields), fields[3] + fields[4]


def busy_percent(before, after):
    total, idle = after[0] - before[0], after[1] - before[1]
    return 100.0 * (total - idle) / total if total > 0 else 0.0


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


class Glanced:
    def __init__(self, binary, workdir, name, sysfs=False, password=None, config=None):
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        args = [binary, "-B", "127.0.0.1", "-p", str(self.port), "-t", "1"]
        if config:
            path = os.path.join(self.dir, "glanced.conf")
            with open(path, "w") as f:
                f.write(config)
            args += ["-C", path]
        if password is not None:
            out = subprocess.run([binary, "hash-password"], input=password + "\n", capture_output=True,
                                 text=True, timeout=20)
            need(out.returncode == 0 and "$" in out.stdout, "glanced hash-password: %r" % out.stderr)
            path = os.path.join(self.dir, "glanced.pwd")
            with open(path, "w") as f:
                f.write(out.stdout.strip() + "\n")
            args += ["--password-file", path]
        if sysfs:
            keep = os.path.join(self.dir, "sysclass")
            os.makedirs(keep, exist_ok=True)
            args = ["unshare", "-m", "--propagation", "private", "sh", "-c", SYSFS_SCRIPT, "sh", keep] + args
        self.log_path = os.path.join(self.dir, "glanced.log")
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.dir, "xdg"), HOME=self.dir)
        with open(self.log_path, "ab") as logf:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf, env=env)
        with open(os.path.join(workdir, "pids"), "a") as f:
            f.write("%d\n" % self.proc.pid)
        headers = {"Authorization": basic("glances", password)} if password is not None else {}
        deadline = time.time() + 30
        while time.time() < deadline:
            need(self.proc.poll() is None, "glanced exited at start:\n" + self.tail())
            try:
                if http(self.url("/api/2/pluginslist"), headers)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise Fail("glanced did not answer within 30 s:\n" + self.tail())

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def tail(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-20:])
        except OSError:
            return ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


class Browser:
    """One tab, with what the page logged and requested, by phase."""

    def __init__(self, chromium):
        self.page = chromium.page()
        self.phase = "start"
        self.problems = []   # (phase, text): console errors, exceptions, failed requests
        self.requests = {}   # requestId -> {url, phase, status, bytes}
        self.auth = None     # (user, password) given at the browser's Basic prompt, or None to cancel it
        p = self.page
        p.on("Runtime.consoleAPICalled", self._console)
        p.on("Runtime.exceptionThrown", lambda e: self.problems.append(
            (self.phase, "exception: %s" % e["exceptionDetails"].get("exception", {}).get("description")
             or e["exceptionDetails"].get("text"))))
        p.on("Log.entryAdded", lambda e: e["entry"]["level"] == "error" and self.problems.append(
            (self.phase, "log: %s %s" % (e["entry"].get("text"), e["entry"].get("url", "")))))
        p.on("Network.requestWillBeSent", self._request)
        p.on("Network.responseReceived", self._response)
        p.on("Network.loadingFinished", self._finished)
        p.on("Network.loadingFailed", self._failed)
        p.on("Fetch.requestPaused", lambda e: p.send("Fetch.continueRequest", {"requestId": e["requestId"]}))
        p.on("Fetch.authRequired", self._auth)
        for domain in ("Runtime", "Log", "Network", "Page"):
            p.call(domain + ".enable")
        p.call("Fetch.enable", {"handleAuthRequests": True, "patterns": [{"urlPattern": "*"}]})

    def _console(self, e):
        if e.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in e.get("args", []))
            self.problems.append((self.phase, "console.%s: %s" % (e["type"], args)))

    def _request(self, e):
        self.requests[e["requestId"]] = {"url": e["request"]["url"], "phase": self.phase, "status": None,
                                         "bytes": 0, "type": e.get("type")}

    def _response(self, e):
        r = self.requests.get(e["requestId"])
        if r is not None:
            r["status"] = e["response"]["status"]
            r["encoding"] = {k.lower(): v for k, v in e["response"].get("headers", {}).items()}.get(
                "content-encoding")
            if r["status"] >= 400:
                self.problems.append((self.phase, "HTTP %d for %s" % (r["status"], r["url"])))

    def _finished(self, e):
        r = self.requests.get(e["requestId"])
        if r is not None:
            r["bytes"] = e.get("encodedDataLength", 0)

    def _failed(self, e):
        r = self.requests.get(e["requestId"], {})
        if not e.get("canceled"):
            self.problems.append((self.phase, "request failed: %s %s" % (e.get("errorText"), r.get("url"))))

    def _auth(self, e):
        if self.auth is None:
            response = {"response": "CancelAuth"}
        else:
            response = {"response": "ProvideCredentials", "username": self.auth[0], "password": self.auth[1]}
        self.page.send("Fetch.continueWithAuth", {"requestId": e["requestId"], "authChallengeResponse": response})

    def navigate(self, url, phase):
        self.phase = phase
        self.page.call("Page.navigate", {"url": url})

    def problems_in(self, phase):
        return [text for (p, text) in self.problems if p == phase]

    def metrics(self, width, height, mobile, dark):
        self.page.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 2 if mobile else 1, "mobile": mobile})
        self.page.call("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})

    def screenshot(self, path):
        # The whole page, not only the viewport.
        size = self.page.call("Page.getLayoutMetrics")["cssContentSize"]
        shot = self.page.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return os.path.getsize(path)


class Suite:
    def __init__(self, args):
        self.args = args
        self.work = os.path.abspath(args.work)
        os.makedirs(self.work, exist_ok=True)
        self.shots = os.path.join(self.work, "screens")
        os.makedirs(self.shots, exist_ok=True)
        self.passed, self.failed, self.skipped = [], [], []
        self.children = []
        self.servers = []
        self.chromium = None

    def check(self, name, function):
        started = time.time()
        try:
            detail = function()
            self.passed.append(name)
            log("PASS %-28s %s (%.1f s)" % (name, detail or "", time.time() - started))
        except Skip as e:
            self.skipped.append(name)
            log("SKIP %-28s %s" % (name, e))
        except Exception as e:  # noqa: BLE001 - one failed check must not stop the others
            self.failed.append(name)
            log("FAIL %-28s %s" % (name, e))
            if not isinstance(e, (Fail, CDPError)):
                traceback.print_exc()

    def spawn(self, argv):
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)
        self.children.append(p)
        return p

    def run(self):
        chromium = self.args.chromium or find_chromium()
        need(chromium, "no chromium found (apt-get install chromium)")
        sysfs = os.geteuid() == 0 and shutil.which("unshare") is not None
        # The marker: a python3 under a name of its own (the kernel names a process after the file it runs).
        self.marker = "gwmark%05d" % random.randrange(100000)
        marker_path = os.path.join(self.work, self.marker)
        if os.path.lexists(marker_path):
            os.remove(marker_path)
        os.symlink(sys.executable, marker_path)
        self.spawn([marker_path, "-c", MARKER_CODE])
        config = ("[monitor]\nlist_1_description=Web marker\nlist_1_regex=.*%s.*\n"
                  "list_1_countmin=1\nlist_1_countmax=1\n" % self.marker)
        self.glanced = Glanced(self.args.glanced, self.work, "server", sysfs=sysfs, config=config)
        self.servers.append(self.glanced)
        self.sysfs = sysfs
        self.chromium = Chromium(chromium, self.work)
        self.browser = Browser(self.chromium)
        b = self.browser
        b.metrics(1366, 900, False, False)
        b.navigate(self.glanced.url("/"), "load")

        self.check("page.loads", self.t_loads)
        self.check("page.first_load_bytes", self.t_first_load)
        self.check("page.charts_fill", self.t_charts)
        self.check("page.cpu_tracks_proc_stat", self.t_cpu)
        self.check("page.marker_process", self.t_marker)
        self.check("page.sort_by_memory", self.t_sort_memory)
        self.check("page.sensors", self.t_sensors)
        self.check("page.monitor", self.t_monitor)
        self.check("page.no_errors", self.t_no_errors)
        self.check("page.screenshots", self.t_screenshots)
        self.check("page.static_caching", self.t_caching)
        self.check("page.password", self.t_password)

    # ---- checks ----------------------------------------------------------------------------------

    def t_loads(self):
        p = self.browser.page
        p.wait_for("document.body && +document.body.dataset.updates >= 1", 20, "the first render")
        host = p.evaluate("document.getElementById('host').textContent")
        need(host and host != "glanced", "no host name in the header: %r" % host)
        texts = p.evaluate("['os','uptime','sample-time','version'].map(i => document.getElementById(i).textContent)")
        need(all(t and t != "–" for t in texts), "header fields missing: %r" % texts)
        foreign = [r["url"] for r in self.browser.requests.values()
                   if not r["url"].startswith(self.glanced.url("/")) and not r["url"].startswith("data:")]
        need(not foreign, "requests to other hosts: %r" % foreign)
        return "host %s; %s" % (host, " | ".join(texts))

    def t_first_load(self):
        p = self.browser.page
        p.wait_for("+document.body.dataset.updates >= 2", 20, "a second refresh")
        p.pump(0.5)
        loaded = [r for r in self.browser.requests.values() if r["phase"] == "load"]
        files = [r for r in loaded if "/api/" not in r["url"]]
        api = [r for r in loaded if "/api/" in r["url"]]
        need(all(r.get("encoding") == "gzip" for r in files if r["bytes"] > 1500),
             "page files not gzipped: %r" % [(r["url"], r.get("encoding")) for r in files])
        first_api = [r for r in api if "/all" in r["url"] or "/history/" in r["url"] or "/args" in r["url"]
                     or "/pluginslist" in r["url"]]
        total_files = sum(r["bytes"] for r in files)
        self.first_load = (total_files, len(files), sum(r["bytes"] for r in first_api), len(first_api))
        return "page files %d B in %d requests; API at load and first refreshes %d B in %d requests" % (
            total_files, len(files), sum(r["bytes"] for r in first_api), len(first_api))

    def t_charts(self):
        p = self.browser.page
        p.wait_for("+document.body.dataset.updates >= 5", 30, "five refreshes")
        counts = p.evaluate("Object.fromEntries([...document.querySelectorAll('.chart')].map("
                            "c => [c.id, +(c.querySelector('canvas').dataset.points || 0)]))")
        for name in ("chart-cpu", "chart-mem", "chart-load"):
            need(counts.get(name, 0) >= 4, "%s holds %s points after 5 refreshes" % (name, counts.get(name)))
        need(any(k.startswith("chart-net-") for k in counts), "no network chart: %r" % counts)
        need(any(k.startswith("chart-disk-") for k in counts), "no disk chart: %r" % counts)
        polls = [r for r in self.browser.requests.values() if r["url"].endswith("/all")]
        return ", ".join("%s=%d" % kv for kv in sorted(counts.items())) + "; %d polls of all" % len(polls)

    def t_cpu(self):
        p = self.browser.page
        cores = os.cpu_count() or 1
        read = "+document.getElementById('cpu-total').dataset.value"
        burner = self.spawn([sys.executable, "-c", BURN_CODE % 12.0])
        p.pump(3)
        page, before = [], proc_stat()
        for _ in range(6):
            p.pump(1)
            page.append(p.evaluate(read))
        after = proc_stat()
        while burner.poll() is None:
            p.pump(0.5)
        kernel = busy_percent(before, after)
        mean = sum(page) / len(page)
        floor = 0.6 * 100.0 / cores
        need(mean >= floor, "page CPU %.1f %% while a core burns (%d cores): want >= %.0f" % (mean, cores, floor))
        need(abs(mean - kernel) <= 15, "page CPU %.1f %% vs /proc/stat %.1f %% over the same 6 s" % (mean, kernel))
        # And it comes down again once the burner is gone.
        p.pump(3)
        idle_page, before = [], proc_stat()
        for _ in range(4):
            p.pump(1)
            idle_page.append(p.evaluate(read))
        idle_kernel = busy_percent(before, proc_stat())
        idle_mean = sum(idle_page) / len(idle_page)
        need(abs(idle_mean - idle_kernel) <= 15, "after the burn: page %.1f %% vs /proc/stat %.1f %%"
             % (idle_mean, idle_kernel))
        return "burning: page %.1f %% vs /proc/stat %.1f %%; after: page %.1f %% vs %.1f %%" % (
            mean, kernel, idle_mean, idle_kernel)

    def rows(self):
        return self.browser.page.evaluate(
            "[...document.querySelectorAll('#process-rows tr')].map(tr => ({pid: +tr.dataset.pid, "
            "mem: +tr.dataset.mem, cpu: +tr.dataset.cpu, text: tr.textContent}))")

    def t_marker(self):
        p = self.browser.page
        p.wait_for("[...document.querySelectorAll('#process-rows tr')].some(tr => tr.textContent.includes(%r))"
                   % self.marker, 20, "the marker %s in the process table" % self.marker)
        rows = self.rows()
        need(len(rows) == 30 or len(rows) == p.evaluate("document.querySelectorAll('#process-rows tr').length"),
             "rows: %d" % len(rows))
        need(p.evaluate("window.glanced.sortKey") == "cpu", "the table is not sorted by CPU at first")
        cpus = [r["cpu"] for r in rows]
        need(cpus == sorted(cpus, reverse=True), "not in CPU order: %r" % cpus)
        position = next(i for i, r in enumerate(rows) if self.marker in r["text"])
        return "%d rows; the marker is row %d by CPU" % (len(rows), position + 1)

    def t_sort_memory(self):
        p = self.browser.page
        # By keyboard: focus the column's button, press Enter.
        p.evaluate("document.querySelector('button[data-sort=mem]').focus()")
        for kind in ("keyDown", "keyUp"):
            p.call("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                              "windowsVirtualKeyCode": 13, "text": "\r" if kind == "keyDown" else ""})
        p.wait_for("window.glanced.sortKey === 'mem'", 5, "the sort to change to memory")
        sort = p.evaluate("document.querySelector('button[data-sort=mem]').closest('th').getAttribute('aria-sort')")
        need(sort == "descending", "aria-sort on MEM: %r" % sort)
        p.wait_for("+document.body.dataset.updates >= %d" % (p.evaluate("+document.body.dataset.updates") + 1), 10,
                   "a refresh")
        rows = self.rows()
        mems = [r["mem"] for r in rows]
        need(mems == sorted(mems, reverse=True), "not in memory order: %r" % mems)
        need(any(self.marker in r["text"] for r in rows), "the marker (300 MiB) is not in the top 30 by memory")
        p.evaluate("window.glanced.setSort('cpu')")
        return "top %.1f %% ... %.1f %%" % (mems[0], mems[-1])

    def t_sensors(self):
        if not self.sysfs:
            raise Skip("needs root and unshare for the fake /sys/class")
        p = self.browser.page
        text = p.wait_for("!document.getElementById('sensors-panel').hidden && "
                          "document.getElementById('sensors').textContent", 10, "the sensors panel")
        rows = p.evaluate("[...document.querySelectorAll('#sensors tr')].map(tr => [tr.dataset.type, "
                          "tr.cells[0].textContent, tr.cells[1].textContent, tr.cells[1].className])")
        chip = [r for r in rows if r[1] == "Core 0"]
        need(chip and chip[0][2] == "45°C", "no 'Core 0' at 45°C: %r" % rows)
        need(chip[0][3] == "ok", "Core 0 at 45°C is not coloured ok: %r" % chip)
        battery = [r for r in rows if r[0] == "battery"]
        need(battery and battery[0][2].startswith("73"), "no battery at 73 %%: %r" % rows)
        fan = [r for r in rows if r[0] == "fan_speed"]
        return "; ".join("%s %s (%s)" % (r[1], r[2], r[3]) for r in rows) + ("" if fan else " (no fan row)")

    def t_monitor(self):
        p = self.browser.page
        p.wait_for("!document.getElementById('monitor-panel').hidden", 10, "the monitored processes panel")
        rows = p.evaluate("[...document.querySelectorAll('#monitor tr')].map(tr => [tr.cells[0].textContent, "
                          "tr.cells[1].textContent, tr.cells[1].className])")
        need(rows and rows[0][0] == "Web marker" and rows[0][2] == "ok", "monitor rows: %r" % rows)
        return "%r" % rows

    def t_no_errors(self):
        problems = [t for (phase, t) in self.browser.problems if phase == "load"]
        need(not problems, "console errors or failed requests:\n  " + "\n  ".join(problems))
        return "%d requests, none failed; no console error" % len(self.browser.requests)

    def t_screenshots(self):
        b = self.browser
        p = b.page
        sizes = {}
        backgrounds = {}
        p.evaluate("document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), true")
        for name, width, height, mobile in (("desktop", 1366, 900, False), ("phone", 390, 844, True)):
            for dark in (False, True):
                b.metrics(width, height, mobile, dark)
                p.pump(1.5)
                updates = p.evaluate("+document.body.dataset.updates")
                p.wait_for("+document.body.dataset.updates > %d" % updates, 10, "a refresh")
                overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                need(overflow <= 1, "%s: the page is %d px wider than the screen" % (name, overflow))
                backgrounds[(name, dark)] = p.evaluate("getComputedStyle(document.documentElement).backgroundColor")
                path = os.path.join(self.shots, "dashboard-%s-%s.png" % (name, "dark" if dark else "light"))
                sizes[os.path.basename(path)] = b.screenshot(path)
        need(backgrounds[("desktop", False)] != backgrounds[("desktop", True)], "dark mode changes nothing")
        b.metrics(1366, 900, False, False)
        if self.args.docs_shot:
            b.metrics(1280, 800, False, False)
            p.pump(1.5)
            p.wait_for("+document.body.dataset.updates > %d" % p.evaluate("+document.body.dataset.updates"), 10, "")
            size = p.call("Page.getLayoutMetrics")["cssContentSize"]
            p.evaluate("window.scrollTo(0, 0), true")
            # Down to the process table: its command lines would show this machine's paths.
            height = p.evaluate("document.getElementById('processes-panel').offsetTop - 4") or size["height"]
            shot = p.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": {
                "x": 0, "y": 0, "width": 1280, "height": min(size["height"], height), "scale": 0.75}})
            with open(self.args.docs_shot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            sizes["docs"] = os.path.getsize(self.args.docs_shot)
        problems = [t for (phase, t) in b.problems if phase == "load"]
        need(not problems, "errors while resizing: %r" % problems)
        return "%s in %s" % (", ".join("%s %d KB" % (k, v // 1024) for k, v in sorted(sizes.items())), self.shots)

    def t_caching(self):
        status, headers, body = http(self.glanced.url("/"), {"Accept-Encoding": "gzip"})
        need(status == 200 and headers.get("Content-Encoding") == "gzip", "GET /: %d %r" % (status, headers))
        csp = headers.get("Content-Security-Policy", "")
        need("default-src 'self'" in csp and "unsafe-inline" not in csp, "CSP: %r" % csp)
        etag = headers.get("ETag")
        status, headers, body = http(self.glanced.url("/"), {"If-None-Match": etag})
        need(status == 304 and not body, "If-None-Match: %d, %d bytes" % (status, len(body)))
        status, _, _ = http(self.glanced.url("/static/no-such-file.js"))
        need(status == 404, "unknown static file: %d" % status)
        return "gzip, ETag %s -> 304, CSP, 404" % etag

    def t_password(self):
        server = Glanced(self.args.glanced, self.work, "server-password", password=PASSWORD)
        self.servers.append(server)
        for path in ("/", "/static/app.js", "/api/2/all"):
            status, headers, _ = http(server.url(path))
            need(status == 401 and "Basic" in headers.get("WWW-Authenticate", ""),
                 "%s without credentials: %d" % (path, status))
        status, _, _ = http(server.url("/"), {"Authorization": basic("glances", PASSWORD)})
        need(status == 200, "GET / with credentials: %d" % status)
        b = self.browser
        # The browser's Basic prompt, dismissed: the page gets 401.
        b.auth = None
        b.navigate(server.url("/"), "noauth")
        b.page.pump(3)
        documents = [r for r in b.requests.values() if r["phase"] == "noauth" and r["url"] == server.url("/")]
        need(documents and documents[-1]["status"] == 401, "without credentials: %r" % documents)
        # The prompt answered: the page loads and its API calls pass.
        b.auth = ("glances", PASSWORD)
        b.navigate(server.url("/"), "auth")
        b.page.wait_for("+document.body.dataset.updates >= 3", 20, "three refreshes with credentials")
        problems = b.problems_in("auth")
        need(not problems, "with credentials: %r" % problems)
        api = [r for r in b.requests.values() if r["phase"] == "auth" and "/api/" in r["url"]]
        need(api and all(r["status"] == 200 for r in api if r["status"] is not None),
             "API calls with credentials: %r" % [(r["url"], r["status"]) for r in api])
        return "401 without credentials (page, file, API); with them: page and %d API calls 200" % len(api)

    def cleanup(self):
        if self.chromium:
            try:
                self.browser.page.close()
            except Exception:  # noqa: BLE001
                pass
            self.chromium.stop()
        for server in self.servers:
            server.stop()
        for p in self.children:
            if p.poll() is None:
                p.kill()
            p.wait(5)
        marker_path = os.path.join(self.work, getattr(self, "marker", "-"))
        if os.path.lexists(marker_path):
            os.remove(marker_path)


class Skip(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--glanced", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--chromium")
    parser.add_argument("--docs-shot", help="also write a README screenshot here")
    args = parser.parse_args()
    suite = Suite(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        try:
            suite.run()
        except Exception as e:  # noqa: BLE001
            suite.failed.append("setup")
            log("FAIL setup: %s" % e)
            traceback.print_exc()
    finally:
        suite.cleanup()
    if suite.failed:
        for server in suite.servers:
            log("--- %s log tail:\n%s" % (server.dir, server.tail()))
    first = getattr(suite, "first_load", None)
    if first:
        log("first load: page files %d bytes (%d requests), API %d bytes (%d requests, with 2 refreshes)" % first)
    log("%d passed, %d failed, %d skipped" % (len(suite.passed), len(suite.failed), len(suite.skipped)))
    sys.exit(1 if suite.failed else 0)


if __name__ == "__main__":
    main()
