#!/usr/bin/env python3
"""Nagios/Icinga-style check of a Glances v2 XML-RPC server (glanced or Glances itself).

Uses only the standard library's xmlrpc.client, the way monitoring checks do: getCpu, getMem,
getLoad, getFs and getSensors, each answering JSON text. Prints one Nagios line with performance
data and exits 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.

  check_glanced.py -H 127.0.0.1 -p 61209 --cpu 80,95 --mem 80,95 --load 4,8 --fs 85,95

Thresholds are "warning,critical"; a value at or above one raises that state. Load is the
1-minute load average divided by the number of CPUs when --load-per-cpu is given (default: raw).
"""
import argparse
import hashlib
import json
import socket
import sys
import xmlrpc.client

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
NAMES = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL", UNKNOWN: "UNKNOWN"}


def thresholds(text):
    try:
        warn, crit = (float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("expected WARN,CRIT (two numbers), got %r" % text)
    return warn, crit


class _Parser(argparse.ArgumentParser):
    def error(self, message):   # a usage error is UNKNOWN (3) for Nagios, not argparse's 2
        self.print_usage(sys.stdout)
        print("UNKNOWN - %s" % message)
        sys.exit(UNKNOWN)


class TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self.timeout
        return conn


def level(value, limits):
    warn, crit = limits
    if value >= crit:
        return CRITICAL
    if value >= warn:
        return WARNING
    return OK


def perf(label, value, limits=None, lo=None, hi=None, unit=""):
    warn, crit = limits if limits else ("", "")
    fmt = lambda v: "" if v == "" or v is None else ("%g" % v if isinstance(v, float) else str(v))
    if " " in label or "=" in label or "'" in label:
        label = "'%s'" % label.replace("'", "")
    return "%s=%s%s;%s;%s;%s;%s" % (label, fmt(value), unit, fmt(warn), fmt(crit), fmt(lo), fmt(hi))


def main(argv=None):
    ap = _Parser(description=__doc__.splitlines()[0])
    ap.add_argument("-H", "--host", default="127.0.0.1")
    ap.add_argument("-p", "--port", type=int, default=61209)
    ap.add_argument("-u", "--username", default="glances")
    ap.add_argument("-P", "--password", default=None, help="plain password (sent as its SHA-256 hex)")
    ap.add_argument("-t", "--timeout", type=float, default=10.0)
    ap.add_argument("--cpu", type=thresholds, default=(80.0, 95.0), help="cpu %% used (100 - idle)")
    ap.add_argument("--mem", type=thresholds, default=(80.0, 95.0), help="memory %% used")
    ap.add_argument("--load", type=thresholds, default=(4.0, 8.0), help="1-minute load average")
    ap.add_argument("--load-per-cpu", action="store_true", help="divide load by the number of CPUs")
    ap.add_argument("--fs", type=thresholds, default=(85.0, 95.0), help="%% used of any filesystem")
    ap.add_argument("--temp", type=thresholds, default=(80.0, 95.0), help="temperature sensors, C")
    args = ap.parse_args(argv)

    auth = ""
    if args.password is not None:
        auth = "%s:%s@" % (args.username, hashlib.sha256(args.password.encode("utf-8")).hexdigest())
    host = "[%s]" % args.host if ":" in args.host else args.host
    url = "http://%s%s:%d" % (auth, host, args.port)
    proxy = xmlrpc.client.ServerProxy(url, transport=TimeoutTransport(args.timeout))

    try:
        cpu = json.loads(proxy.getCpu())
        mem = json.loads(proxy.getMem())
        load = json.loads(proxy.getLoad())
        fs = json.loads(proxy.getFs())
        sensors = json.loads(proxy.getSensors())
        cpu_used = round(100.0 - float(cpu["idle"]), 1)
        mem_pct = float(mem["percent"])
        mem_total, mem_used = int(mem["total"]), int(mem["used"])
        min1, min5, min15 = float(load["min1"]), float(load["min5"]), float(load["min15"])
        ncpu = int(load.get("cpucore") or 1)
        fs_list = [(str(f["mnt_point"]), float(f["percent"]), int(f["used"]), int(f["size"])) for f in fs]
        temps = [(str(s["label"]), float(s["value"])) for s in sensors
                 if str(s.get("type", "")).startswith("temperature") and _number(s.get("value"))]
    except xmlrpc.client.ProtocolError as e:
        why = "bad credentials" if e.errcode == 401 else "HTTP %s %s" % (e.errcode, e.errmsg)
        print("UNKNOWN - %s:%d: %s" % (args.host, args.port, why))
        return UNKNOWN
    except xmlrpc.client.Fault as e:
        print("UNKNOWN - %s:%d: fault %s: %s" % (args.host, args.port, e.faultCode, e.faultString))
        return UNKNOWN
    except (OSError, socket.timeout) as e:
        print("UNKNOWN - %s:%d: %s" % (args.host, args.port, e))
        return UNKNOWN
    except (ValueError, KeyError, TypeError) as e:
        print("UNKNOWN - %s:%d: unexpected answer: %r" % (args.host, args.port, e))
        return UNKNOWN

    load_value = min1 / ncpu if args.load_per_cpu else min1
    states = [level(cpu_used, args.cpu), level(mem_pct, args.mem), level(load_value, args.load)]
    states += [level(pct, args.fs) for _, pct, _, _ in fs_list]
    states += [level(v, args.temp) for _, v in temps]
    state = max(states)

    worst_fs = max(fs_list, key=lambda f: f[1]) if fs_list else None
    text = "cpu %.1f%% mem %.1f%% load %.2f" % (cpu_used, mem_pct, min1)
    if worst_fs:
        text += " fs %s %.1f%%" % (worst_fs[0], worst_fs[1])
    if temps:
        text += " temp %.0fC" % max(v for _, v in temps)
    data = [perf("cpu", cpu_used, args.cpu, 0, 100, "%"),
            perf("mem", mem_pct, args.mem, 0, 100, "%"),
            perf("mem_used", mem_used, None, 0, mem_total, "B"),
            perf("load1", min1, args.load if not args.load_per_cpu else None, 0),
            perf("load5", min5, None, 0),
            perf("load15", min15, None, 0),
            perf("cpus", ncpu)]
    for mnt, pct, used, size in fs_list:
        data.append(perf("fs_" + mnt, pct, args.fs, 0, 100, "%"))
    for label, value in temps:
        data.append(perf("temp_" + label, value, args.temp))
    print("%s - %s | %s" % (NAMES[state], text, " ".join(data)))
    return state


def _number(v):
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except BaseException as e:  # a check never dies with a traceback: that is UNKNOWN
        print("UNKNOWN - %s: %s" % (type(e).__name__, e))
        sys.exit(UNKNOWN)
