#!/usr/bin/env bash
# Create the throw-away virtual environments for Tests/rest/check_rest.py, from PyPI:
#   DIR/g458  Glances 4.5.8 with what its web server mode (`glances -w`) needs:
#             fastapi, uvicorn, jinja2 (imported by the REST module even with --disable-webui),
#             plus Glances' own requirements (psutil, defusedxml, packaging, ...).
#   DIR/gapi  glances-api 0.9.0 (the library Home Assistant uses) with its deps (httpx).
# Usage: setup_venvs.sh DIR
# Environment: REST_PY3 names the interpreter (else python3); pip uses PIP_CACHE_DIR when set.
set -euo pipefail
DIR=${1:?usage: setup_venvs.sh DIR}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

GLANCES4=${REST_GLANCES4:-4.5.8}
GLANCES_API=${REST_GLANCES_API:-0.9.0}
PY3=${REST_PY3:-$(command -v python3)}

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_DEFAULT_TIMEOUT=60

setup_g458() {
  "$PY3" -m venv "$DIR/g458"
  # Glances' own requirements come with it (psutil, defusedxml, packaging, ...); web mode's
  # extras are named by hand so no optional exporter or cloud library comes along.
  "$DIR/g458/bin/pip" install -q "glances==$GLANCES4" fastapi uvicorn jinja2
}
setup_gapi() {
  "$PY3" -m venv "$DIR/gapi"
  "$DIR/gapi/bin/pip" install -q "glances-api==$GLANCES_API"
}

trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
setup_g458 >"$DIR/setup-g458.log" 2>&1 & p1=$!
setup_gapi >"$DIR/setup-gapi.log" 2>&1 & p2=$!
rc=0
wait $p1 || { echo "setup_venvs: Glances $GLANCES4 failed:" >&2; cat "$DIR/setup-g458.log" >&2; rc=1; }
wait $p2 || { echo "setup_venvs: glances-api $GLANCES_API failed:" >&2; cat "$DIR/setup-gapi.log" >&2; rc=1; }
[ $rc = 0 ] || exit 1

# The web server must import (FastAPI, uvicorn, jinja2 are imported lazily by glances -w).
"$DIR/g458/bin/python" -c 'import glances, fastapi, uvicorn, jinja2, psutil, defusedxml' \
  || { echo "setup_venvs: the 4.5.8 venv cannot import its web stack" >&2; exit 1; }
"$DIR/gapi/bin/python" -c 'import glances_api, httpx' \
  || { echo "setup_venvs: the glances-api venv cannot import glances_api" >&2; exit 1; }
echo "glances 4.5.8: $DIR/g458/bin/glances ($("$DIR/g458/bin/glances" -V 2>&1 | head -1))"
echo "glances-api:   $DIR/gapi ($("$DIR/gapi/bin/pip" show glances-api httpx 2>/dev/null | grep -E '^(Name|Version)' | paste -sd' '))"
