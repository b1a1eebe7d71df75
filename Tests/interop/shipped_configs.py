#!/usr/bin/env python3
"""glanced against the glances.conf files shipped by real Glances packages (Tests/interop/README.md).

    shipped_configs.py --glanced BIN [--work DIR] [--inventory] [--no-fallback] [--no-negative] [SOURCE ...]

A SOURCE is a glances.conf file, or a directory (a virtual environment with Glances installed from
PyPI) in which the shipped file is looked for: <venv>/share/doc/glances/glances.conf (where the
4.5.8 wheel and the 2.11.1 sdist put it), else glances/conf/glances.conf in the package, else the
first glances.conf below it. Without a SOURCE: Debian's /etc/glances/glances.conf.

For each file: glanced -B 127.0.0.1 -p PORT -C FILE must start and answer; getAllLimits (aligned
with getAllPlugins) must show every threshold option (`careful`, `warning`, `critical`, `*_careful`,
`*_warning`, `*_critical`) whose value is a plain number, for every section of the file that is one
of glanced's plugins, as `<plugin>_<key>` with that value; Python's configparser.RawConfigParser
(as Glances reads the file) is the oracle. A threshold-like option with a list value
(`nice_warning=-20,-19,...`) must not stop start-up; when it shows up, it must be the list of its
comma-separated parts. glanced must exit 0 on SIGTERM.

Then, unless turned off:
  fallback  glanced without -C, HOME and XDG_CONFIG_HOME in an empty folder, must use
            /etc/glances/glances.conf: a threshold of it that is not a built-in default and all
            its numeric thresholds in getAllLimits, and its "glanced listening" log line has
            config.file=/etc/glances/glances.conf.
  negative  a copy of that file with `user_careful=abc` in [cpu]: glanced must exit non-zero and
            name COPY:LINE of that line.

Prints a summary per file and `N passed, N failed`; exits 1 on any failure, 2 on bad usage.
Every glanced started is stopped at the end (their pids are also in WORK/glanced.pids).
Python 3 standard library only.
"""

import argparse
import configparser
import glob
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

DEBIAN_CONF = "/etc/glances/glances.conf"
# Files glanced looks up before Debian's one when there is no -C (GlancesConfig.locate): with one of
# these present the fallback cannot be observed. The per-user ones point into the empty HOME.
EARLIER_SYSTEM_CONFS = ["/etc/glanced/glanced.conf"]
# The plugins whose sections are checked when glanced lists them (the brief's minimum); any other
# plugin glanced lists is checked too.
CORE_PLUGINS = ["cpu", "load", "mem", "memswap", "fs", "sensors", "processlist", "percpu", "network", "diskio"]
# glanced's built-in thresholds (GlancesConfig.builtInSections, Glances 2.x defaults): the fallback check
# looks for a value of the file that is not one of them.
BUILT_IN = {}
for _plugin, _prefixes, _levels in [
        ("cpu", ["user", "system", "iowait", "steal"], (50, 70, 90)),
        ("percpu", ["user", "system", "iowait"], (50, 70, 90)),
        ("load", [""], (0.7, 1.0, 5.0)), ("mem", [""], (50, 70, 90)), ("memswap", [""], (50, 70, 90)),
        ("fs", [""], (50, 70, 90)), ("sensors", ["temperature_core"], (60, 70, 80)),
        ("sensors", ["temperature_hdd"], (45, 52, 60)), ("sensors", ["battery"], (80, 90, 95)),
        ("processlist", ["cpu", "mem"], (50, 70, 90))]:
    for _prefix in _prefixes:
        for _level, _value in zip(("careful", "warning", "critical"), _levels):
            BUILT_IN["%s_%s%s" % (_plugin, _prefix + "_" if _prefix else "", _level)] = float(_value)
THRESHOLD = re.compile(r"^(?:.*_)?(careful|warning|critical)$")
PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
START_TIMEOUT = 30


class Fail(Exception):
    pass


def log(msg=""):
    print(msg, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout=10):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


def proxy(port, timeout=10):
    return xmlrpc.client.ServerProxy("http://127.0.0.1:%d" % port, transport=TimeoutTransport(timeout))


def shorten(text, n=160):
    text = str(text)
    return text if len(text) <= n else text[: n - 3] + "..."


# ---------------------------------------------------------------------------------------------------
# The shipped files


def find_in_venv(root):
    """The glances.conf a Glances install from PyPI put under `root`, or None."""
    candidates = [os.path.join(root, "share", "doc", "glances", "glances.conf")]
    candidates += sorted(glob.glob(os.path.join(root, "lib", "python*", "site-packages", "glances", "conf",
                                                "glances.conf")))
    candidates += sorted(glob.glob(os.path.join(root, "local", "share", "doc", "glances", "glances.conf")))
    for c in candidates:
        if os.path.isfile(c):
            return c
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if "glances.conf" in filenames:
            return os.path.join(dirpath, "glances.conf")
    return None


def describe_origin(path):
    """'Glances X (PyPI)' / 'glances X (Debian package)' / '' for a file of an install."""
    real = os.path.realpath(path)
    # A venv: <root>/share/doc/glances/glances.conf or <root>/lib/pythonX/site-packages/glances/conf/...
    root = real
    for _ in range(6):
        root = os.path.dirname(root)
        metas = glob.glob(os.path.join(root, "lib", "python*", "site-packages", "[Gg]lances-*.dist-info")) \
            + glob.glob(os.path.join(root, "lib", "python*", "site-packages", "[Gg]lances-*.egg-info"))
        if metas:
            m = re.match(r"[Gg]lances-([^-]+?)(?:-py[0-9.]+)?\.(?:dist|egg)-info$", os.path.basename(metas[0]))
            return "Glances %s (PyPI)" % (m.group(1) if m else "?")
    try:
        out = subprocess.run(["dpkg-query", "-S", real], capture_output=True, text=True, timeout=20)
        if out.returncode == 0:
            pkg = out.stdout.split(":", 1)[0].strip()
            ver = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True,
                                 text=True, timeout=20).stdout.strip()
            return "%s %s (Debian package)" % (pkg, ver)
    except (OSError, subprocess.TimeoutExpired):
        pass
    return ""


def read_oracle(path):
    """The file as Glances reads it: RawConfigParser (option names lower-cased, values trimmed)."""
    parser = configparser.RawConfigParser()
    with open(path, encoding="utf-8") as f:
        parser.read_file(f, source=path)
    return parser


def option_lines(path):
    """{(section, option): line number} of the file's option lines (lower-cased, as configparser)."""
    lines, section = {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            s = line.strip()
            if not s or s[0] in "#;" or line[0] in " \t":
                continue
            if s.startswith("[") and s.endswith("]"):
                section = s[1:-1].strip().lower()
                continue
            m = re.match(r"([^=:]+)[=:]", s)
            if m and section is not None:
                lines[(section, m.group(1).strip().lower())] = number
    return lines


def inventory(parser, path, out):
    """Sections and options of the file; threshold-like options with non-number values; hide/regex."""
    where = option_lines(path)
    out("  sections and options:")
    for s in parser.sections():
        out("    [%s] %s" % (s, " ".join(parser.options(s)) or "(none)"))
    odd = [(s, k, v) for s in parser.sections() for k, v in parser.items(s)
           if THRESHOLD.match(k) and not PLAIN_NUMBER.match(v.strip())]
    out("  threshold-like options that are not a number: %s"
        % ("none" if not odd else ""))
    for s, k, v in odd:
        out("    line %s [%s] %s = %s" % (where.get((s, k), "?"), s, k, shorten(v, 120)))
    regexes = [(s, k, v) for s in parser.sections() for k, v in parser.items(s)
               if k in ("hide", "show") or k.endswith("regex")]
    out("  hide/show/regex options: %s" % ("none" if not regexes else ""))
    for s, k, v in regexes:
        out("    line %s [%s] %s = %s" % (where.get((s, k), "?"), s, k, v))


# ---------------------------------------------------------------------------------------------------
# glanced


class Glanced:
    """One glanced on 127.0.0.1 and a free port; its stdout and stderr in DIR/glanced.log."""

    registry = []   # every one started, for the final clean-up

    def __init__(self, binary, workdir, name, config=None):
        self.binary, self.name, self.config = binary, name, config
        self.dir = os.path.join(workdir, name)
        os.makedirs(self.dir, exist_ok=True)
        self.home = os.path.join(self.dir, "home")   # empty: no ~/.config/glanced/glanced.conf
        os.makedirs(self.home, exist_ok=True)
        self.log_path = os.path.join(self.dir, "glanced.log")
        self.pids_path = os.path.join(workdir, "glanced.pids")
        self.proc = None
        self.port = None

    def env(self):
        return dict(os.environ, HOME=self.home, XDG_CONFIG_HOME=os.path.join(self.home, "config"))

    def spawn(self):
        args = [self.binary, "-B", "127.0.0.1", "-p", str(self.port)]
        if self.config is not None:
            args += ["-C", self.config]
        with open(self.log_path, "a") as logf:
            logf.write("$ %s\n" % " ".join(args))
            logf.flush()
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                                         env=self.env())
        Glanced.registry.append(self)
        with open(self.pids_path, "a") as f:
            f.write("%d\n" % self.proc.pid)

    def start(self):
        """Starts and waits for init(); raises Fail with the log when it exits or does not answer."""
        for _ in range(5):
            self.port = free_port()
            self.spawn()
            deadline = time.time() + START_TIMEOUT
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    proxy(self.port, timeout=3).init()
                    return self
                except (OSError, xmlrpc.client.ProtocolError):
                    time.sleep(0.2)
            if self.proc.poll() is None:
                self.stop()
                raise Fail("glanced did not answer init() within %d s:\n%s" % (START_TIMEOUT, self.tail_log()))
            if "in use" not in self.tail_log().lower():   # else: lost a race for the port, try another
                raise Fail("glanced exited with %s at start:\n%s" % (self.proc.returncode, self.tail_log()))
        raise Fail("glanced: no free port after 5 tries")

    def run_to_exit(self, timeout=20):
        """Starts and expects it to end by itself (a bad file); returns its exit code, or None."""
        self.port = free_port()
        self.spawn()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            return None

    def stop(self):
        """SIGTERM; returns the exit code, or a string when it had to be killed."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                return "killed (still running 10 s after SIGTERM)"
        return self.proc.returncode

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def tail_log(self, n=20):
        return "".join(self.log_text().splitlines(True)[-n:]).rstrip()

    def limits(self):
        """{plugin: {key: value}} from getAllPlugins and getAllLimits."""
        p = proxy(self.port)
        plugins = json.loads(p.getAllPlugins())
        limits = json.loads(p.getAllLimits())
        if not isinstance(plugins, list) or not isinstance(limits, list) or len(plugins) != len(limits):
            raise Fail("getAllLimits (%s entries) is not aligned with getAllPlugins (%s entries)"
                       % (len(limits) if isinstance(limits, list) else type(limits).__name__,
                          len(plugins) if isinstance(plugins, list) else type(plugins).__name__))
        for name, obj in zip(plugins, limits):
            if not isinstance(obj, dict):
                raise Fail("getAllLimits: the entry of %r is %s, not an object" % (name, type(obj).__name__))
        return dict(zip(plugins, limits)), plugins


def stop_all():
    for g in Glanced.registry:
        try:
            if g.proc is not None and g.proc.poll() is None:
                g.proc.kill()
                g.proc.wait(5)
        except Exception:   # a clean-up: keep going
            pass


# ---------------------------------------------------------------------------------------------------
# The checks


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = []

    def ok(self, what, detail=""):
        self.passed += 1
        log("  ok    %s%s" % (what, (": " + detail) if detail else ""))

    def fail(self, what, detail):
        self.failed.append(what)
        log("  FAIL  %s: %s" % (what, str(detail).rstrip().replace("\n", "\n        ")))

    def info(self, text):
        log("  info  %s" % text)


def same_number(got, want):
    return isinstance(got, (int, float)) and not isinstance(got, bool) \
        and math.isclose(float(got), want, rel_tol=1e-9, abs_tol=1e-12)


def compare_limits(parser, path, limits, plugins, label, report):
    """Every plain-number threshold of the file's sections that are glanced plugins, in getAllLimits."""
    where = option_lines(path)
    served = [s for s in parser.sections() if s in limits and s != "monitor"]
    missing_core = [p for p in CORE_PLUGINS if p not in plugins]
    if missing_core:
        report.info("getAllPlugins lacks %s (checked only where listed)" % ", ".join(missing_core))
    checked, bad, lists = {}, [], []
    for section in served:
        shown = limits[section]
        for key, value in parser.items(section):
            if not THRESHOLD.match(key):
                continue
            name = "%s_%s" % (section, key)
            raw = value.strip()
            at = "line %s" % where.get((section, key), "?")
            if PLAIN_NUMBER.match(raw):
                want = float(raw)
                checked[section] = checked.get(section, 0) + 1
                if name not in shown:
                    bad.append("%s (%s = %s): missing" % (name, at, raw))
                elif not same_number(shown[name], want):
                    bad.append("%s (%s = %s): shown as %s" % (name, at, raw, json.dumps(shown[name])))
            else:
                want = [part.strip() for part in raw.split(",")]
                if name not in shown:
                    lists.append("%s (%s, not a number) is not in getAllLimits" % (name, at))
                elif shown[name] != want:
                    bad.append("%s (%s = %s): shown as %s, expected the list %s"
                               % (name, at, shorten(raw, 60), shorten(json.dumps(shown[name]), 80),
                                  shorten(json.dumps(want), 80)))
                else:
                    lists.append("%s (%s) shown as a list of %d" % (name, at, len(want)))
    total = sum(checked.values())
    detail = "%d in %s" % (total, ", ".join("%s(%d)" % kv for kv in checked.items()) or "no section")
    if bad:
        report.fail("%s: numeric thresholds in getAllLimits" % label, "%s; wrong:\n%s" % (detail, "\n".join(bad)))
    elif total == 0:
        report.fail("%s: numeric thresholds in getAllLimits" % label,
                    "the file has no numeric threshold in a section glanced serves")
    else:
        report.ok("%s: numeric thresholds in getAllLimits" % label, detail)
    for line in lists:
        report.info(line)
    elsewhere = sorted({s for s in parser.sections() for k in parser.options(s) if THRESHOLD.match(k)}
                       - set(served))
    if elsewhere:
        report.info("thresholds in sections glanced does not serve (not checked): %s" % ", ".join(elsewhere))


def rejected_line(path, log_text):
    """'LINE: text of the line' of the first PATH:LINE the log names, or ''."""
    m = re.search(re.escape(path) + r":(\d+)", log_text)
    if not m:
        return ""
    n = int(m.group(1))
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read().splitlines()
        return "line %d of the file: %s" % (n, shorten(text[n - 1].strip(), 140)) if 0 < n <= len(text) else ""
    except OSError:
        return ""


def further_rejections(binary, work, name, path, first, limit=20):
    """After glanced refused `path` at line `first`: the other lines it refuses, found by starting it on
    a copy with each refused line commented out in turn. [(line, message)]; the last item is
    (None, text) when the copy then started or glanced refused it without naming a line."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    copy = os.path.join(work, name + "-rest", os.path.basename(path))
    os.makedirs(os.path.dirname(copy), exist_ok=True)
    found, line = [], first
    for attempt in range(limit):
        lines[line - 1] = "# (commented out by shipped_configs.py) " + lines[line - 1]
        with open(copy, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        g = Glanced(binary, work, "%s-rest%d" % (name, attempt), config=copy)
        try:
            g.start()
            g.stop()
            done = [first] + [n for n, _ in found]
            found.append((None, "with line%s %s commented out, glanced starts"
                          % ("s" if len(done) > 1 else "", ", ".join(map(str, done)))))
            return found
        except Fail as e:
            m = re.search(re.escape(copy) + r":(\d+): (.*)", g.log_text())
            if not m:
                found.append((None, "then: %s" % shorten(e, 300)))
                return found
            line = int(m.group(1))
            found.append((line, m.group(2).strip()))
    return found


def check_file(binary, work, index, path, show_inventory, report):
    origin = describe_origin(path)
    label = origin or path
    log("\n== %s" % ("%s: %s" % (origin, path) if origin else path))
    try:
        parser = read_oracle(path)
    except (OSError, configparser.Error) as e:
        report.fail("%s: read by configparser" % label, e)
        return
    if show_inventory:
        inventory(parser, path, log)
    g = Glanced(binary, work, "file%d" % index, config=path)
    try:
        g.start()
    except Fail as e:
        extra = rejected_line(path, g.log_text())
        report.fail("%s: glanced starts with it" % label, "%s%s" % (e, ("\n" + extra) if extra else ""))
        m = re.search(re.escape(path) + r":(\d+):", g.log_text())
        if m:
            for line, message in further_rejections(binary, work, "file%d" % index, path, int(m.group(1))):
                report.info(("also refused: line %d: %s" % (line, shorten(message, 160))) if line else message)
        return
    try:
        report.ok("%s: glanced starts with it" % label, "port %d" % g.port)
        limits, plugins = g.limits()
        compare_limits(parser, path, limits, plugins, label, report)
    except (Fail, OSError, xmlrpc.client.Error, ValueError) as e:
        report.fail("%s: getAllPlugins/getAllLimits" % label, e)
    finally:
        code = g.stop()
        if code == 0:
            report.ok("%s: exit 0 on SIGTERM" % label)
        else:
            report.fail("%s: exit 0 on SIGTERM" % label, "exit %s\n%s" % (code, g.tail_log()))


def check_fallback(binary, work, report):
    label = "fallback to %s" % DEBIAN_CONF
    log("\n== %s (no -C; HOME and XDG_CONFIG_HOME in an empty folder)" % label)
    if not os.path.isfile(DEBIAN_CONF):
        report.fail(label, "%s does not exist (install Debian's glances package)" % DEBIAN_CONF)
        return
    earlier = [p for p in EARLIER_SYSTEM_CONFS if os.path.exists(p)]
    if earlier:
        report.fail(label, "%s exists and comes first in glanced's lookup: the fallback cannot be seen"
                    % ", ".join(earlier))
        return
    try:
        parser = read_oracle(DEBIAN_CONF)
    except (OSError, configparser.Error) as e:
        report.fail(label, "configparser: %s" % e)
        return
    g = Glanced(binary, work, "fallback", config=None)
    try:
        g.start()
    except Fail as e:
        extra = rejected_line(DEBIAN_CONF, g.log_text())
        report.fail(label, "%s%s" % (e, ("\n" + extra) if extra else ""))
        return
    try:
        # The start-up line is logged once the server is bound; init() answering means it is out.
        deadline = time.time() + 5
        line = ""
        while time.time() < deadline and not line:
            line = next((l for l in g.log_text().splitlines() if "glanced listening" in l), "")
            if not line:
                time.sleep(0.1)
        m = re.search(r"config\.file=(\"[^\"]*\"|\S+)", line)
        named = m.group(1).strip('"') if m else None
        if named == DEBIAN_CONF:
            report.ok(label + ": the start-up log line", "config.file=%s" % named)
        else:
            report.fail(label + ": the start-up log line",
                        "expected config.file=%s in the 'glanced listening' line, got: %s"
                        % (DEBIAN_CONF, line or "(no such line)\n" + g.tail_log()))
        limits, plugins = g.limits()
        # A value that tells the file from glanced's built-in defaults: a threshold they lack or set otherwise.
        want = None
        for section in parser.sections():
            if section not in limits or want is not None:
                continue
            for key, value in parser.items(section):
                if THRESHOLD.match(key) and PLAIN_NUMBER.match(value.strip()) \
                        and BUILT_IN.get("%s_%s" % (section, key)) != float(value):
                    want = (section, key, float(value))
                    break
        if want is None:
            report.fail(label + ": a value of the file in getAllLimits",
                        "no numeric threshold of the file differs from glanced's built-in defaults")
        else:
            section, key, value = want
            got = limits[section].get("%s_%s" % (section, key))
            if same_number(got, value):
                report.ok(label + ": a value of the file in getAllLimits",
                          "%s_%s = %s (not a built-in default)" % (section, key, json.dumps(got)))
            else:
                report.fail(label + ": a value of the file in getAllLimits",
                            "%s_%s: expected %s, got %s" % (section, key, value, json.dumps(got)))
        compare_limits(parser, DEBIAN_CONF, limits, plugins, label, report)
    except (Fail, OSError, xmlrpc.client.Error, ValueError) as e:
        report.fail(label, e)
    finally:
        code = g.stop()
        if code != 0:
            report.fail(label + ": exit 0 on SIGTERM", "exit %s\n%s" % (code, g.tail_log()))


def check_negative(binary, work, report):
    label = "a bad threshold (user_careful=abc in [cpu] of a copy of %s)" % DEBIAN_CONF
    log("\n== %s" % label)
    if not os.path.isfile(DEBIAN_CONF):
        report.fail(label, "%s does not exist" % DEBIAN_CONF)
        return
    with open(DEBIAN_CONF, encoding="utf-8") as f:
        lines = f.read().split("\n")
    section, target = None, None
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1].strip().lower()
        elif section == "cpu" and re.match(r"user_careful\s*[=:]", s):
            target = i
            break
    if target is None:   # no such line: add one right after the [cpu] header
        header = next((i for i, l in enumerate(lines) if l.strip().lower() == "[cpu]"), None)
        if header is None:
            lines += ["[cpu]"]
            header = len(lines) - 1
        lines.insert(header + 1, "user_careful=abc")
        target = header + 1
    else:
        lines[target] = "user_careful=abc"
    bad = os.path.join(work, "negative", "glances-bad.conf")
    os.makedirs(os.path.dirname(bad), exist_ok=True)
    with open(bad, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    where = "%s:%d" % (bad, target + 1)
    g = Glanced(binary, work, "negative", config=bad)
    code = g.run_to_exit()
    text = g.log_text()
    if code is None:
        report.fail(label, "glanced still running 20 s after start (it must refuse the file)")
    elif code == 0:
        report.fail(label, "glanced exited 0\n" + g.tail_log())
    elif where not in text:
        report.fail(label, "exit %d, but the message does not name %s:\n%s%s"
                    % (code, where, g.tail_log(), ("\n" + rejected_line(bad, text)) if rejected_line(bad, text)
                                                   else ""))
    else:
        msg = next((l for l in text.splitlines() if where in l), "")
        report.ok(label, "exit %d: %s" % (code, shorten(msg, 200)))


def on_sigterm(*_):
    raise KeyboardInterrupt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--glanced", required=True, help="the glanced binary")
    ap.add_argument("--work", help="folder for logs and copies (default: a temporary one, removed)")
    ap.add_argument("--inventory", action="store_true", help="also list each file's sections and options")
    ap.add_argument("--no-fallback", action="store_true", help="skip the /etc/glances/glances.conf fallback check")
    ap.add_argument("--no-negative", action="store_true", help="skip the user_careful=abc check")
    ap.add_argument("sources", nargs="*", metavar="SOURCE", help="glances.conf files or venv folders")
    args = ap.parse_args()

    binary = os.path.abspath(args.glanced)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print("shipped_configs: %s is not an executable" % binary, file=sys.stderr)
        return 2
    files = []
    for source in args.sources or [DEBIAN_CONF]:
        if os.path.isdir(source):
            found = find_in_venv(source)
            if found is None:
                print("shipped_configs: no glances.conf under %s" % source, file=sys.stderr)
                return 2
            files.append(os.path.abspath(found))
        elif os.path.isfile(source):
            files.append(os.path.abspath(source))
        else:
            print("shipped_configs: %s: no such file or folder" % source, file=sys.stderr)
            return 2

    keep = args.work is not None
    work = os.path.abspath(args.work) if keep else tempfile.mkdtemp(prefix="glanced-configs.")
    os.makedirs(work, exist_ok=True)
    # SIGTERM (from `timeout`) ends like Ctrl-C: through the finally below, which stops the servers.
    signal.signal(signal.SIGTERM, on_sigterm)
    report = Report()
    try:
        log("glanced: %s" % binary)
        for i, path in enumerate(files):
            check_file(binary, work, i, path, args.inventory, report)
        if not args.no_fallback:
            check_fallback(binary, work, report)
        if not args.no_negative:
            check_negative(binary, work, report)
    except KeyboardInterrupt:
        report.fail("run", "interrupted")
    finally:
        stop_all()
    log("\n%d passed, %d failed" % (report.passed, len(report.failed)))
    for what in report.failed:
        log("  failed: %s" % what)
    if report.failed or keep:
        log("logs: %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
