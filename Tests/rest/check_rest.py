#!/usr/bin/env python3
"""REST API tests: glanced's `GET /api/3|4/...` against real Glances servers and real REST clients.

  check_rest.py [--glanced BIN] --venvs DIR [--work DIR] [-k NAME] [--table]

Oracles, started by this script on 127.0.0.1 and free ports, under the same fake /sys/class
(a hwmon chip and two batteries, in a private mount namespace made by `unshare -m`):
  g458  Glances 4.5.8 from PyPI (DIR/g458, made by setup_venvs.sh): `glances -w`, answers /api/4
  g331  Debian 12's /usr/bin/glances 3.3.1 (python3-bottle):   `glances -w`, answers /api/3
and glanced itself (`-t 1`), once without and once with a password (--password-file made by
`glanced hash-password`). The REST clients: glances-api 0.9.0 (Home Assistant's library, run
in DIR/gapi through a subprocess), and Python re-creations of what Homepage, Homarr and Homer read
(see Tests/rest/README.md and shared/docs/GLANCES-REST.md).

Without --glanced only the peers are checked (the oracles: each client check runs against the
real server of its generation) and --table prints what they answer per route.
Prints "N passed, N failed" last; exits 1 when a check failed, 2 on a usage error.
"""
import argparse
import base64
import gzip
import hashlib
import http.client
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
import traceback
import urllib.parse
import zlib

PASSWORD = "rest-Secret-42"
WRONG_PASSWORD = "not-the-password"
START_TIMEOUT = 60.0       # Glances 4.5.8 can take 10 s and more to start on a busy 2-core VM
HTTP_TIMEOUT = 20.0
# Plugins glanced has (or is getting); only plugins both servers list are compared.
GLANCED_PLUGINS = {"cpu", "percpu", "quicklook", "load", "mem", "memswap", "network", "diskio", "fs",
                   "sensors", "processcount", "processlist", "system", "uptime", "now", "core", "alert",
                   "psutilversion", "help", "version", "ports", "containers", "gpu"}
# Glances 3.x adds these to the top process only (extended stats): whichever process that is.
# Glances 4's quicklook keeps the bar list and the per-CPU colour of its own curses/web display in its stats,
# once a view was drawn: display state, not measurements; a glanced REST client never needs them.
PEER_DISPLAY_KEYS = {"list", "percpu_decoration"}
EXTENDED_PROC_KEYS = {"cpu_affinity", "extended_stats", "ionice", "memory_swap", "num_ctx_switches",
                      "num_fds", "tcp", "udp"}
# Plugins the peers must not run: they would look for the internet (public IP, cloud metadata).
PEER_DISABLED = "ip,cloud"
# What the fake sysfs holds (shared/conformance/check_api.py makes the same).
FAKE_TEMP_LABEL, FAKE_TEMP = "Core 0", 45
BATTERIES = {"BAT0": 73, "BAT1": 53}  # mean 63

# Run by `unshare -m --propagation private sh -c SYSFS_SCRIPT sh KEEPDIR CMD...` (root only):
# a tmpfs over /sys/class holding a fake hwmon chip and two batteries; every other class
# (net, block, thermal, ...) is bind-mounted back from the real sysfs, so only hwmon and
# power_supply differ. The mounts live in the server's private mount namespace only.
# (The same script as shared/conformance/check_api.py.)
SYSFS_SCRIPT = r'''
set -e
keep=$1; shift
mount --bind /sys/class "$keep"
mount -t tmpfs -o mode=0755 glanced-rest /sys/class
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
for b in BAT0:73 BAT1:53; do
  d=/sys/class/power_supply/${b%%:*}
  mkdir -p $d
  echo Battery >$d/type
  echo ${b##*:} >$d/capacity
  echo 1 >$d/present
  echo Discharging >$d/status
done
exec "$@"
'''

# Run with DIR/gapi/bin/python: what Home Assistant's glances integration does at setup and at
# every update (homeassistant/components/glances/coordinator.py): get_ha_sensor_data().
GAPI_SCRIPT = r'''
import asyncio, json, sys
import glances_api
from glances_api import Glances, exceptions
a = json.loads(sys.argv[1])
async def main():
    out = {"glances_api": getattr(glances_api, "__version__", None)}
    kw = {}
    if a.get("password") is not None:
        kw = {"username": a.get("username", "glances"), "password": a["password"]}
    g = Glances(host="127.0.0.1", port=a["port"], version=a["version"], **kw)
    try:
        out["data"] = await g.get_ha_sensor_data()
    except exceptions.GlancesApiError as e:
        out["error"] = "%s: %s" % (type(e).__name__, e)
    except Exception as e:
        out["error"] = "%s: %r" % (type(e).__name__, e)
    print(json.dumps(out, default=repr))
asyncio.run(main())
'''


class Fail(Exception):
    pass


def log(msg=""):
    print(msg, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sha256hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------------------------
# HTTP

class Resp:
    def __init__(self, status, headers, raw, body):
        self.status, self.headers, self.raw, self.body = status, headers, raw, body
        self._json, self._json_err = None, None
        try:
            self._json = json.loads(body.decode("utf-8")) if body else None
            if not body:
                self._json_err = "empty body"
        except (ValueError, UnicodeDecodeError) as e:
            self._json_err = "%s: %s" % (type(e).__name__, e)

    def header(self, name):
        return self.headers.get(name.lower())

    @property
    def ok_json(self):
        return self._json_err is None

    def json(self):
        if self._json_err is not None:
            raise Fail("body is not JSON (%s): %r" % (self._json_err, self.body[:120]))
        return self._json

    def short(self):
        return "%d %s" % (self.status, self.body[:100].decode("utf-8", "replace").replace("\n", " "))


def request(port, path, method="GET", headers=None, timeout=HTTP_TIMEOUT, auth=None):
    """One request on a fresh connection; the body is decompressed (gzip/deflate) when encoded."""
    h = {"Host": "127.0.0.1:%d" % port, "Connection": "close"}
    if auth is not None:
        h["Authorization"] = "Basic " + base64.b64encode(("%s:%s" % auth).encode()).decode()
    h.update(headers or {})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, headers=h)
        r = conn.getresponse()
        raw = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()
    enc = hdrs.get("content-encoding", "").lower()
    body = raw
    if enc == "gzip":
        body = gzip.decompress(raw)
    elif enc == "deflate":
        try:
            body = zlib.decompress(raw)
        except zlib.error:
            body = zlib.decompress(raw, -zlib.MAX_WBITS)
    return Resp(r.status, hdrs, raw, body)


def quote(s):
    return urllib.parse.quote(str(s), safe="")


# ----------------------------------------------------------------------------------------------
# Servers

class Server:
    """One server process (glanced or a real Glances) on 127.0.0.1 and a free port."""

    def __init__(self, name, argv_for_port, workdir, probe, sysfs, env=None):
        self.name, self.argv_for_port, self.probe, self.sysfs = name, argv_for_port, probe, sysfs
        self.dir = os.path.join(workdir, "server-" + name)
        os.makedirs(self.dir, exist_ok=True)
        self.log_path = os.path.join(self.dir, "server.log")
        self.env = dict(os.environ, HOME=self.dir, XDG_CONFIG_HOME=os.path.join(self.dir, "config"),
                        LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONWARNINGS="ignore")
        self.env.pop("PYTHONPATH", None)
        self.env.update(env or {})
        self.proc, self.port, self.pids_file = None, None, os.path.join(workdir, "server.pids")
        self.password = None
        self.started_in = None

    def start(self):
        for attempt in range(3):
            self.port = free_port()
            argv = self.argv_for_port(self.port)
            if self.sysfs:
                keep = os.path.join(self.dir, "sysclass")
                os.makedirs(keep, exist_ok=True)
                argv = ["unshare", "-m", "--propagation", "private", "sh", "-c", SYSFS_SCRIPT, "sh",
                        keep] + argv
            with open(self.log_path, "a") as logf:
                logf.write("$ %s\n" % " ".join(argv[-12:]))
                logf.flush()
                # Its own process group, so stop() reaches the server behind unshare/sh too.
                self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                                             env=self.env, cwd=self.dir, start_new_session=True)
            with open(self.pids_file, "a") as f:
                f.write("%d\n" % self.proc.pid)   # .ci/rest's last resort if this script is killed
            t0 = time.monotonic()
            last = "no answer"
            while time.monotonic() - t0 < START_TIMEOUT:
                if self.proc.poll() is not None:
                    break
                try:
                    if self.probe(self):
                        self.started_in = time.monotonic() - t0
                        return self
                    last = "probe not satisfied"
                except (OSError, http.client.HTTPException) as e:
                    last = "%s: %s" % (type(e).__name__, e)
                time.sleep(0.3)
            if self.proc.poll() is None:
                self.stop()
                raise Fail("%s: no answer within %.0f s (last: %s); log:\n%s"
                           % (self.name, START_TIMEOUT, last, self.tail_log()))
            if "in use" not in self.tail_log().lower():
                raise Fail("%s exited with %s at start; log:\n%s"
                           % (self.name, self.proc.returncode, self.tail_log()))
        raise Fail("%s: no free port after 3 tries" % self.name)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(5)
        # whatever is left in its group (Glances' threads are in-process, but be sure)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        return self.proc.returncode

    def tail_log(self, n=30):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return "(no log)"

    def get(self, path, **kw):
        if self.password is not None and "auth" not in kw:
            kw["auth"] = ("glances", self.password)
        return request(self.port, path, **kw)


def probe_sysfs(workdir):
    """True when the fake sysfs can be made here (root, unshare -m); else the reason."""
    if os.geteuid() != 0:
        return "not root"
    if not shutil.which("unshare"):
        return "unshare not found"
    keep = os.path.join(workdir, "sysclass-probe")
    os.makedirs(keep, exist_ok=True)
    try:
        r = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", SYSFS_SCRIPT, "sh",
                            keep, "cat", "/sys/class/hwmon/hwmon0/temp1_input",
                            "/sys/class/power_supply/BAT1/capacity"],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=15)
    except (OSError, subprocess.TimeoutExpired) as e:
        return "unshare failed: %s" % e
    if r.returncode != 0 or r.stdout.split() != [b"45000", b"53"]:
        return "unshare -m / mount tmpfs failed (rc %d): %s" % (r.returncode, r.stderr.decode()[-200:])
    return True


def glances_ready(gen):
    """A real Glances is ready when /api/N/all answers 200 with cpu and network filled in."""
    def probe(srv):
        r = request(srv.port, "/api/%d/all" % gen, timeout=10)
        if r.status != 200 or not r.ok_json:
            return False
        d = r.json()
        return isinstance(d, dict) and bool(d.get("cpu")) and bool(d.get("network"))
    return probe


def glanced_ready(srv):
    """glanced is ready when it answers HTTP at all (its REST routes may not exist yet)."""
    r = request(srv.port, "/api/4/status", timeout=5, auth=("glances", srv.password) if srv.password else None)
    return r.status > 0


# ----------------------------------------------------------------------------------------------
# Shapes

def tname(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "str"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "dict"
    return type(v).__name__


def tclass(v):
    t = tname(v)
    return "number" if t in ("int", "float") else t


def field_types(value):
    """{field: set of type names} over a dict, or over every dict entry of a list."""
    out = {}
    entries = [value] if isinstance(value, dict) else [e for e in value if isinstance(e, dict)] \
        if isinstance(value, list) else []
    for e in entries:
        for k, v in e.items():
            out.setdefault(k, set()).add(tname(v))
    return out


def compare_fields(where, peer_obs, ours, problems, notes):
    """peer_obs: list of peer values (samples) of one plugin; ours: glanced's value.
    Key sets must be equal; types equal as classes (int/float = number), and int vs float only
    where every peer sample agrees; null against a value is a note."""
    if not peer_obs:
        return
    pc = {tclass(v) for v in peer_obs}
    oc = tclass(ours)
    if len(pc) == 1 and oc not in pc and not (oc == "null" or pc == {"null"}):
        problems.append("%s: type %s, Glances %s" % (where, oc, "/".join(sorted(pc))))
        return
    if oc == "null" and pc != {"null"}:
        notes.append("%s: null, Glances %s" % (where, "/".join(sorted(pc))))
        return
    if pc == {"null"} and oc != "null":
        notes.append("%s: %s, Glances null" % (where, oc))
        return
    if oc not in ("dict", "list"):
        return
    peer_types = {}
    peer_entries = 0
    for v in peer_obs:
        if isinstance(v, (dict, list)):
            for k, ts in field_types(v).items():
                peer_types.setdefault(k, set()).update(ts)
            peer_entries += len(v) if isinstance(v, list) else 1
    if oc == "list":
        plists = [e for v in peer_obs if isinstance(v, list) for e in v if isinstance(e, list)]
        olists = [e for e in ours if isinstance(e, list)]
        if plists and olists:
            plen, olen = {len(e) for e in plists}, {len(e) for e in olists}
            if olen != plen:
                problems.append("%s: entries of %s items, Glances %s" % (where, sorted(olen), sorted(plen)))
            else:
                for i in range(min(plen)):
                    pc_i = {tclass(e[i]) for e in plists} - {"null"}
                    oc_i = {tclass(e[i]) for e in olists} - {"null"}
                    if pc_i and oc_i and not oc_i <= pc_i:
                        problems.append("%s[][%d]: %s, Glances %s" % (where, i, sorted(oc_i), sorted(pc_i)))
            return
        if plists and ours and not olists:
            problems.append("%s: entries are %s, Glances lists" % (where, tname(ours[0])))
            return
    our_types = field_types(ours)
    if oc == "list" and (not ours or not peer_entries):
        if peer_entries and not ours:
            notes.append("%s: empty list, Glances has %d entries" % (where, peer_entries))
        elif ours and not peer_entries:
            notes.append("%s: %d entries, Glances an empty list" % (where, len(ours)))
        return
    extra = sorted(set(our_types) - set(peer_types))
    if oc == "list":
        # Entries may differ by kind (a battery has 'status', a temperature not) and top/<n> gives a
        # subset: keys every Glances entry has must be in every entry here, and an entry that
        # Glances has too (same key value) must have that entry's keys.
        pents = [e for v in peer_obs if isinstance(v, list) for e in v if isinstance(e, dict)]
        common_keys = set.intersection(*(set(e) for e in pents)) if pents else set()
        missing = set()
        by_id = {}
        for e in pents:
            if e.get("key") in e:
                by_id[(e["key"], str(e[e["key"]]))] = set(e)
        for e in ours:
            if not isinstance(e, dict):
                continue
            missing |= common_keys - set(e)
            if e.get("key") in e and (e["key"], str(e[e["key"]])) in by_id:
                missing |= by_id[(e["key"], str(e[e["key"]]))] - set(e) - EXTENDED_PROC_KEYS
        missing = sorted(missing)
    else:
        missing = sorted(set(peer_types) - set(our_types))
    # Keys a peer's own display code writes into its stats now and then (not data it measured).
    peer_only = sorted(set(missing) & PEER_DISPLAY_KEYS)
    if peer_only:
        notes.append("%s: %s only in Glances (its display state)" % (where, peer_only))
        missing = [k for k in missing if k not in PEER_DISPLAY_KEYS]
    if missing:
        problems.append("%s: missing keys %s" % (where, missing))
    if extra:
        problems.append("%s: keys Glances does not have %s" % (where, extra))
    for k in sorted(set(peer_types) & set(our_types)):
        pt, ot = peer_types[k], our_types[k]
        pcl = {"number" if t in ("int", "float") else t for t in pt} - {"null"}
        ocl = {"number" if t in ("int", "float") else t for t in ot} - {"null"}
        if pcl and ocl and not (ocl <= pcl):
            problems.append("%s.%s: %s, Glances %s" % (where, k, "/".join(sorted(ot)), "/".join(sorted(pt))))
        elif pt in ({"int"}, {"float"}) and ot - {"null"} and ot - {"null"} != pt:
            problems.append("%s.%s: %s, Glances always %s" % (where, k, "/".join(sorted(ot)),
                                                                 next(iter(pt))))
        if "null" in ot and "null" not in pt:
            notes.append("%s.%s: null here, never null in Glances" % (where, k))
        elif "null" in pt and "null" not in ot and len(pt) > 1:
            pass   # Glances sometimes null (unknown); a value here is fine


def keyed_by_data(value):
    """views and history of list plugins are keyed by the entries' key values (interface names,
    pids...): collapse those into one '*' key whose value merges the inner dicts."""
    if not isinstance(value, dict):
        return value
    merged = {}
    for v in value.values():
        if isinstance(v, dict):
            merged.update(v)
    return {"*": merged} if merged or value else {}


# ----------------------------------------------------------------------------------------------
# Tests

class Skip(Exception):
    pass


class Suite:
    def __init__(self, args):
        self.args = args
        self.work = args.work
        self.venvs = args.venvs
        self.servers = {}
        self.results = []   # (name, ok, detail)
        self.sysfs = probe_sysfs(self.work)
        if self.sysfs is not True:
            log("# fake sysfs not available (%s): sensor checks are skipped" % self.sysfs)
        self.peer_samples = {}

    # --- servers -------------------------------------------------------------------------------
    def server(self, name):
        if name in self.servers:
            srv = self.servers[name]
            if not srv.alive():
                raise Fail("%s is not running any more; log:\n%s" % (name, srv.tail_log()))
            return srv
        sysfs = self.sysfs is True
        if name == "g458":
            exe = os.path.join(self.venvs, "g458", "bin", "glances")
            if not os.path.exists(exe):
                raise Fail("no %s (run setup_venvs.sh)" % exe)
            conf = os.path.join(self.work, "empty-glances.conf")
            open(conf, "w").close()
            srv = Server(name, lambda p: [exe, "-w", "--disable-webui", "-B", "127.0.0.1", "-p", str(p),
                                          "-C", conf, "-t", "1", "--disable-check-update",
                                          "--disable-autodiscover", "--disable-plugin", PEER_DISABLED],
                         self.work, glances_ready(4), sysfs)
        elif name == "g331":
            exe = "/usr/bin/glances"
            if not os.path.exists(exe):
                raise Fail("no %s (apt-get install glances python3-bottle)" % exe)
            conf = os.path.join(self.work, "empty-glances.conf")
            open(conf, "w").close()
            srv = Server(name, lambda p: [exe, "-w", "--disable-webui", "-B", "127.0.0.1", "-p", str(p),
                                          "-C", conf, "-t", "1", "--disable-check-update",
                                          "--disable-plugin", PEER_DISABLED],
                         self.work, glances_ready(3), sysfs)
        elif name in ("glanced", "glanced-pw"):
            if not self.args.glanced:
                raise Skip("no --glanced")
            binary = self.args.glanced
            # The same empty configuration as the peers: not the machine's /etc/glances/glances.conf.
            conf = os.path.join(self.work, "empty-glanced.conf")
            open(conf, "w").close()
            extra = ["-C", conf]
            srv = Server(name, lambda p: [binary, "-B", "127.0.0.1", "-p", str(p), "-t", "1"] + extra,
                         self.work, glanced_ready, sysfs)
            if name == "glanced-pw":
                out = subprocess.run([binary, "hash-password"], input=PASSWORD + "\n",
                                     capture_output=True, text=True, timeout=20)
                stored = out.stdout.strip()
                if out.returncode != 0 or "$" not in stored:
                    raise Fail("glanced hash-password failed (%d): %r %r"
                               % (out.returncode, out.stdout, out.stderr))
                pwd = os.path.join(srv.dir, "glanced.pwd")
                with open(pwd, "w") as f:
                    f.write(stored + "\n")
                extra += ["--password-file", pwd]
                srv.password = PASSWORD
        else:
            raise ValueError(name)
        self.servers[name] = srv
        log("# starting %s%s" % (name, " (fake sysfs)" if sysfs else ""))
        srv.start()
        log("# %s answers on port %d after %.1f s" % (name, srv.port, srv.started_in))
        if name.startswith("g") and name[1:].isdigit():
            time.sleep(1.5)   # a second sample, so rates and time_since_update are real
        return srv

    def stop_all(self):
        for name, srv in self.servers.items():
            rc = srv.stop()
            log("# stopped %s (exit %s)" % (name, rc))

    # --- results -------------------------------------------------------------------------------
    def check(self, name, fn, *a):
        if self.args.k and not any(k in name for k in self.args.k):
            return
        t0 = time.monotonic()
        try:
            detail = fn(*a)
            self.results.append((name, True, None))
            log("PASS %s (%.1fs)%s" % (name, time.monotonic() - t0, (" — " + detail) if detail else ""))
        except Skip as e:
            log("SKIP %s — %s" % (name, e))
        except Fail as e:
            self.results.append((name, False, str(e)))
            log("FAIL %s — %s" % (name, str(e).replace("\n", "\n    ")))
        except Exception:
            self.results.append((name, False, traceback.format_exc()))
            log("FAIL %s — exception:\n%s" % (name, traceback.format_exc()))

    # --- peer data -----------------------------------------------------------------------------
    def peer(self, gen):
        return self.server("g458" if gen == 4 else "g331")

    def routes(self, gen):
        """The route list, filled in from the peer's answers: [(route name, path, kind, plugin)]."""
        peer = self.peer(gen)
        base = "/api/%d" % gen
        plugins = peer.get(base + "/pluginslist").json()
        allv = peer.get(base + "/all").json()
        ours = None
        if self.args.glanced:
            try:
                r = self.server("glanced").get(base + "/pluginslist")
                if r.status == 200 and r.ok_json and isinstance(r.json(), list):
                    ours = set(r.json())
            except (OSError, http.client.HTTPException):
                pass
        common = sorted(set(plugins) & (ours if ours is not None else GLANCED_PLUGINS))
        hist = {}
        out = [("status", base + "/status", "status", None),
               ("pluginslist", base + "/pluginslist", "pluginslist", None),
               ("all", base + "/all", "all", None),
               ("all/limits", base + "/all/limits", "all-limits", None),
               ("all/views", base + "/all/views", "all-views", None),
               ("args", base + "/args", "args", None),
               ("config", base + "/config", "config", None)]
        for p in common:
            v = allv.get(p)
            pb = "%s/%s" % (base, p)
            out += [(p, pb, "plugin", p), (p + "/limits", pb + "/limits", "limits", p),
                    (p + "/views", pb + "/views", "views", p),
                    (p + "/history", pb + "/history", "history", p),
                    (p + "/history/3", pb + "/history/3", "history", p)]
            if gen == 4:
                out.append((p + "/top/2", pb + "/top/2", "plugin", p))
            item = value = None
            if isinstance(v, dict) and v:
                pref = {"cpu": "total", "load": "min1", "mem": "total", "memswap": "total",
                        "processcount": "total", "quicklook": "cpu", "system": "hostname", "core": "phys",
                        "now": "iso"}
                item = pref.get(p) if pref.get(p) in v else sorted(v)[0]
            elif isinstance(v, list) and v and isinstance(v[0], dict):
                item = v[0].get("key") or ("type" if "type" in v[0] else sorted(v[0])[0])
                want = {"network": "lo", "fs": "/", "processlist": 1, "percpu": 0,
                        "sensors": FAKE_TEMP_LABEL}.get(p)
                vals = [e.get(item) for e in v]
                value = (want if want in vals else vals[0]) if v[0].get("key") else None
            if item is not None:
                out.append(("%s/<item>" % p, "%s/%s" % (pb, quote(item)), "item", p))
                if value is not None:
                    if gen == 3:
                        out.append(("%s/<item>/<value>" % p, "%s/%s/%s" % (pb, quote(item), quote(value)),
                                    "value", p))
                    else:
                        out.append(("%s/<item>/value/<value>" % p,
                                    "%s/%s/value/%s" % (pb, quote(item), quote(value)), "value", p))
                out.append(("%s/<unknown item>" % p, "%s/no_such_item_42" % pb, "unknown-item", p))
            # <item>/history with an item the peer keeps history for
            hr = peer.get(pb + "/history")
            if hr.status == 200 and hr.ok_json and isinstance(hr.json(), dict) and hr.json():
                hist[p] = sorted(k for k in hr.json() if "/" not in k)
                hitem = hist[p][0] if hist[p] else None
                if hitem is not None:
                    out.append(("%s/<item>/history" % p, "%s/%s/history" % (pb, quote(hitem)), "item-history", p))
        # unknown plugin: 400 on every plugin route; unknown routes: 404
        bad = base + "/no_such_plugin"
        for suffix in ["", "/limits", "/views", "/history", "/history/3", "/total", "/total/history"] + \
                (["/top/2", "/total/value/1"] if gen == 4 else ["/total/1"]):
            out.append(("<unknown plugin>" + suffix, bad + suffix, "unknown-plugin", None))
        for path in [base + "/cpu/total/1/2/3", "/api/9/all", "/no_such_route"]:
            out.append(("<unknown route> " + path, path, "unknown-route", None))
        return out, common, allv

    # --- the table of what the peers answer ----------------------------------------------------
    def table(self):
        for gen in (4, 3):
            peer = self.peer(gen)
            routes, common, allv = self.routes(gen)
            log("\n## %s (/api/%d), %d routes; plugins compared: %s"
                % (peer.name, gen, len(routes), " ".join(common)))
            for name, path, kind, plugin in routes:
                r = peer.get(path)
                body = r._json if r.ok_json else None
                shape = tname(body) if r.ok_json else ("empty" if not r.body else "non-JSON")
                keys = ""
                if isinstance(body, dict) and kind not in ("all", "all-limits", "all-views", "config", "args"):
                    keys = " ".join(sorted(body))
                elif isinstance(body, list) and body and isinstance(body[0], dict):
                    keys = "[%d] %s" % (len(body), " ".join(sorted(field_types(body))))
                elif isinstance(body, dict):
                    keys = "%d keys" % len(body)
                if len(keys) > 160:
                    keys = keys[:157] + "..."
                log("%-34s %3d %-9s %-30s %s" % (name, r.status, shape,
                                                 (r.header("content-type") or "-")[:30], keys))
            log("\n## %s /api/%d/all: per plugin (all plugins it lists)" % (peer.name, gen))
            for p in sorted(allv):
                v = allv[p]
                ft = field_types(v)
                log("  %-14s %-5s %s" % (p, tname(v), " ".join("%s:%s" % (k, "/".join(sorted(t)))
                                                               for k, t in sorted(ft.items()))))

    # --- route-by-route comparison -------------------------------------------------------------
    def compare_generation(self, gen):
        peer = self.peer(gen)
        ours = self.server("glanced")
        routes, common, allv = self.routes(gen)
        samples = {p: [allv[p]] for p in common}
        for p in common:   # a second sample of each plugin, for the int/float consistency rule
            r = peer.get("/api/%d/%s" % (gen, p))
            if r.status == 200 and r.ok_json:
                samples[p].append(r.json())
        for name, path, kind, plugin in routes:
            self.check("v%d %s" % (gen, name), self.compare_route, gen, peer, ours, path, kind, plugin,
                       common, samples)

    def compare_route(self, gen, peer, ours, path, kind, plugin, common, samples):
        pr = peer.get(path)
        orr = ours.get(path)
        problems, notes = [], []
        exception = None
        if kind == "unknown-plugin" and orr.status != 400:
            raise Fail("GET %s: %d, want 400 (unknown plugin; Glances %s: %d)"
                       % (path, orr.status, peer.name, pr.status))
        if kind == "unknown-route" and orr.status != 404:
            raise Fail("GET %s: %d, want 404 (unknown route; Glances %s: %d)"
                       % (path, orr.status, peer.name, pr.status))
        if kind == "value" and pr.status == 404 and "%2F" in path.rsplit("/", 1)[-1]:
            if orr.status != 200:
                raise Fail("GET %s: %s; want 200 {value: [entries]} (Glances 3.3.1 cannot route a value "
                           "holding '/' and answers 404; 3.4 and 4.x can)" % (path, orr.short()))
            ov = orr.json()
            want = urllib.parse.unquote(path.rsplit("/", 1)[-1])
            if not isinstance(ov, dict) or not isinstance(ov.get(want), list) or not ov[want]:
                raise Fail("GET %s: %r, want {%r: [entries]}" % (path, str(ov)[:120], want))
            problems = []
            compare_fields(plugin, samples.get(plugin, []), ov[want], problems, notes)
            if problems:
                raise Fail("GET %s:\n%s" % (path, "\n".join(problems)))
            return "Glances %s answers 404 here (cannot route '/')" % peer.name
        if pr.status != orr.status:
            if pr.status == 200 and pr.ok_json and pr.json() is None and orr.status == 404:
                exception = "Glances %s answers 200 null here, glanced 404 (allowed)" % peer.name
            elif kind == "value" and pr.status == 404 and "%2F" in path.rsplit("/", 1)[-1]:
                exception = ("Glances %s cannot route a value holding '/' (%d; glanced %d, allowed)"
                             % (peer.name, pr.status, orr.status))
            elif kind in ("unknown-plugin", "unknown-route"):
                exception = "Glances %s answers %d here (glanced right)" % (peer.name, pr.status)
            else:
                raise Fail("GET %s: %s; Glances %s: %d" % (path, orr.short(), peer.name, pr.status))
        if orr.status != 200 or exception:
            return exception
        # 200 on both
        if kind == "status" and gen == 3:
            # 3.3.1: 200 with an empty body (text/html); glanced may send anything (JSON preferred)
            return "Glances 3.3.1: empty body; glanced: %r" % orr.body[:40]
        if not orr.ok_json:
            raise Fail("GET %s: body is not JSON (%s): %r" % (path, orr._json_err, orr.body[:120]))
        ct = orr.header("content-type") or ""
        if not ct.startswith("application/json"):
            problems.append("Content-Type %r, want application/json" % ct)
        pv, ov = pr.json(), orr.json()
        if kind == "all":
            if not isinstance(ov, dict):
                raise Fail("GET %s: %s, want an object" % (path, tname(ov)))
            for p in common:
                if p not in ov:
                    problems.append("%s: missing (Glances has it)" % p)
                else:
                    compare_fields(p, samples.get(p, [pv.get(p)]), ov[p], problems, notes)
        elif kind in ("all-limits", "all-views"):
            if not isinstance(ov, dict):
                raise Fail("GET %s: %s, want an object" % (path, tname(ov)))
            for p in common:
                if p not in pv:
                    continue
                if p not in ov:
                    problems.append("%s: missing (Glances has it)" % p)
                    continue
                a, b = pv[p], ov[p]
                if kind == "all-views" and isinstance(allv_list_hint(samples.get(p)), list):
                    a, b = keyed_by_data(a), keyed_by_data(b)
                compare_fields(p, [a], b, problems, notes)
        elif kind == "pluginslist":
            if not isinstance(ov, list) or not all(isinstance(x, str) for x in ov):
                raise Fail("GET %s: want a list of strings, got %r" % (path, ov))
            gone = sorted(set(common) - set(ov))
            if gone:
                problems.append("does not list %s" % gone)
            old = sorted({"hddtemp", "batpercent", "monitor"} & set(ov))
            if old:
                problems.append("lists v2-only plugins %s" % old)
        elif kind in ("args", "config"):
            if tclass(ov) != tclass(pv):
                problems.append("%s, Glances %s" % (tname(ov), tname(pv)))
            elif isinstance(pv, dict):
                missing = sorted(set(pv) - set(ov))
                if missing:
                    notes.append("%d of Glances' keys absent (informational): %s%s"
                                 % (len(missing), " ".join(missing[:12]), " ..." if len(missing) > 12 else ""))
        elif kind in ("views", "history") and isinstance(allv_list_hint(samples.get(plugin)), list):
            compare_fields(plugin + " (by entry)", [keyed_by_data(pv)], keyed_by_data(ov), problems, notes) \
                if kind == "views" else compare_history(plugin, pv, ov, problems, notes, by_entry=True)
        elif kind == "item-history" and isinstance(pv, list):
            if not isinstance(ov, list):
                problems.append("%s, want a list of [ISO time, value] (Glances 4: a bare list)" % tname(ov))
            else:
                compare_history(plugin, {"item": pv}, {"item": ov}, problems, notes, by_entry=False)
        elif kind == "history" or kind == "item-history":
            compare_history(plugin, pv, ov, problems, notes, by_entry=False)
        elif kind == "plugin" and plugin in samples:
            compare_fields(plugin, samples[plugin] + [pv], ov, problems, notes)
        else:
            compare_fields(kind, [pv], ov, problems, notes)
        if problems:
            raise Fail("GET %s:\n%s%s" % (path, "\n".join(problems),
                                          ("\nnotes: " + "; ".join(notes)) if notes else ""))
        return "; ".join(notes) if notes else None

    # --- transport ------------------------------------------------------------------------------
    def check_transport(self, name, gen):
        srv = self.server(name)
        base = "/api/%d" % gen
        problems = []
        for path in [base + "/all", base + "/pluginslist", base + "/cpu", base + "/all/limits",
                     base + "/all/views", base + "/fs", base + "/processlist"]:
            r = srv.get(path)
            if r.status != 200:
                problems.append("GET %s: %s" % (path, r.short()))
                continue
            if not r.ok_json:
                problems.append("GET %s: not JSON (%s)" % (path, r._json_err))
            ct = r.header("content-type") or ""
            if not ct.startswith("application/json"):
                problems.append("GET %s: Content-Type %r" % (path, ct))
        if problems:
            raise Fail("\n".join(problems))

    def check_gzip(self, name, gen):
        srv = self.server(name)
        path = "/api/%d/all" % gen
        r = srv.get(path, headers={"Accept-Encoding": "gzip"})
        if r.status != 200:
            raise Fail("GET %s: %s" % (path, r.short()))
        if len(r.body) < 1024:
            raise Fail("GET %s: only %d bytes" % (path, len(r.body)))
        enc = (r.header("content-encoding") or "").lower()
        if enc != "gzip":
            raise Fail("GET %s with Accept-Encoding: gzip: Content-Encoding %r (%d bytes)"
                       % (path, enc, len(r.raw)))
        r.json()
        plain = srv.get(path)
        if (plain.header("content-encoding") or "identity").lower() not in ("identity", ""):
            raise Fail("GET %s without Accept-Encoding: Content-Encoding %r"
                       % (path, plain.header("content-encoding")))
        plain.json()
        return "%d bytes gzipped to %d" % (len(r.body), len(r.raw))

    def check_auth(self, gen):
        srv = self.server("glanced-pw")
        path = "/api/%d/all" % gen
        problems = []
        r = srv.get(path, auth=None)
        if r.status != 401:
            problems.append("no credentials: %s, want 401" % r.short())
        elif "basic" not in (r.header("www-authenticate") or "").lower():
            problems.append("401 without WWW-Authenticate: Basic (%r)" % r.header("www-authenticate"))
        for who, auth in [("wrong password", ("glances", WRONG_PASSWORD)),
                          ("wrong user", ("someone", PASSWORD)),
                          ("sha256 of a wrong password", ("glances", sha256hex(WRONG_PASSWORD))),
                          ("Homepage's undefined:undefined", ("undefined", "undefined"))]:
            r = srv.get(path, auth=auth)
            if r.status != 401:
                problems.append("%s: %s, want 401" % (who, r.short()))
        # The same auth on every route: REST clients send the plain password, Glances' XML-RPC clients its
        # sha256 form; both are accepted against the stored form.
        for who, auth in [("the right plain password", ("glances", PASSWORD)),
                          ("the right password's sha256 (XML-RPC form)", ("glances", sha256hex(PASSWORD)))]:
            r = srv.get(path, auth=auth)
            if r.status != 200:
                problems.append("%s: %s, want 200" % (who, r.short()))
            else:
                r.json()
        if problems:
            raise Fail("\n".join(problems))

    def check_authorization_ignored(self, name, gen):
        srv = self.server(name)
        path = "/api/%d/all" % gen
        problems = []
        for label, h in [("Basic undefined:undefined", "Basic " + base64.b64encode(b"undefined:undefined").decode()),
                         ("Basic glances:x", "Basic " + base64.b64encode(b"glances:x").decode()),
                         ("Bearer junk", "Bearer junk"), ("garbage", "garbage")]:
            r = srv.get(path, headers={"Authorization": h})
            if r.status != 200:
                problems.append("Authorization: %s → %s, want 200 (no password set)" % (label, r.short()))
        if problems:
            raise Fail("\n".join(problems))

    # --- Home Assistant: glances-api 0.9.0 ------------------------------------------------------
    def run_gapi(self, srv, gen, password=None):
        py = os.path.join(self.venvs, "gapi", "bin", "python")
        if not os.path.exists(py):
            raise Fail("no %s (run setup_venvs.sh)" % py)
        a = {"port": srv.port, "version": gen}
        if password is not None:
            a.update(password=password, username="glances")
        out = subprocess.run([py, "-c", GAPI_SCRIPT, json.dumps(a)], capture_output=True, text=True,
                             timeout=60, env=dict(os.environ, NO_PROXY="*", no_proxy="*"))
        if out.returncode != 0:
            raise Fail("glances-api script exit %d: %s" % (out.returncode, out.stderr[-800:]))
        return json.loads(out.stdout.strip().splitlines()[-1])

    def check_gapi(self, name, gen, password=None):
        srv = self.server(name)
        out = self.run_gapi(srv, gen, password)
        if "error" in out:
            raise Fail("get_ha_sensor_data() (version=%d%s): %s"
                       % (gen, ", with password" if password else "", out["error"]))
        data = out["data"]
        self.gapi_seen.setdefault((srv.name, gen), data)
        check_ha_values(data, gen, self.sysfs is True, srv.name)
        return "keys %s" % " ".join(sorted(data))

    def check_gapi_wrong_password(self, gen):
        srv = self.server("glanced-pw")
        out = self.run_gapi(srv, gen, WRONG_PASSWORD)
        if "GlancesApiAuthorizationError" not in out.get("error", ""):
            raise Fail("wrong password: %r, want GlancesApiAuthorizationError (HA: reauth)" % out)
        out = self.run_gapi(srv, gen, None)
        if "GlancesApiAuthorizationError" not in out.get("error", ""):
            raise Fail("no password: %r, want GlancesApiAuthorizationError" % out)

    # --- Homepage (v3 by default; v4 too) -------------------------------------------------------
    def check_homepage(self, name, gen):
        srv = self.server(name)
        base = "/api/%d" % gen
        hdr = {}
        if srv.password is None:   # the service widget always sends one
            hdr = {"Authorization": "Basic " + base64.b64encode(b"undefined:undefined").decode()}
        problems = []

        def get(p):
            r = srv.get(base + "/" + p, headers=hdr)
            if r.status != 200:
                raise Fail("GET %s/%s: %s (Homepage treats any non-200 as an error)" % (base, p, r.short()))
            return r.json()

        def need(obj, keys, where, types=("number",)):
            for k in keys:
                if not isinstance(obj, dict) or k not in obj:
                    problems.append("%s: no %r" % (where, k))
                elif tclass(obj[k]) not in types:
                    problems.append("%s.%s: %s, want %s" % (where, k, tname(obj[k]), "/".join(types)))

        # Info widget
        need(get("cpu"), ["total"], "cpu")
        need(get("load"), ["min15"], "load")
        need(get("mem"), ["available", "total", "percent", "used"], "mem")
        up = get("uptime")
        if not isinstance(up, str):
            problems.append("uptime: %s, want a string" % tname(up))
        sensors = get("sensors")
        if not isinstance(sensors, list):
            problems.append("sensors: %s, want a list" % tname(sensors))
        else:
            for s in sensors:
                need(s, ["label", "type", "unit"], "sensors[]", ("str",))
                need(s, ["value"], "sensors[]")
                for k in ("warning", "critical"):
                    if s.get("type") == "temperature_core" and k not in s:
                        problems.append("sensors[%r]: no %r" % (s.get("label"), k))
            if self.sysfs is True:
                cores = [s for s in sensors if s.get("type") == "temperature_core"
                         and str(s.get("label", "")).startswith("Core")]
                if not cores:
                    problems.append("sensors: no temperature_core entry labelled Core* (fake sysfs)")
        fs = get("fs")
        for e in fs if isinstance(fs, list) else []:
            need(e, ["mnt_point", "device_name"], "fs[]", ("str",))
            need(e, ["free", "size", "percent", "used"], "fs[]")
        # Service widget
        q = get("quicklook")
        need(q, ["cpu", "mem", "swap"], "quicklook")
        need(q, ["cpu_name"], "quicklook", ("str",))
        if not isinstance(q.get("percpu"), list) or not q.get("percpu"):
            problems.append("quicklook.percpu: %r, want a non-empty list" % (q.get("percpu"),))
        else:
            for c in q["percpu"]:
                need(c, ["total"], "quicklook.percpu[]")
        need(get("system"), ["linux_distro", "os_version", "hostname"], "system", ("str",))
        procs = get("processlist")
        if not isinstance(procs, list) or len(procs) < 5:
            problems.append("processlist: want a list of ≥ 5 processes")
        else:
            top = procs[:5]
            for pr in top:
                need(pr, ["pid", "cpu_percent"], "processlist[]")
                need(pr, ["status", "name"], "processlist[]", ("str",))
                mi = pr.get("memory_info")
                if gen == 3 and not (isinstance(mi, list) and mi and tclass(mi[0]) == "number"):
                    problems.append("processlist[].memory_info: %r, want a list (v3: [0] = rss)" % (mi,))
                if gen == 4 and not (isinstance(mi, dict) and tclass(mi.get("rss")) == "number"):
                    problems.append("processlist[].memory_info: %r, want an object with rss" % (mi,))
            cpus = [p.get("cpu_percent") or 0 for p in procs]
            if any(cpus[i] < cpus[i + 1] for i in range(len(cpus) - 1)):
                problems.append("processlist not sorted by cpu_percent (descending): %s" % cpus[:10])
        net = get("network")
        lo = [e for e in net if isinstance(e, dict) and e.get("key") and e.get(e["key"]) == "lo"] \
            if isinstance(net, list) else []
        if not lo:
            problems.append("network: no entry with item[item.key] == 'lo'")
        else:
            need(lo[0], ["time_since_update"] + (["rx", "tx"] if gen == 3 else ["bytes_recv", "bytes_sent"]),
                 "network[lo]")
        disks = get("diskio")
        for d in disks if isinstance(disks, list) else []:
            if not d.get("key") or d.get(d["key"]) is None:
                problems.append("diskio[]: no key / item[item.key]")
            need(d, ["read_bytes", "write_bytes", "time_since_update"], "diskio[]")
        root = [e for e in fs if isinstance(e, dict) and e.get("key") and e.get(e["key"]) == "/"] \
            if isinstance(fs, list) else []
        if not root:
            problems.append("fs: no entry with item[item.key] == '/'")
        cont = get("containers") if gen == 4 or "containers" in get("pluginslist") else []
        if gen == 4 and not isinstance(cont, list):
            problems.append("containers: %s, want a list" % tname(cont))
        if problems:
            raise Fail("\n".join(problems))

    # --- Homarr (v4 only) -----------------------------------------------------------------------
    def check_homarr(self, name):
        srv = self.server(name)
        problems = []
        r = srv.get("/api/4/status")
        if r.status != 200:
            problems.append("status: %s" % r.short())
        r = srv.get("/api/4/version")
        if r.status != 200:
            problems.append("version: %s (Homarr needs 200)" % r.short())
        elif not isinstance(r.json(), str):
            problems.append("version: %r, want a string" % r.json())
        r = srv.get("/api/4/all")
        if r.status != 200:
            raise Fail("all: %s" % r.short())
        problems += homarr_zod(r.json())
        for opt in ("sensors", "smart"):
            r = srv.get("/api/4/" + opt)
            if r.status not in (200, 400):
                problems.append("%s: %d, want 200 or 400 (Homarr tolerates 400)" % (opt, r.status))
            elif r.status == 200 and not r.ok_json:
                problems.append("%s: not JSON" % opt)
        if problems:
            raise Fail("\n".join(problems))

    # --- Homer (v4, in a browser: CORS) ---------------------------------------------------------
    def check_homer(self, name):
        srv = self.server(name)
        origin = "http://homer.example:8080"
        problems = []
        h = {"Origin": origin, "Access-Control-Request-Method": "GET"}
        r = request(srv.port, "/api/4/quicklook", method="OPTIONS", headers=h)
        acao = r.header("access-control-allow-origin")
        if r.status not in (200, 204):
            problems.append("preflight OPTIONS /api/4/quicklook: %d, want 200 or 204" % r.status)
        if acao not in ("*", origin):
            problems.append("preflight: Access-Control-Allow-Origin %r" % acao)
        meth = r.header("access-control-allow-methods") or ""
        if "GET" not in meth and "*" not in meth:
            problems.append("preflight: Access-Control-Allow-Methods %r has no GET" % meth)
        r = srv.get("/api/4/quicklook", headers={"Origin": origin})
        if r.status != 200:
            problems.append("GET /api/4/quicklook: %s" % r.short())
        else:
            if r.header("access-control-allow-origin") not in ("*", origin):
                problems.append("GET: Access-Control-Allow-Origin %r" % r.header("access-control-allow-origin"))
            q = r.json()
            for k in ("load", "cpu", "mem", "swap"):
                if tclass(q.get(k)) != "number":
                    problems.append("quicklook.%s: %r" % (k, q.get(k)))
            if not isinstance(q.get("cpu_name"), str):
                problems.append("quicklook.cpu_name: %r" % (q.get("cpu_name"),))
        if problems:
            raise Fail("\n".join(problems))

    # --- all of it -----------------------------------------------------------------------------
    def run(self):
        self.gapi_seen = {}
        peers_only = not self.args.glanced
        if self.args.table:
            self.table()
            log("")
        # The oracles: every client check against the real server of its generation.
        self.check("peer g458 glances-api v4", self.check_gapi, "g458", 4)
        self.check("peer g331 glances-api v3", self.check_gapi, "g331", 3)
        self.check("peer g458 homarr", self.check_homarr, "g458")
        self.check("peer g458 homer", self.check_homer, "g458")
        self.check("peer g458 homepage v4", self.check_homepage, "g458", 4)
        self.check("peer g331 homepage v3", self.check_homepage, "g331", 3)
        self.check("peer g458 authorization ignored", self.check_authorization_ignored, "g458", 4)
        self.check("peer g331 authorization ignored", self.check_authorization_ignored, "g331", 3)
        self.check("peer g458 gzip", self.check_gzip, "g458", 4)
        if peers_only:
            return
        for gen in (4, 3):
            self.check("glanced v%d transport (JSON, Content-Type)" % gen, self.check_transport, "glanced", gen)
            self.check("glanced v%d gzip" % gen, self.check_gzip, "glanced", gen)
            self.check("glanced v%d authorization ignored without a password" % gen,
                       self.check_authorization_ignored, "glanced", gen)
            self.check("glanced v%d glances-api (HA)" % gen, self.check_gapi, "glanced", gen)
            self.check("glanced v%d homepage" % gen, self.check_homepage, "glanced", gen)
        self.check("glanced v4 homarr", self.check_homarr, "glanced")
        self.check("glanced v4 homer (CORS)", self.check_homer, "glanced")
        for gen in (4, 3):
            self.check("glanced v%d password: 401 / 200" % gen, self.check_auth, gen)
            self.check("glanced v%d glances-api with password (HA)" % gen, self.check_gapi, "glanced-pw", gen,
                       PASSWORD)
            self.check("glanced v%d glances-api wrong password (HA)" % gen, self.check_gapi_wrong_password, gen)
        for gen in (4, 3):
            try:
                self.compare_generation(gen)
            except Skip as e:
                log("SKIP v%d routes — %s" % (gen, e))
            except Fail as e:
                self.results.append(("v%d routes" % gen, False, str(e)))
                log("FAIL v%d routes — %s" % (gen, e))


def allv_list_hint(samples):
    return samples[0] if samples else None


def compare_history(plugin, pv, ov, problems, notes, by_entry):
    """History: {field: [[ISO time, value], ...]}; compare the field set (by entry: the field
    names with the entries' key values taken out) and the pair shape."""
    if not isinstance(ov, dict):
        problems.append("%s history: %s, want an object" % (plugin, tname(ov)))
        return
    if not isinstance(pv, dict):
        return

    def fields(d):
        return set(d)
    pf, of = fields(pv), fields(ov)
    if by_entry:
        # keys look like "<key value>_<field>" (lo_bytes_recv): keep the field part only
        def strip(keys, fieldnames):
            out = set()
            for k in keys:
                m = [f for f in fieldnames if k.endswith("_" + f)]
                out.add(max(m, key=len) if m else k)
            return out
        names = set()
        for k in pf | of:
            names.update(k.split("_", i)[i] for i in range(1, k.count("_") + 1))
        pf, of = strip(pf, names), strip(of, names)
    missing, extra = sorted(pf - of), sorted(of - pf)
    if missing:
        problems.append("%s history: missing fields %s" % (plugin, missing))
    if extra:
        problems.append("%s history: fields Glances does not have %s" % (plugin, extra))
    for k, v in ov.items():
        if not isinstance(v, list) or any(not (isinstance(x, list) and len(x) == 2 and isinstance(x[0], str))
                                          for x in v):
            problems.append("%s history %r: want [[ISO time, value], ...], got %r" % (plugin, k, str(v)[:80]))
            break


def homarr_zod(d):
    """Homarr's zod schema for /api/4/all, as Python (shared/docs/GLANCES-REST.md §4)."""
    p = []

    def num(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if not isinstance(d, dict):
        return ["all: not an object"]
    cpu = d.get("cpu")
    if not isinstance(cpu, dict) or not num(cpu.get("total")) or not 0 <= cpu["total"] <= 100:
        p.append("cpu.total: %r, want a number 0-100" % ((cpu or {}).get("total"),))
    mem = d.get("mem")
    for k in ("total", "used", "free"):
        if not isinstance(mem, dict) or not num(mem.get(k)):
            p.append("mem.%s: %r, want a number" % (k, (mem or {}).get(k)))
    net = d.get("network")
    if not isinstance(net, list):
        p.append("network: %s, want an array" % tname(net))
    else:
        for e in net:
            for k in ("bytes_recv_rate_per_sec", "bytes_sent_rate_per_sec"):
                if not num(e.get(k)):
                    p.append("network[%r].%s: %r, want a number (not null)" % (e.get("interface_name"), k, e.get(k)))
    fs = d.get("fs")
    if not isinstance(fs, list):
        p.append("fs: %s, want an array" % tname(fs))
    else:
        for e in fs:
            if not isinstance(e.get("device_name"), str):
                p.append("fs[].device_name: %r" % (e.get("device_name"),))
            for k in ("used", "free", "percent"):
                if not num(e.get(k)):
                    p.append("fs[%r].%s: %r, want a number" % (e.get("mnt_point"), k, e.get(k)))
    up = d.get("uptime")
    if not isinstance(up, str) or not re.match(r"^(\d+ days?, )?\d+:\d\d:\d\d$", up):
        p.append("uptime: %r, want '(N days, )H:MM:SS'" % (up,))
    q = d.get("quicklook")
    if q is not None and (not isinstance(q, dict) or ("cpu_name" in q and not isinstance(q["cpu_name"], str))):
        p.append("quicklook.cpu_name: %r, optional string" % ((q or {}).get("cpu_name"),))
    if "gpu" in d and not isinstance(d["gpu"], list):
        p.append("gpu: %s, optional array" % tname(d["gpu"]))
    return p


# ----------------------------------------------------------------------------------------------
# Home Assistant values against /proc

def meminfo():
    out = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            out[k] = int(v.split()[0]) * 1024
    return out


def check_ha_values(data, gen, sysfs, server_name):
    """What HA's sensor.py shows, from get_ha_sensor_data(): present and near /proc."""
    p = []
    mi = meminfo()
    gib, mib = 1024 ** 3, 1024 ** 2
    # fs of /
    st = os.statvfs("/")
    fs = (data.get("fs") or {}).get("/")
    if not fs:
        p.append("fs['/'] missing (HA: disk_use, disk_use_percent, disk_free of /)")
    else:
        used = (st.f_blocks - st.f_bfree) * st.f_frsize / gib
        free = st.f_bavail * st.f_frsize / gib
        if abs(fs.get("disk_use", -1) - used) > 0.3:
            p.append("fs['/'].disk_use %r GiB, statvfs %.1f" % (fs.get("disk_use"), used))
        if abs(fs.get("disk_free", -1) - free) > 0.3:
            p.append("fs['/'].disk_free %r GiB, statvfs %.1f" % (fs.get("disk_free"), free))
        pct = used / (used + free) * 100 if used + free else 0
        if not isinstance(fs.get("disk_use_percent"), (int, float)) or abs(fs["disk_use_percent"] - pct) > 2:
            p.append("fs['/'].disk_use_percent %r, statvfs %.1f" % (fs.get("disk_use_percent"), pct))
    # mem
    m = data.get("mem")
    if not m:
        p.append("mem missing")
    else:
        used = (mi["MemTotal"] - mi["MemAvailable"]) / mib
        tol = mi["MemTotal"] / mib * 0.05
        if abs((m.get("memory_use") or -1e9) - used) > tol:
            p.append("mem.memory_use %r MiB, /proc/meminfo %.1f" % (m.get("memory_use"), used))
        fr = [mi["MemAvailable"] / mib, mi["MemFree"] / mib]
        if min(abs((m.get("memory_free") or -1e9) - x) for x in fr) > tol:
            p.append("mem.memory_free %r MiB, MemAvailable %.1f / MemFree %.1f" % (m.get("memory_free"), *fr))
        pct = (mi["MemTotal"] - mi["MemAvailable"]) / mi["MemTotal"] * 100
        if abs((m.get("memory_use_percent") or -1e9) - pct) > 5:
            p.append("mem.memory_use_percent %r, /proc/meminfo %.1f" % (m.get("memory_use_percent"), pct))
    s = data.get("memswap")
    if not s:
        if mi.get("SwapTotal"):
            p.append("memswap missing")
    else:
        used = (mi["SwapTotal"] - mi["SwapFree"]) / gib
        if abs((s.get("swap_use") if s.get("swap_use") is not None else -1e9) - used) > 0.2:
            p.append("memswap.swap_use %r GiB, /proc/meminfo %.1f" % (s.get("swap_use"), used))
        if abs((s.get("swap_free") if s.get("swap_free") is not None else -1e9) - mi["SwapFree"] / gib) > 0.2:
            p.append("memswap.swap_free %r GiB, /proc/meminfo %.1f" % (s.get("swap_free"), mi["SwapFree"] / gib))
        if not isinstance(s.get("swap_use_percent"), (int, float)):
            p.append("memswap.swap_use_percent %r" % (s.get("swap_use_percent"),))
    # load
    with open("/proc/loadavg") as f:
        la = [float(x) for x in f.read().split()[:3]]
    ld = data.get("load") or {}
    for key, want in (("processor_load", la[2]), ("processor_load_1m", la[0]), ("processor_load_5m", la[1])):
        v = ld.get(key)
        if not isinstance(v, (int, float)) or abs(v - want) > max(1.0, want * 0.5 if key.endswith("1m") else 0.5):
            p.append("load.%s %r, /proc/loadavg %.2f" % (key, v, want))
    # processcount
    pc = data.get("processcount") or {}
    npids = len([d for d in os.listdir("/proc") if d.isdigit()])
    for k in ("process_running", "process_total", "process_thread", "process_sleeping"):
        if not isinstance(pc.get(k), int):
            p.append("processcount.%s %r" % (k, pc.get(k)))
    if isinstance(pc.get("process_total"), int) and abs(pc["process_total"] - npids) > max(10, npids * 0.15):
        p.append("processcount.process_total %d, /proc has %d pids" % (pc["process_total"], npids))
    # CPU from quicklook
    cpu = (data.get("cpu") or {}).get("cpu_use_percent")
    if not isinstance(cpu, (int, float)) or not 0 <= cpu <= 100:
        p.append("cpu.cpu_use_percent (quicklook.cpu) %r" % (cpu,))
    ncpu = os.cpu_count()
    if len(data.get("percpu") or {}) != ncpu:
        p.append("percpu: %d CPUs, os.cpu_count() %d" % (len(data.get("percpu") or {}), ncpu))
    # network rates
    net = data.get("network") or {}
    with open("/proc/net/dev") as f:
        ifaces = [l.split(":")[0].strip() for l in f.readlines()[2:]]
    if "lo" not in net:
        p.append("network: no 'lo' (have %s; /proc/net/dev %s)" % (sorted(net), ifaces))
    for name, e in net.items():
        for k in ("rx", "tx"):
            if not isinstance(e.get(k), (int, float)) or e[k] < 0:
                p.append("network[%r].%s %r, want a rate ≥ 0 (HA shows None as unknown)" % (name, k, e.get(k)))
        if not isinstance(e.get("speed"), (int, float)):
            p.append("network[%r].speed %r" % (name, e.get("speed")))
    # disk rates
    dio = data.get("diskio") or {}
    with open("/proc/diskstats") as f:
        disks = {l.split()[2] for l in f if len(l.split()) > 3}
    if not dio:
        p.append("diskio missing (HA: read/write rate per disk)")
    for name, e in dio.items():
        if name not in disks:
            p.append("diskio[%r]: not in /proc/diskstats" % name)
        for k in ("read", "write"):
            if not isinstance(e.get(k), int) or e[k] < 0:
                p.append("diskio[%r].%s %r" % (name, k, e.get(k)))
    # sensors under the fake sysfs
    sens = data.get("sensors") or {}
    if sysfs:
        core = sens.get(FAKE_TEMP_LABEL) or {}
        if core.get("temperature_core") != FAKE_TEMP:
            p.append("sensors[%r] = %r, want {'temperature_core': %d} (fake sysfs); sensors: %s"
                     % (FAKE_TEMP_LABEL, core, FAKE_TEMP, sens))
        bats = [v.get("battery") for v in sens.values() if "battery" in v]
        if not bats or not all(isinstance(b, (int, float)) for b in bats):
            p.append("sensors: no battery entry with a number (fake sysfs: BAT0 73 %%, BAT1 53 %%): %s" % sens)
        fans = [v.get("fan_speed") for v in sens.values() if "fan_speed" in v]
        if fans != [1200]:
            p.append("sensors: fan_speed %r, want [1200] (fake sysfs)" % fans)
    up = data.get("uptime")
    if not isinstance(up, str) or not re.search(r"\d+:\d\d:\d\d$", up):
        p.append("uptime %r, want a string HA's parse_duration reads" % (up,))
    if p:
        raise Fail("get_ha_sensor_data() from %s (version=%d):\n%s" % (server_name, gen, "\n".join(p)))


# ----------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--glanced", help="the glanced binary (else: only the peers are checked)")
    ap.add_argument("--venvs", required=True, help="the folder setup_venvs.sh made")
    ap.add_argument("--work", help="work folder (kept); else a temporary one, removed when all passed")
    ap.add_argument("-k", action="append", default=[], help="run the checks whose name has this (repeatable)")
    ap.add_argument("--table", action="store_true", help="print what the real servers answer per route")
    args = ap.parse_args()
    if args.glanced:
        args.glanced = os.path.abspath(args.glanced)
        if not os.access(args.glanced, os.X_OK):
            print("check_rest: %s is not an executable" % args.glanced, file=sys.stderr)
            return 2
    args.venvs = os.path.abspath(args.venvs)
    keep = bool(args.work)
    args.work = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="glanced-rest-")
    os.makedirs(args.work, exist_ok=True)
    suite = Suite(args)

    def on_signal(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    try:
        suite.run()
    except KeyboardInterrupt:
        log("# interrupted")
        suite.results.append(("interrupted", False, ""))
    except Fail as e:
        log("FAIL setup — %s" % e)
        suite.results.append(("setup", False, str(e)))
    finally:
        failed = [r for r in suite.results if not r[1]]
        if failed:
            for name, srv in suite.servers.items():
                log("# ----- %s log tail -----\n%s" % (name, srv.tail_log(15).rstrip()))
        suite.stop_all()
    passed = len(suite.results) - len(failed)
    if failed:
        log("\nfailed: " + ", ".join(r[0] for r in failed[:40]) + (" ..." if len(failed) > 40 else ""))
    if not keep and not failed:
        shutil.rmtree(args.work, ignore_errors=True)
    elif not keep:
        log("# work folder kept: %s" % args.work)
    log("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
