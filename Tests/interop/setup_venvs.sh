#!/usr/bin/env bash
# Create the throw-away virtual environments with the real Glances clients, from PyPI:
#   DIR/g20   Glances 2.0    on Python 2.7 (virtualenv), psutil 5.9.8
#   DIR/g211  Glances 2.11.1 on Python 3   (venv),       psutil 5.9.8, patched (below)
#   DIR/g458  Glances 4.5.8  on Python 3   (venv),       with its client-mode dependencies (defusedxml,
#             psutil, packaging, …, as pip resolves them); Glances 3.3.1 is Debian's package (.ci/interop)
#   DIR/vtool a Python 3 venv holding virtualenv 20.21.1, the last one that can create
#             Python 2.7 environments (Python 2.7 itself has no venv and no virtualenv here)
# Usage: setup_venvs.sh DIR
# Environment: INTEROP_PY2 / INTEROP_PY3 name the interpreters (found otherwise, see below).
#
# Patches applied to the 2.11.1 copy inside DIR/g211 only (as the benchmark harness does):
#  1. plugins/glances_ports.py: Thread.isAlive() -> is_alive() (removed in Python 3.9).
#  2. plugins/glances_ip.py: PublicIpAddress.get() returns None at once. Unpatched, 2.11.1
#     asks public "what is my IP" web services as soon as the ip plugin is built, in the
#     client too. These tests talk to 127.0.0.1 only.
# The clients are also run with --disable-check-update (2.11.1 would ask PyPI for its
# latest version) and with HOME/XDG_CONFIG_HOME/TMPDIR inside the work folder.
set -euo pipefail
DIR=${1:?usage: setup_venvs.sh DIR}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

GLANCES20=${INTEROP_GLANCES20:-2.0}
GLANCES211=${INTEROP_GLANCES211:-2.11.1}
GLANCES458=${INTEROP_GLANCES458:-4.5.8}
PSUTIL=${INTEROP_PSUTIL:-5.9.8}          # the 5.9 line is the last with Python 2.7 wheels
VIRTUALENV=${INTEROP_VIRTUALENV:-20.21.1}  # the last virtualenv that creates Python 2.7 envs

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_DEFAULT_TIMEOUT=60
export VIRTUALENV_OVERRIDE_APP_DATA="$DIR/virtualenv-appdata"   # keep virtualenv's cache in DIR

works() { "$1" -c 'import sys' >/dev/null 2>&1; }

find_py2() {
  local c
  for c in "${INTEROP_PY2:-}" "$(command -v python2.7 || true)" \
           "$(pyenv root 2>/dev/null || echo /root/.pyenv)"/versions/2.7*/bin/python2.7 \
           /usr/local/bin/python2.7 /usr/bin/python2.7; do
    [ -n "$c" ] && [ -x "$c" ] && works "$c" && { echo "$c"; return 0; }
  done
  return 1
}
find_py3() {
  local c
  # 2.11.1 is known to run on 3.11 (what the benchmark harness used); prefer it.
  for c in "${INTEROP_PY3:-}" "$(command -v python3.11 || true)" \
           "$(pyenv root 2>/dev/null || echo /root/.pyenv)"/versions/3.11*/bin/python3.11 \
           "$(command -v python3 || true)"; do
    [ -n "$c" ] && [ -x "$c" ] && works "$c" && "$c" -c 'import venv, curses' >/dev/null 2>&1 \
      && { echo "$c"; return 0; }
  done
  return 1
}

PY2=$(find_py2) || { echo "setup_venvs: no working python2.7 (set INTEROP_PY2)" >&2; exit 1; }
PY3=$(find_py3) || { echo "setup_venvs: no python3 with venv and curses (set INTEROP_PY3)" >&2; exit 1; }
"$PY2" -c 'import curses' || { echo "setup_venvs: $PY2 has no curses module" >&2; exit 1; }
echo "python 2: $PY2 ($("$PY2" -V 2>&1))"
echo "python 3: $PY3 ($("$PY3" -V 2>&1))"

setup_py2() {
  "$PY3" -m venv "$DIR/vtool"
  "$DIR/vtool/bin/pip" install -q "virtualenv==$VIRTUALENV"
  "$DIR/vtool/bin/virtualenv" -q -p "$PY2" "$DIR/g20"
  "$DIR/g20/bin/pip" install -q --no-python-version-warning "glances==$GLANCES20" "psutil==$PSUTIL"
}
setup_py3() {
  "$PY3" -m venv "$DIR/g211"
  "$DIR/g211/bin/pip" install -q "glances==$GLANCES211" "psutil==$PSUTIL"
}

setup_py4() {
  "$PY3" -m venv "$DIR/g458"
  "$DIR/g458/bin/pip" install -q "glances==$GLANCES458"
}

# All at once: most of the time is spent waiting on the registry. Stopped (timeout), stop them all.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
setup_py2 >"$DIR/setup-py2.log" 2>&1 & p2=$!
setup_py3 >"$DIR/setup-py3.log" 2>&1 & p3=$!
setup_py4 >"$DIR/setup-py4.log" 2>&1 & p4=$!
rc=0
wait $p2 || { echo "setup_venvs: Glances $GLANCES20 (Python 2.7) failed:" >&2; cat "$DIR/setup-py2.log" >&2; rc=1; }
wait $p3 || { echo "setup_venvs: Glances $GLANCES211 (Python 3) failed:" >&2; cat "$DIR/setup-py3.log" >&2; rc=1; }
wait $p4 || { echo "setup_venvs: Glances $GLANCES458 (Python 3) failed:" >&2; cat "$DIR/setup-py4.log" >&2; rc=1; }
[ $rc = 0 ] || exit 1

G2PKG=$("$DIR/g211/bin/python" -c 'import glances, os; print(os.path.dirname(glances.__file__))')
sed -i 's/self\._thread\.isAlive()/self._thread.is_alive()/' "$G2PKG/plugins/glances_ports.py"
"$DIR/g211/bin/python" - "$G2PKG/plugins/glances_ip.py" <<'PYEOF'
import sys
p = sys.argv[1]
s = open(p).read()
if 'INTEROP-PATCH' not in s:
    old = '        """Get the first public IP address returned by one of the online services"""\n'
    assert old in s, 'unexpected glances_ip.py layout'
    s = s.replace(old, old + '        return None  # INTEROP-PATCH: no public-IP lookups (loopback only)\n', 1)
    open(p, 'w').write(s)
PYEOF
find "$G2PKG" -name '__pycache__' -prune -exec rm -rf {} +
grep -q 'is_alive()' "$G2PKG/plugins/glances_ports.py"
! grep -q 'isAlive()' "$G2PKG/plugins/glances_ports.py"
grep -q 'INTEROP-PATCH' "$G2PKG/plugins/glances_ip.py"
# The cloud plugin would ask a metadata service if 'requests' were installed: it must not be.
if "$DIR/g211/bin/python" -c 'import requests' 2>/dev/null; then
  echo "setup_venvs: 'requests' is installed in the 2.11.1 venv (cloud plugin would go online)" >&2; exit 1
fi

echo "glances 2.0:    $DIR/g20/bin/glances ($("$DIR/g20/bin/glances" -V 2>&1 | head -1))"
echo "glances 2.11.1: $DIR/g211/bin/glances ($("$DIR/g211/bin/glances" -V 2>&1 | head -1))"
echo "glances 4.5.8:  $DIR/g458/bin/glances ($("$DIR/g458/bin/glances" -V 2>&1 | head -1))"
