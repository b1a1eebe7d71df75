#!/usr/bin/env python3
"""Interop tests: the real Glances clients (2.0 on Python 2.7, 2.11.1 on Python 3) against glanced.

Each client runs in curses mode inside a private tmux server; the test reads the screen with
`tmux capture-pane -p` and checks that it shows real stats. See README.md beside this file.

  interop.py --glanced PATH --venvs DIR [--work DIR] [-k NAME_SUBSTRING]

The virtual environments come from setup_venvs.sh. Prints "N passed, N failed" last and exits
non-zero when a test failed.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import xmlrpc.client

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "interop-Secret-42"
WRONG_PASSWORD = "not-the-password"
# The 'now' plugin as the clients draw it (bottom left). Alert lines also start with a time, but
# one followed by "(ongoing)" or "(0:00:10)": those are not refreshes.
NOW_RE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?!\s*\()")
EXIT_MARK = "__CLIENT_EXIT__"
FAKE_SYSFS = ("d=$(mktemp -d) && mount --bind /sys/class/net \"$d\" && mount -t tmpfs none /sys/class"
              " && mkdir /sys/class/net && mount --move \"$d\" /sys/class/net && rmdir \"$d\" && mkdir -p /sys/class/hwmon/hwmon0 /sys/class/power_supply/BAT0"
              " && echo coretemp > /sys/class/hwmon/hwmon0/name && echo 45000 > /sys/class/hwmon/hwmon0/temp1_input"
              " && echo 'Core 0' > /sys/class/hwmon/hwmon0/temp1_label"
              " && echo Battery > /sys/class/power_supply/BAT0/type"
              " && echo 87 > /sys/class/power_supply/BAT0/capacity && exec \"$@\"")


class Fail(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout=10):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


def proxy(port, password=None, timeout=10):
    auth = "glances:%s@" % sha256hex(password) if password is not None else ""
    return xmlrpc.client.ServerProxy("http://%s127.0.0.1:%d" % (auth, port),
                                     transport=TimeoutTransport(timeout))


def human(n):
    """Glances' auto_unit() (2.0 and 2.11.1 agree for these sizes): 25276510208 -> '23.5G'."""
    symbols = ("K", "M", "G", "T", "P", "E", "Z", "Y")
    prefix = {s: 1 << (i + 1) * 10 for i, s in enumerate(symbols)}
    for s in reversed(symbols):
        value = float(n) / prefix[s]
        if value > 1:
            fmt = "%.2f%s" if value < 10 else ("%.1f%s" if value < 100 else "%.0f%s")
            return fmt % (value, s)
    return "%dB" % n


class Glanced:
    """One glanced process on 127.0.0.1 and a free port."""

    def __init__(self, binary, workdir, name, password=None, config=None, api=2, fake_sysfs=False):
        self.binary, self.name, self.password = binary, name, password
        self.api, self.fake_sysfs = api, fake_sysfs
        self.dir = os.path.join(workdir, "server-" + name)
        os.makedirs(self.dir, exist_ok=True)
        self.config = config
        self.proc = None
        self.port = None
        self.log_path = os.path.join(self.dir, "glanced.log")

    def start(self, port=None):
        """Start on a free port, or on `port` (a restart: it must be free again at once)."""
        args = []
        if self.password is not None:
            pwd_file = os.path.join(self.dir, "glanced.pwd")
            out = subprocess.run([self.binary, "hash-password"], input=self.password + "\n",
                                 capture_output=True, text=True, timeout=120)   # 2 x 100,000 PBKDF2 rounds: slow in a debug build
            if out.returncode != 0 or "$" not in out.stdout:
                raise Fail("glanced hash-password failed (%d): %r %r"
                           % (out.returncode, out.stdout, out.stderr))
            stored = out.stdout.strip()
            salt, digest = stored.splitlines()[0].split("$", 1)   # line 1: sha256 form; line 2: PBKDF2
            if hashlib.sha256((salt + sha256hex(self.password)).encode()).hexdigest() != digest:
                raise Fail("glanced hash-password: %r is not salt$sha256(salt+sha256(plain))" % stored)
            with open(pwd_file, "w") as f:
                f.write(stored + "\n")
            args += ["--password-file", pwd_file]
        if self.config is not None:
            conf = os.path.join(self.dir, "glanced.conf")
            with open(conf, "w") as f:
                f.write(self.config)
            args += ["-C", conf]
        if self.api != 2:
            args += ["--xmlrpc-api", str(self.api)]
        env = dict(os.environ, HOME=self.dir, XDG_CONFIG_HOME=os.path.join(self.dir, "config"))
        for attempt in range(5 if port is None else 1):
            self.port = port or free_port()
            logf = open(self.log_path, "a")
            cmd = [self.binary, "-B", "127.0.0.1", "-p", str(self.port)] + args
            if self.fake_sysfs:
                # A private mount namespace with a tmpfs over /sys/class (the real /sys/class/net kept): one
                # coretemp chip ("Core 0", 45 C) and one battery (BAT0, 87 %); `exec` keeps glanced's pid.
                cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c", FAKE_SYSFS, "sh"] + cmd
            self.proc = subprocess.Popen(cmd,
                                         stdin=subprocess.DEVNULL, stdout=logf, stderr=logf, env=env)
            logf.close()
            with open(os.path.join(os.path.dirname(self.dir), "glanced.pids"), "a") as f:
                f.write("%d\n" % self.proc.pid)   # .ci/interop's last resort if this script is killed
            deadline = time.time() + 30
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    version = proxy(self.port, self.password, timeout=3).init()
                    want = "2.0" if self.api == 2 else "%d." % self.api
                    if not str(version).startswith(want):
                        raise Fail("glanced init() = %r, expected %r..." % (version, want))
                    return self
                except (OSError, xmlrpc.client.ProtocolError):
                    time.sleep(0.2)
            if self.proc.poll() is None:
                self.stop()
                raise Fail("glanced did not answer init() within 30 s:\n" + self.tail_log())
            if port is not None or "in use" not in self.tail_log().lower():   # else: lost a port race
                raise Fail("glanced exited with %s at start:\n%s" % (self.proc.returncode, self.tail_log()))
        raise Fail("glanced: no free port after 5 tries" if port is None else
                   "glanced could not listen on port %d again:\n%s" % (port, self.tail_log()))

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM, as systemd does; returns the exit code (glanced must exit 0)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                return "killed (no exit 10 s after SIGTERM)"
        return self.proc.returncode

    def tail_log(self, n=40):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return "(no log)"


class Tmux:
    """A private tmux server (its own socket, no user config) for the curses clients."""

    def __init__(self, workdir):
        self.sock = os.path.join(workdir, "tmux.sock")
        if len(self.sock) > 100:   # a Unix socket path has at most 107 bytes
            self.sock = os.path.join(tempfile.mkdtemp(prefix="gi-", dir="/tmp"), "tmux.sock")
        self.workdir = workdir
        with open(os.path.join(workdir, "tmux.socket-path"), "w") as f:
            f.write(self.sock + "\n")   # for .ci/interop's clean-up

    def cmd(self, *args, check=True, timeout=15):
        out = subprocess.run(["tmux", "-S", self.sock, "-f", "/dev/null"] + list(args),
                             capture_output=True, text=True, timeout=timeout)
        if check and out.returncode != 0:
            raise Fail("tmux %s: %s" % (" ".join(args), out.stderr.strip()))
        return out.stdout

    def kill_server(self):
        try:
            self.cmd("kill-server", check=False, timeout=10)
        except Exception:
            pass


class Client:
    """One Glances client in its own tmux session, stderr also copied to a file."""

    def __init__(self, tmux, workdir, name, argv, width=200, height=220):
        self.tmux, self.name = tmux, name
        self.dir = os.path.join(workdir, "client-" + name)
        os.makedirs(os.path.join(self.dir, "home"), exist_ok=True)
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        self.err_path = os.path.join(self.dir, "stderr.log")
        self.script = os.path.join(self.dir, "run.sh")
        with open(self.script, "w") as f:
            f.write("#!/bin/bash\n"
                    "cd %s\n" % sh(self.dir) +
                    "export HOME=%s XDG_CONFIG_HOME=%s TMPDIR=%s LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen"
                    " PYTHONWARNINGS=ignore::SyntaxWarning\n"
                    % (sh(os.path.join(self.dir, "home")), sh(os.path.join(self.dir, "home", ".config")),
                       sh(os.path.join(self.dir, "tmp"))) +
                    "unset PYTHONPATH PYTHONHOME VIRTUAL_ENV\n"
                    "%s 2> >(tee -a %s >&2)\n" % (" ".join(sh(a) for a in argv), sh(self.err_path)) +
                    "rc=$?\nsleep 0.5\necho; echo \"%s $rc\"\nexec sleep 600\n" % EXIT_MARK)
        self.tmux.cmd("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
                      "bash " + sh(self.script))
        self.screens = []

    def screen(self):
        text = self.tmux.cmd("capture-pane", "-p", "-t", self.name)
        self.screens.append(text)
        return text

    def send(self, *keys):
        self.tmux.cmd("send-keys", "-t", self.name, *keys)

    def exit_code(self, screen=None):
        m = re.search(EXIT_MARK + r" (\d+)", screen if screen is not None else self.screen())
        return int(m.group(1)) if m else None

    def stderr(self):
        try:
            with open(self.err_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_for(self, predicate, timeout, what):
        deadline = time.time() + timeout
        text = ""
        while time.time() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            if self.exit_code(text) is not None and not predicate(text):
                break
            time.sleep(0.25)
        raise Fail("%s: timed out or client ended waiting for %s" % (self.name, what))

    def quit(self, key="q", timeout=15):
        """Press q; return the client's exit code (None if it did not exit)."""
        if self.exit_code() is None:
            self.send(key)
        deadline = time.time() + timeout
        while time.time() < deadline:
            rc = self.exit_code()
            if rc is not None:
                return rc
            time.sleep(0.25)
        return None

    def save(self, filename, text):
        with open(os.path.join(self.dir, filename), "w") as f:
            f.write(text)

    def kill(self):
        if self.screens:   # kept for a look afterwards (the work folder stays when a test failed)
            self.save("last-screen.txt", self.screens[-1])
        self.tmux.cmd("kill-session", "-t", self.name, check=False)

    def dump(self):
        last = self.screens[-1] if self.screens else "(no capture)"
        return ("----- last screen of %s -----\n%s\n----- stderr of %s -----\n%s"
                % (self.name, last.rstrip(), self.name, self.stderr().rstrip() or "(empty)"))


def sh(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


# ----------------------------------------------------------------------------------------------
# Screen checks shared by both clients

def last_words(client):
    lines = [l.strip() for l in client.stderr().splitlines() if l.strip()]
    return lines[-1] if lines else "(nothing on stderr)"


def check_no_errors(client, text):
    # (Only these two: the process list shows other programs' command lines, which may say anything.)
    for bad in ("Traceback", "Disconnected"):
        if bad in text:
            raise Fail("%s: the screen shows %r; stderr ends: %s" % (client.name, bad, last_words(client)))
    if "Traceback" in client.stderr():
        raise Fail("%s: a Python traceback on stderr: %s" % (client.name, last_words(client)))
    if client.exit_code(text) is not None:
        # (2.11.1 catches an exception in its loop, prints only its message, and exits 0)
        raise Fail("%s: the client ended by itself (exit %s); stderr ends: %s"
                   % (client.name, client.exit_code(text), last_words(client)))


def watch_refreshes(client, want=3, timeout=40):
    """Wait until the screen has shown `want` different server times (the 'now' plugin)."""
    seen = []
    deadline = time.time() + timeout
    text = ""
    while time.time() < deadline:
        text = client.screen()
        check_no_errors(client, text)
        for stamp in NOW_RE.findall(text):
            if stamp not in seen:
                seen.append(stamp)
        if len(seen) >= want:
            return text, seen
        time.sleep(0.3)
    raise Fail("%s: only %d screen refreshes (times %s) in %d s" % (client.name, len(seen), seen, timeout))


def check_stats_screen(client, text, server):
    check_no_errors(client, text)
    lines = text.splitlines()
    # CPU % and MEM % headers with a number
    if not re.search(r"\bCPU\s+\d+\.\d%", text):
        raise Fail("%s: no 'CPU nn.n%%' on the screen" % client.name)
    if not re.search(r"\bMEM\s+\d+\.\d%", text):
        raise Fail("%s: no 'MEM nn.n%%' on the screen" % client.name)
    # The memory total shown is the machine's
    total = meminfo_total()
    if not re.search(r"total:?\s+%s\b" % re.escape(human(total)), text):
        raise Fail("%s: memory total %s (MemTotal) not on the screen" % (client.name, human(total)))
    # LOAD with the 1/5/15 minutes values
    if not re.search(r"LOAD\b", text) or not re.search(r"1 min:?\s+\d+\.\d\d", text):
        raise Fail("%s: no LOAD '1 min: n.nn' on the screen" % client.name)
    # The process list: glanced itself, by its pid and its name
    # 2.11.1 draws a string cmdline with a space between letters ("g l a n c e d", see README.md
    # beside this file), so look for the name with the spaces taken out.
    pid = str(server.proc.pid)
    if not any(re.search(r"\b%s\b" % pid, l) and "glanced" in l.replace(" ", "") for l in lines):
        raise Fail("%s: no process line with glanced's pid %s and name 'glanced'" % (client.name, pid))
    # The process count summary
    # 2.11.1 pads the count to four places: "TASKS1097 (...)" once there are a thousand processes.
    if not re.search(r"TASKS\s*\d+ \(\d+ thr\), \d+ run, \d+ slp", text):
        raise Fail("%s: no process count ('TASKS n (n thr), n run, n slp') on the screen" % client.name)
    # A mounted filesystem and a network interface
    if not any(re.match(r"/ \(\S+\)\s+\d", l) for l in lines):   # "/ (vda)    17.6G   252G"
        raise Fail("%s: the root filesystem '/' is not on the screen" % client.name)
    if not re.search(r"\blo\b", text):
        raise Fail("%s: the loopback interface 'lo' is not on the screen" % client.name)


def check_v34_screen(client, text, server):
    """A 3.x/4.x client's screen: the sections glanced feeds, the fake sensors, filled process columns."""
    for section in ("NETWORK", "DISK I/O", "FILE SYS", "SENSORS", "LOAD", "CPU", "MEM"):
        if section not in text:
            raise Fail("%s: no %s section on the screen" % (client.name, section))
    if not re.search(r"Core 0\s+45C", text):
        raise Fail("%s: SENSORS without 'Core 0  45C' (fake sysfs)" % client.name)
    if not re.search(r"BAT BAT0\s+87%", text):
        raise Fail("%s: SENSORS without 'BAT BAT0  87%%' (fake sysfs)" % client.name)
    pid = str(server.proc.pid)
    rows = [l for l in text.splitlines() if re.search(r"\b%s\b" % pid, l) and "glanced" in l]
    if not rows:
        raise Fail("%s: no process row for glanced (pid %s)" % (client.name, pid))
    # CPU% MEM% VIRT RES PID USER TIME+ ...: everything left of the command filled in
    head = rows[0].split("glanced")[0]
    m = re.search(r"(\S+)\s+(\S+)\s+%s\s+\S+\s+(\S+)" % pid, head)
    if not m or "?" in m.groups():
        raise Fail("%s: VIRT/RES/TIME+ not filled in glanced's row: %r" % (client.name, rows[0]))


def meminfo_total():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    raise Fail("no MemTotal in /proc/meminfo")


# ----------------------------------------------------------------------------------------------
# Tests

class FakeHddtemp:
    """A stand-in for the hddtemp daemon on 127.0.0.1: sends its disk list and closes, as `hddtemp -d`
    does. It gives glanced's sensors list entries on a machine with no sensors (a CI VM), so the
    clients draw their SENSORS section."""

    REPLY = b"|/dev/sda|INTEROP DISK A|35|C||/dev/sdb|INTEROP DISK B|SLP|*|"

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.stopped = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            try:
                conn.sendall(self.REPLY)
            except OSError:
                pass
            finally:
                conn.close()

    def stop(self):
        self.stopped = True
        self.thread.join(2)
        self.sock.close()


# Hot keys that switch a display on (pressed again: off) or sort the process list. Each one makes
# the client read keys of the server's stats that it does not read otherwise.
HOTKEYS_20 = [("1", "per-CPU"), ("t", "network rx+tx"), ("u", "network cumulative"), ("b", "bits/bytes"),
              ("m", "sort by MEM%"), ("p", "sort by name"), ("i", "sort by I/O"), ("c", "sort by CPU%"),
              ("a", "automatic sort"), ("d", "disk I/O off"), ("f", "file systems off"),
              ("n", "network off"), ("s", "sensors off"), ("l", "alerts off"), ("h", "help")]
HOTKEYS_211 = [("1", "per-CPU"), ("T", "network rx+tx"), ("U", "network cumulative"), ("b", "bits/bytes"),
               ("B", "disk I/O as IOPS"), ("F", "file system free space"), ("0", "Irix off"),
               ("/", "short process names"), ("2", "left sidebar off"), ("3", "quicklook off"),
               ("e", "extended stats of the top process"), ("m", "sort by MEM%"), ("p", "sort by name"),
               ("i", "sort by I/O"), ("t", "sort by TIME+"), ("u", "sort by user"), ("c", "sort by CPU%"),
               ("a", "automatic sort"), ("d", "disk I/O off"), ("n", "network off"), ("s", "sensors off"),
               ("l", "alerts off"), ("h", "help")]
TOGGLES_20 = set("1tubdfnslh")         # pressed a second time to switch back
TOGGLES_211 = set("1TUbBF0/23edsnlh")


class Suite:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        self.venvs = args.venvs
        # Started through a short symlink: the clients draw the command line (2.11.1 with a space between
        # letters) cut at the screen's width, and a long build path would push "glanced" off the screen.
        link_dir = os.path.join(self.work, "bin")
        os.makedirs(link_dir, exist_ok=True)
        self.binary = os.path.join(link_dir, "glanced")
        if not os.path.lexists(self.binary):
            os.symlink(args.glanced, self.binary)
        self.tmux = Tmux(self.work)
        self.servers = []
        self.clients = []
        self.g20 = os.path.join(self.venvs, "g20", "bin", "glances")
        self.g211 = os.path.join(self.venvs, "g211", "bin", "glances")
        self.g331 = args.glances3
        self.g458 = os.path.join(self.venvs, "g458", "bin", "glances")
        self.hddtemp = FakeHddtemp()
        self.client_conf = os.path.join(self.work, "client.conf")
        with open(self.client_conf, "w") as f:
            # Same thresholds as Glances ships; no hide lists (so 'lo' stays on screen);
            # 2.11.1: no version check, no port scan of the default gateway.
            f.write("[global]\ncheck_update=false\n\n[ports]\nport_default_gateway=False\n\n"
                    "[mem]\ncareful=50\nwarning=70\ncritical=90\n")

    def close(self):
        self.cleanup()
        self.hddtemp.stop()
        self.tmux.kill_server()

    # -- fixtures
    def server(self, name, password=None, api=2, fake_sysfs=False):
        """A glanced with a monitor list and the fake hddtemp daemon (so sensors is not empty)."""
        conf_path = os.path.join(self.work, "server-" + name, "glanced.conf")
        me = re.escape(conf_path)   # matches this glanced's own command line only (-C PATH)
        conf = ("[hddtemp]\nhost=127.0.0.1\nport=%d\n\n" % self.hddtemp.port +
                "[monitor]\n"
                "list_1_description=glanced itself\nlist_1_regex=%s\n"
                "list_1_countmin=1\nlist_1_countmax=1\n" % me +
                # A command slower than the first refreshes: its output is not there yet when
                # the client first asks.
                "list_2_description=slow command\nlist_2_regex=%s\n"
                "list_2_command=sleep 3; echo interop-ok\n" % me)
        s = Glanced(self.binary, self.work, name, password=password, config=conf, api=api,
                    fake_sysfs=fake_sysfs).start()
        self.servers.append(s)
        return s

    def client(self, name, argv, **kw):
        c = Client(self.tmux, self.work, name, argv, **kw)
        self.clients.append(c)
        return c

    def cleanup(self):
        for c in self.clients:
            c.kill()
        self.clients = []
        codes = []
        for s in self.servers:
            rc = s.stop()
            codes.append((s, rc))
        self.servers = []
        return codes

    def curses_client(self, version, name, srv, *extra):
        exe = {"2.0": self.g20, "2.11.1": self.g211, "3.3.1": self.g331, "4.5.8": self.g458}[version]
        argv = [exe, "-C", self.client_conf, "-c", "127.0.0.1", "-p", str(srv.port), "-t", "1"]
        if version != "2.0":
            argv.append("--disable-check-update")
        return self.client(name, argv + list(extra))

    def stats_screen(self, c, srv, refreshes):
        """Wait for the stats screen, `refreshes` refreshes, and every check to pass."""
        c.wait_for(lambda t: "CPU" in t and "MEM" in t or EXIT_MARK in t, 40, "the stats screen")
        text, stamps = watch_refreshes(c, want=refreshes)
        # the process list fills in after the first refreshes: retry the full check a little
        deadline = time.time() + 10
        while True:
            try:
                check_stats_screen(c, text, srv)
                c.save("stats-screen.txt", text)
                return text, stamps
            except Fail:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
                text = c.screen()

    def quit_cleanly(self, c, srv):
        rc = c.quit()
        if rc != 0:
            raise Fail("%s: 'q' did not end the client with exit 0 (exit %s)" % (c.name, rc))
        if "Traceback" in c.stderr():
            raise Fail("%s: traceback on stderr after quitting" % c.name)
        if not srv.alive():
            raise Fail("glanced died while serving %s:\n%s" % (c.name, srv.tail_log()))

    # -- the curses clients
    def test_glances20_client(self):
        """Glances 2.0 (Python 2.7) curses client shows live stats, monitor list, sensors; quits cleanly"""
        srv = self.server("plain-2.0")
        c = self.curses_client("2.0", "g20-plain", srv)
        try:
            text, stamps = self.stats_screen(c, srv, 4)
            # [monitor] (the 2.0 client reads it through getAllMonitored): exactly this glanced
            if not re.search(r"glanced itself\s+RUNNING\s+CPU: \d+\.\d% \| MEM: \d+\.\d%", text):
                raise Fail("%s: no monitor line 'glanced itself  RUNNING  CPU: n.n%% | MEM: n.n%%'" % c.name)
            # the slow command's output, once it has run
            c.wait_for(lambda t: "interop-ok" in t or EXIT_MARK in t or "Traceback" in t, 20,
                       "the monitor command's output 'interop-ok'")
            text = c.screen()
            check_no_errors(c, text)
            # sensors: the hddtemp disks (2.0 shows the value as sent)
            if "SENSORS" not in text or not re.search(r"\bsda\s+35\b", text):
                raise Fail("%s: no SENSORS section with 'sda  35'" % c.name)
            self.quit_cleanly(c, srv)
            return "%d server times (%s .. %s); monitor list and sensors shown" % (
                len(stamps), stamps[0], stamps[-1])
        except Fail:
            log(c.dump())
            raise

    def test_glances2111_client(self):
        """Glances 2.11.1 (Python 3) curses client shows live stats and sensors; quits cleanly"""
        srv = self.server("plain-2.11.1")
        c = self.curses_client("2.11.1", "g2111-plain", srv)
        try:
            text, stamps = self.stats_screen(c, srv, 4)
            if "SENSORS" not in text or not re.search(r"\bsda\b", text):
                raise Fail("%s: no SENSORS section with 'sda'" % c.name)
            self.quit_cleanly(c, srv)
            return "%d server times (%s .. %s); sensors shown" % (len(stamps), stamps[0], stamps[-1])
        except Fail:
            log(c.dump())
            raise

    def _hotkeys(self, version, keys, toggles):
        srv = self.server("keys-" + version)
        c = self.curses_client(version, "g%s-keys" % version.replace(".", ""), srv)
        try:
            self.stats_screen(c, srv, 2)
            for key, what in keys:
                for press in range(2 if key in toggles else 1):
                    before = set(NOW_RE.findall(c.screen()))
                    c.send("-l", key)
                    # Switched on: wait for a refresh (a new server time; -t 1) to draw it with new
                    # stats. The help screen shows no time: 1.5 s at most. Switched back: a glance.
                    deadline = time.time() + (1.5 if press == 0 else 0.3)
                    while time.time() < deadline:
                        time.sleep(0.2)
                        text = c.screen()
                        if c.exit_code(text) is not None or "Traceback" in text:
                            break
                        if press == 0 and set(NOW_RE.findall(text)) - before:
                            break
                    try:
                        check_no_errors(c, c.screen())
                    except Fail as e:
                        raise Fail("key %r (%s): %s" % (key, what, e))
            self.stats_screen(c, srv, 2)   # back to the default display
            self.quit_cleanly(c, srv)
            return "%d keys: %s" % (len(keys), " ".join(k for k, _ in keys))
        except Fail:
            log(c.dump())
            raise

    def test_glances20_hotkeys(self):
        """Glances 2.0 client survives its display hot keys (per-CPU, sums, sorts, help...)"""
        return self._hotkeys("2.0", HOTKEYS_20, TOGGLES_20)

    def test_glances2111_hotkeys(self):
        """Glances 2.11.1 client survives its display hot keys (per-CPU, IOPS, free space, sorts...)"""
        return self._hotkeys("2.11.1", HOTKEYS_211, TOGGLES_211)

    def _restart(self, version):
        srv = self.server("restart-" + version)
        c = self.curses_client(version, "g%s-restart" % version.replace(".", ""), srv)
        try:
            self.stats_screen(c, srv, 2)
            rc = srv.stop()
            if rc != 0:
                raise Fail("glanced exit %r on SIGTERM" % rc)
            c.wait_for(lambda t: "Disconnected" in t or EXIT_MARK in t, 15, "'Disconnected' while glanced is down")
            time.sleep(1.5)
            if c.exit_code() is not None:
                raise Fail("%s: the client ended while glanced was down" % c.name)
            # as `systemctl restart`: same port at once, the old connections still in TIME_WAIT
            srv.start(port=srv.port)
            c.wait_for(lambda t: "Disconnected" not in t or EXIT_MARK in t, 15, "the client to reconnect")
            text, stamps = self.stats_screen(c, srv, 3)   # the new glanced's pid in the list
            self.quit_cleanly(c, srv)
            return "Disconnected while down, then live stats again from the restarted glanced"
        except Fail:
            log(c.dump())
            raise

    def test_glances20_server_restart(self):
        """Glances 2.0 client: 'Disconnected' while glanced restarts, then live stats again"""
        return self._restart("2.0")

    def test_glances2111_server_restart(self):
        """Glances 2.11.1 client: 'Disconnected' while glanced restarts, then live stats again"""
        return self._restart("2.11.1")

    def _password(self, version, exe, right, api=2):
        srv = self.server("pw-%s-%s" % (version, "right" if right else "wrong"), password=PASSWORD, api=api)
        c = self.curses_client(version, "g%s-pw-%s" % (version.replace(".", ""), "right" if right else "wrong"),
                               srv, "--password")
        try:
            c.wait_for(lambda t: "assword" in t, 30, "the password prompt")
            c.send("-l", PASSWORD if right else WRONG_PASSWORD)
            c.send("Enter")
            if right:
                text, stamps = self.stats_screen(c, srv, 4)
                self.quit_cleanly(c, srv)
                result = "stats shown with the password (%d server times)" % len(stamps)
            else:
                text = c.wait_for(lambda t: EXIT_MARK in t, 30, "the client to give up")
                rc = c.exit_code(text)
                seen = text + c.stderr()
                expect = {"2.0": "Bad password", "4.5.8": "Error when connecting"}.get(
                    version, "Bad username/password")
                if expect not in seen:
                    raise Fail("%s: %r not shown for a wrong password" % (c.name, expect))
                if rc != 2:
                    raise Fail("%s: exit %s for a wrong password, expected 2" % (c.name, rc))
                if "Traceback" in seen:
                    raise Fail("%s: traceback for a wrong password" % c.name)
                result = "%r, exit 2" % expect
            # glanced unharmed: the right password works, no password and a wrong one get 401
            if not srv.alive():
                raise Fail("glanced died:\n" + srv.tail_log())
            cpu = json.loads(proxy(srv.port, PASSWORD, timeout=30).getCpu())
            if "idle" not in cpu:
                raise Fail("getCpu with the right password has no idle: %r" % cpu)
            for bad in (None, WRONG_PASSWORD):
                try:
                    proxy(srv.port, bad, timeout=30).getCpu()
                    raise Fail("getCpu with password %r was answered" % bad)
                except xmlrpc.client.ProtocolError as e:
                    if e.errcode != 401:
                        raise Fail("getCpu with password %r: HTTP %s, expected 401" % (bad, e.errcode))
            return result + "; glanced still answers the right password, 401 otherwise"
        except Fail:
            log(c.dump())
            raise

    def test_glances20_password(self):
        """Glances 2.0 client with --password (answered at its prompt) shows stats"""
        return self._password("2.0", self.g20, True)

    def test_glances20_wrong_password(self):
        """Glances 2.0 client with a wrong password: 'Bad password', exit 2; glanced unharmed"""
        return self._password("2.0", self.g20, False)

    def test_glances2111_password(self):
        """Glances 2.11.1 client with --password (answered at its prompt) shows stats"""
        return self._password("2.11.1", self.g211, True)

    def test_glances2111_wrong_password(self):
        """Glances 2.11.1 client with a wrong password: 'Bad username/password', exit 2; glanced unharmed"""
        return self._password("2.11.1", self.g211, False)

    def test_glances2111_browser(self):
        """Glances 2.11.1 --browser lists glanced ONLINE with CPU/MEM/LOAD (and PROTECTED, OFFLINE)"""
        plain = self.server("browser-plain")
        protected = self.server("browser-protected", password=PASSWORD)
        closed = free_port()
        conf = os.path.join(self.work, "browser.conf")
        with open(conf, "w") as f:
            f.write("[global]\ncheck_update=false\n\n[serverlist]\n"
                    "server_1_name=127.0.0.1\nserver_1_port=%d\n"     # as a user writes it: no alias
                    "server_2_name=127.0.0.1\nserver_2_alias=glanced-pw\nserver_2_port=%d\n"
                    "server_3_name=127.0.0.1\nserver_3_alias=nobody-home\nserver_3_port=%d\n"
                    % (plain.port, protected.port, closed))
        c = self.client("g2111-browser", [self.g211, "--browser", "-C", conf, "--disable-check-update",
                                          "-t", "1"])
        try:
            def ready(t):
                rows = {l.lstrip("> ").split()[0]: l for l in t.splitlines() if l.lstrip("> ")}
                return (EXIT_MARK in t or
                        ("ONLINE" in rows.get("127.0.0.1", "") and
                         "PROTECTED" in rows.get("glanced-pw", "") and
                         "OFFLINE" in rows.get("nobody-home", "")))
            text = c.wait_for(ready, 40, "ONLINE / PROTECTED / OFFLINE rows")
            check_no_errors(c, text)
            row = [l for l in text.splitlines() if l.lstrip("> ").startswith("127.0.0.1")][0]
            # Name  LOAD  CPU%  MEM%  STATUS  IP  OS  ("127.0.0.1  2.66  50.5  2.5  ONLINE  127.0.0.1  Debian GNU/Linux")
            fields = row.lstrip("> ").split()
            try:
                load, cpu, mem = (float(x) for x in fields[1:4])
            except ValueError:
                raise Fail("browser row without numbers for LOAD, CPU%%, MEM%%: %r" % row)
            real_mem = float(json.loads(proxy(plain.port).getMem())["percent"])
            if not (0 <= cpu <= 100 and abs(mem - real_mem) < 5 and load >= 0):
                raise Fail("browser row LOAD %s CPU%% %s MEM%% %s (getMem: %s): %r" % (load, cpu, mem, real_mem, row))
            hr = json.loads(proxy(plain.port).getSystem()).get("hr_name")
            if not hr or hr.split()[0] not in row:
                raise Fail("browser row without the OS name %r: %r" % (hr, row))
            rc = c.quit()
            if rc != 0:
                raise Fail("browser: exit %s after q" % rc)
            return "row: " + " ".join(row.lstrip("> ").split())
        except Fail:
            log(c.dump())
            raise

    # -- the monitoring check
    def test_nagios_check(self):
        """check_glanced.py (xmlrpc.client only): Nagios line, exit codes 0/1/2/3, values match /proc"""
        srv = self.server("nagios")
        pw = self.server("nagios-pw", password=PASSWORD)
        check = os.path.join(HERE, "check_glanced.py")

        def run(*extra, port=srv.port):
            out = subprocess.run([sys.executable, check, "-H", "127.0.0.1", "-p", str(port), "-t", "10"]
                                 + list(extra), capture_output=True, text=True, timeout=60)
            if out.stderr.strip() or len(out.stdout.splitlines()) != 1:
                raise Fail("check_glanced.py must print exactly one line and nothing on stderr: %r %r"
                           % (out.stdout, out.stderr))
            return out.returncode, out.stdout.strip()

        lax = ["--cpu", "101,102", "--mem", "101,102", "--load", "1000,2000", "--fs", "101,102",
               "--temp", "1000,2000"]
        rc, line = run(*lax)
        log("    " + line)
        if rc != 0 or not line.startswith("OK - cpu "):
            raise Fail("lax thresholds: exit %s, %r (want 0, 'OK - cpu ...')" % (rc, line))
        perf = parse_perf(line)
        # memory: the total is the machine's, the percent is used/total
        total = meminfo_total()
        mem_total = int(perf["mem_used"][4])
        if mem_total != total:
            raise Fail("mem total %d != /proc/meminfo MemTotal x 1024 = %d" % (mem_total, total))
        used = float(perf["mem_used"][0])
        if abs(used * 100.0 / total - float(perf["mem"][0])) > 1.0:
            raise Fail("mem percent %s does not match used/total %.1f" % (perf["mem"][0], used * 100.0 / total))
        # load: within 1 of /proc/loadavg
        with open("/proc/loadavg") as f:
            la = [float(x) for x in f.read().split()[:3]]
        for i, key in enumerate(("load1", "load5", "load15")):
            if abs(float(perf[key][0]) - la[i]) > 1.0:
                raise Fail("%s %s not within 1 of /proc/loadavg %s" % (key, perf[key][0], la[i]))
        if int(perf["cpus"][0]) != os.cpu_count():
            raise Fail("cpus %s != %d" % (perf["cpus"][0], os.cpu_count()))
        cpu = float(perf["cpu"][0])
        if not 0.0 <= cpu <= 100.0:
            raise Fail("cpu %s%% out of range" % cpu)
        if "fs_/" not in perf:
            raise Fail("no root filesystem '/' in getFs: %s" % sorted(k for k in perf if k.startswith("fs_")))
        st = os.statvfs("/")
        root_pct = (st.f_blocks - st.f_bfree) * 100.0 / ((st.f_blocks - st.f_bfree) + st.f_bavail)
        if abs(float(perf["fs_/"][0]) - root_pct) > 2.0:
            raise Fail("fs / %s%% vs statvfs %.1f%%" % (perf["fs_/"][0], root_pct))
        # thresholds -> exit codes
        rc, line = run(*(lax[:2] + ["--mem", "0.001,101"] + lax[4:]))
        if rc != 1 or not line.startswith("WARNING - "):
            raise Fail("mem warning at 0.001%%: exit %s, %r (want 1)" % (rc, line))
        rc, line = run(*(lax[:2] + ["--mem", "0.001,0.002"] + lax[4:]))
        if rc != 2 or not line.startswith("CRITICAL - "):
            raise Fail("mem critical at 0.002%%: exit %s, %r (want 2)" % (rc, line))
        rc, line = run(*(lax[:8] + ["--fs", "0,101"] + lax[10:]))
        if rc != 1:
            raise Fail("fs warning at 0%%: exit %s, %r (want 1)" % (rc, line))
        # unreachable, protected
        rc, line = run(*lax, port=free_port())
        if rc != 3 or not line.startswith("UNKNOWN - "):
            raise Fail("closed port: exit %s, %r (want 3 UNKNOWN)" % (rc, line))
        rc, line = run(*lax, port=pw.port)
        if rc != 3 or "bad credentials" not in line:
            raise Fail("password server without password: exit %s, %r (want 3, bad credentials)" % (rc, line))
        rc, line = run(*(lax + ["--password", PASSWORD]), port=pw.port)
        if rc != 0:
            raise Fail("password server with the password: exit %s, %r (want 0)" % (rc, line))
        return "OK/WARNING/CRITICAL/UNKNOWN exits; mem total, load, fs / match the machine"

    def test_shapes_both_clients_accept(self):
        """The shapes the two clients need (README 'Compatibility'): floats, strings, keys"""
        srv = self.server("shapes")
        time.sleep(2.2)   # two samples, so every delta-based list is filled in
        p = proxy(srv.port)
        plugins = json.loads(p.getAllPlugins())
        stats = json.loads(p.getAll())
        monitored = json.loads(p.getAllMonitored())
        problems = []

        def want(cond, what):
            if not cond:
                problems.append(what)

        # 2.0 crashes on a getAll key it has no plugin for (missing from getAllPlugins);
        # 2.11.1 crashes on 'monitor' in getAll; 2.0 needs all 17 plugins it draws.
        want(set(stats) == set(plugins) - {"monitor"}, "getAll keys = getAllPlugins - monitor: %s"
             % sorted(set(stats) ^ (set(plugins) - {"monitor"})))
        drawn_by_20 = {"help", "system", "uptime", "percpu", "cpu", "load", "mem", "memswap", "network",
                       "diskio", "fs", "sensors", "now", "processcount", "processlist", "alert", "monitor"}
        want(drawn_by_20 <= set(plugins), "getAllPlugins lacks %s" % sorted(drawn_by_20 - set(plugins)))
        # Python 2 divides with integer division: ratios must be JSON floats (5.0, never 5)
        isf = lambda v: isinstance(v, float)
        for k in ("user", "system", "idle", "nice", "iowait", "irq", "softirq", "steal", "total"):
            want(isf(stats["cpu"].get(k)), "cpu.%s is a float" % k)
        for i, c in enumerate(stats["percpu"]):
            for k in ("user", "system", "idle", "nice", "iowait", "irq", "softirq", "steal", "total"):
                want(isf(c.get(k)), "percpu[%d].%s is a float" % (i, k))
            want(type(c.get("cpu_number")) is int, "percpu[%d].cpu_number is an int (2.11.1)" % i)
        want(len(stats["percpu"]) == os.cpu_count(), "percpu has one entry per CPU")
        for k in ("min1", "min5", "min15"):
            want(isf(stats["load"].get(k)), "load.%s is a float" % k)
        want(isf(stats["mem"].get("percent")) and isf(stats["memswap"].get("percent")), "mem/memswap percent floats")
        for f in stats["fs"]:
            want(isf(f.get("percent")), "fs %s percent is a float" % f.get("mnt_point"))
        # processes: 2.0 slices username, splits cmdline, sums cpu_times
        for proc in stats["processlist"]:
            if not (isinstance(proc.get("username"), str) and isinstance(proc.get("cmdline"), str)
                    and isf(proc.get("cpu_percent")) and isf(proc.get("memory_percent"))
                    and len(proc.get("cpu_times", ())) == 2 and len(proc.get("memory_info", ())) >= 2):
                problems.append("process %r: username/cmdline strings, cpu/memory_percent floats, "
                                "2 cpu_times, memory_info [rss, vms]" % proc)
                break
        # monitor result: 2.0 calls .startswith on it when count >= 1: never null
        for m in monitored:
            want(isinstance(m.get("result"), str), "monitor %r: result is a string" % m.get("description"))
        # 2.11.1 reads sensors 'unit', fs 'free' ('F' key), diskio 'read_count'/'write_count' ('B')
        for x in stats["sensors"]:
            want("unit" in x, "sensors %r has 'unit'" % x.get("label"))
        for f in stats["fs"]:
            want(type(f.get("free")) is int, "fs %s has int 'free'" % f.get("mnt_point"))
        for d in stats["diskio"]:
            want(type(d.get("read_count")) is int and type(d.get("write_count")) is int,
                 "diskio %s has int read_count/write_count" % d.get("disk_name"))
        want(isinstance(stats["system"].get("hr_name"), str), "system.hr_name (browser mode)")
        if problems:
            raise Fail("; ".join(problems))
        return "%d plugins; floats, strings and keys as both clients need" % len(plugins)

    # -- Glances 3.3.1 (Debian) and 4.5.8 (PyPI) against glanced --xmlrpc-api 3 / 4
    def _v34_client(self, version, api):
        srv = self.server("plain-%s" % version, api=api, fake_sysfs=True)
        c = self.curses_client(version, "g%s-plain" % version.replace(".", ""), srv)
        try:
            text, stamps = self.stats_screen(c, srv, 4)
            check_v34_screen(c, text, srv)
            c.save("stats-screen.txt", c.screen())
            self.quit_cleanly(c, srv)
            return "%d server times; CPU MEM LOAD NETWORK DISK I/O FILE SYS SENSORS, VIRT/RES/TIME+ filled" % len(stamps)
        except Fail:
            log(c.dump())
            raise

    def test_glances331_client(self):
        """Glances 3.3.1 (Debian) client against glanced --xmlrpc-api 3: every section, sensors, no '?'"""
        return self._v34_client("3.3.1", 3)

    def test_glances458_client(self):
        """Glances 4.5.8 (PyPI) client against glanced --xmlrpc-api 4: every section, sensors, no '?'"""
        return self._v34_client("4.5.8", 4)

    def test_glances331_hotkeys(self):
        """Glances 3.3.1 client survives the hot keys 1 U B F T j h i t u m"""
        return self._v34_hotkeys("3.3.1", 3)

    def test_glances458_hotkeys(self):
        """Glances 4.5.8 client survives the hot keys 1 U B F T j h i t u m"""
        return self._v34_hotkeys("4.5.8", 4)

    def _v34_hotkeys(self, version, api):
        keys = [("1", "per-CPU"), ("U", "network cumulative"), ("B", "disk I/O as IOPS"),
                ("F", "file system free space"), ("T", "network rx+tx"), ("j", "programs/threads view"),
                ("h", "help"), ("i", "sort by I/O"), ("t", "sort by TIME+"), ("u", "sort by user"),
                ("m", "sort by MEM%")]
        srv = self.server("keys-" + version, api=api, fake_sysfs=True)
        c = self.curses_client(version, "g%s-keys" % version.replace(".", ""), srv)
        try:
            self.stats_screen(c, srv, 2)
            for key, what in keys:
                for press in range(2 if key in "1UBFTjh" else 1):
                    before = set(NOW_RE.findall(c.screen()))
                    c.send("-l", key)
                    deadline = time.time() + (1.5 if press == 0 else 0.3)
                    while time.time() < deadline:
                        time.sleep(0.2)
                        text = c.screen()
                        if c.exit_code(text) is not None or "Traceback" in text:
                            break
                        if press == 0 and set(NOW_RE.findall(text)) - before:
                            break
                    try:
                        check_no_errors(c, c.screen())
                    except Fail as e:
                        raise Fail("key %r (%s): %s" % (key, what, e))
            self.stats_screen(c, srv, 2)
            self.quit_cleanly(c, srv)
            return "%d keys: %s" % (len(keys), " ".join(k for k, _ in keys))
        except Fail:
            log(c.dump())
            raise

    def _v34_browser(self, version):
        v3 = self.server("browser-%s-v3" % version, api=3)
        v4 = self.server("browser-%s-v4" % version, api=4)
        conf = os.path.join(self.work, "browser-%s.conf" % version)
        with open(conf, "w") as f:
            f.write("[global]\ncheck_update=false\n\n[serverlist]\n"
                    "server_1_name=127.0.0.1\nserver_1_alias=glanced-v3\nserver_1_port=%d\n"
                    "server_2_name=127.0.0.1\nserver_2_alias=glanced-v4\nserver_2_port=%d\n"
                    % (v3.port, v4.port))
        exe = self.g331 if version == "3.3.1" else self.g458
        c = self.client("g%s-browser" % version.replace(".", ""),
                        [exe, "--browser", "-C", conf, "--disable-check-update", "-t", "1"])
        try:
            def rows(t):
                return {l.lstrip("> ").split()[0]: l for l in t.splitlines() if l.lstrip("> ").strip()}

            def ready(t):
                r = rows(t)
                return EXIT_MARK in t or all(
                    "ONLINE" in r.get(a, "") and len(re.findall(r"\b\d+\.\d+\b", r.get(a, ""))) >= 3
                    for a in ("glanced-v3", "glanced-v4"))
            text = c.wait_for(ready, 40, "glanced-v3 and glanced-v4 ONLINE with LOAD, CPU and MEM values")
            check_no_errors(c, text)
            r = rows(text)
            rc = c.quit()
            if rc != 0:
                raise Fail("browser: exit %s after q" % rc)
            for srv in (v3, v4):
                if not srv.alive():
                    raise Fail("glanced %s died while the browser polled it" % srv.name)
            return " | ".join(" ".join(r[a].lstrip("> ").split()) for a in ("glanced-v3", "glanced-v4"))
        except Fail:
            log(c.dump())
            raise

    def test_glances331_browser(self):
        """Glances 3.3.1 --browser shows glanced (v3 and v4 ports) ONLINE with values"""
        return self._v34_browser("3.3.1")

    def test_glances458_browser(self):
        """Glances 4.5.8 --browser (getPlugin/getPluginView) shows glanced (v3 and v4 ports) ONLINE with values"""
        return self._v34_browser("4.5.8")

    def test_glances331_password(self):
        """Glances 3.3.1 client with --password (sha256 form) against glanced --xmlrpc-api 3"""
        return self._password("3.3.1", self.g331, True, api=3)

    def test_glances331_wrong_password(self):
        """Glances 3.3.1 client with a wrong password: 'Bad username/password', exit 2"""
        return self._password("3.3.1", self.g331, False, api=3)

    def test_glances458_password(self):
        """Glances 4.5.8 client with --password (PBKDF2 form) against glanced --xmlrpc-api 4"""
        return self._password("4.5.8", self.g458, True, api=4)

    def test_glances458_wrong_password(self):
        """Glances 4.5.8 client with a wrong password: 'Error when connecting', exit 2"""
        return self._password("4.5.8", self.g458, False, api=4)

    def test_side_by_side(self):
        """getAll key sets and JSON types equal those of the real 3.3.1 and 4.5.8 servers"""
        out = subprocess.run([sys.executable, os.path.join(HERE, "side_by_side.py"), "--glanced", self.binary,
                              "--glances3", self.g331, "--glances4", self.g458,
                              "--work", os.path.join(self.work, "side-by-side")],
                             capture_output=True, text=True, timeout=180)
        if out.returncode != 0:
            raise Fail("side_by_side.py exit %d:\n%s%s" % (out.returncode, out.stdout, out.stderr))
        return out.stdout.strip().splitlines()[-1]

    def test_glanced_stops_cleanly(self):
        """Every glanced started by these tests answered to the end and exits 0 on SIGTERM"""
        srv = self.server("sigterm")
        proxy(srv.port).getAll()
        rc = srv.stop()
        self.servers.remove(srv)
        if rc != 0:
            raise Fail("glanced exit code after SIGTERM: %r\n%s" % (rc, srv.tail_log()))
        return "exit 0"


def parse_perf(line):
    """'... | cpu=3.2%;80;95;0;100 mem_used=...' -> {label: [value, warn, crit, min, max]}"""
    if "|" not in line:
        raise Fail("no performance data in %r" % line)
    out = {}
    for item in re.findall(r"('[^']*'|[^ =]+)=(\S+)", line.split("|", 1)[1]):
        label = item[0].strip("'")
        fields = item[1].split(";")
        fields[0] = re.sub(r"[^0-9.eE+-]", "", fields[0])
        out[label] = (fields + [""] * 5)[:5]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--glanced", required=True)
    ap.add_argument("--venvs", required=True)
    ap.add_argument("--work", default=None)
    ap.add_argument("-k", dest="only", default=None, help="run the tests whose name contains this")
    ap.add_argument("--glances3", default="/usr/bin/glances", help="Glances 3.3.1 (Debian's package)")
    args = ap.parse_args()
    args.glanced = os.path.abspath(args.glanced)
    args.work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="glanced-interop-"))
    os.makedirs(args.work, exist_ok=True)
    for exe in (os.path.join(args.venvs, "g20", "bin", "glances"),
                os.path.join(args.venvs, "g211", "bin", "glances"),
                os.path.join(args.venvs, "g458", "bin", "glances"), args.glances3, args.glanced):
        if not os.access(exe, os.X_OK):
            log("interop: missing %s" % exe)
            return 2
    if shutil.which("tmux") is None:
        log("interop: tmux is not installed")
        return 2

    suite = Suite(args)
    names = [n for n in dir(Suite) if n.startswith("test_") and (not args.only or args.only in n)]
    order = ["test_glances20_client", "test_glances2111_client", "test_glances20_hotkeys",
             "test_glances2111_hotkeys", "test_glances20_server_restart",
             "test_glances2111_server_restart", "test_glances20_password",
             "test_glances20_wrong_password", "test_glances2111_password",
             "test_glances2111_wrong_password", "test_glances2111_browser", "test_nagios_check",
             "test_shapes_both_clients_accept", "test_glances331_client", "test_glances458_client",
             "test_glances331_hotkeys", "test_glances458_hotkeys", "test_glances331_browser",
             "test_glances458_browser", "test_glances331_password", "test_glances331_wrong_password",
             "test_glances458_password", "test_glances458_wrong_password", "test_side_by_side",
             "test_glanced_stops_cleanly"]
    names.sort(key=lambda n: order.index(n) if n in order else len(order))
    passed, failed = 0, []

    def on_signal(signum, frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for name in names:
            doc = getattr(Suite, name).__doc__.strip()
            t0 = time.time()
            try:
                detail = getattr(suite, name)()
                # every server must have survived the test and stop cleanly
                for srv, rc in suite.cleanup():
                    if rc != 0:
                        raise Fail("glanced %s: exit %r after SIGTERM\n%s" % (srv.name, rc, srv.tail_log()))
                passed += 1
                log("PASS %-34s %5.1fs  %s\n     %s" % (name[5:], time.time() - t0, doc, detail or ""))
            except Exception as e:
                failed.append(name)
                msg = str(e) if isinstance(e, Fail) else traceback.format_exc()
                log("FAIL %-34s %5.1fs  %s\n     %s" % (name[5:], time.time() - t0, doc, msg))
                for srv in suite.servers:
                    log("----- glanced %s log (port %s) -----\n%s" % (srv.name, srv.port, srv.tail_log()))
                suite.cleanup()
    finally:
        suite.close()
    log("")
    if failed:
        log("failed: " + ", ".join(n[5:] for n in failed))
    log("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
