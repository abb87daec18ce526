#!/usr/bin/env bash
# A real Jaeger (v2, an OTLP backend) for `make traces`, built from its Go module with this machine's Go toolchain.
#   jaeger.sh build   build the pinned version (go.mod beside this file) into the cache, unless it is there
#   jaeger.sh up      start it unless its query API answers; wait until it does (bounded)
#   jaeger.sh down    stop the process this script started (by its pid file), nothing else
#   jaeger.sh status  exit 0 when the query API answers
# Ports (loopback): OTRCM_JAEGER_OTLP_PORT (OTLP/HTTP in, 4318), OTRCM_JAEGER_QUERY_PORT (query API and UI, 16686),
# OTRCM_JAEGER_QUERY_GRPC_PORT (16685).
# The UI: Jaeger's Go module carries no UI bundle (its release builds embed jaeger-ui, a JavaScript project that
# no package registry serves built), so the binary built here serves a placeholder page where the UI would be;
# the query API is complete. OTRCM_JAEGER_UI_DIR names a jaeger-ui build (packages/jaeger-ui/build) to serve.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
version=$(sed -n 's:^\s*github.com/jaegertracing/jaeger \(v[0-9.]*\).*:\1:p' "$here/go.mod")
bin=${OTRCM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/otrcm}/jaeger-$version/jaeger
var=${OTRCM_VAR_DIR:-$root/var}/jaeger
pidfile=$var/jaeger.pid
export JAEGER_OTLP_PORT=${OTRCM_JAEGER_OTLP_PORT:-4318}
export JAEGER_QUERY_PORT=${OTRCM_JAEGER_QUERY_PORT:-16686}
export JAEGER_QUERY_GRPC_PORT=${OTRCM_JAEGER_QUERY_GRPC_PORT:-16685}
export JAEGER_UI_ASSETS=${OTRCM_JAEGER_UI_DIR:-}

log() { printf 'jaeger: %s\n' "$*" >&2; }

build() {
  if [ -x "$bin" ]; then return 0; fi
  command -v go >/dev/null || { log "the Go toolchain is needed to build Jaeger (go: not found)"; return 1; }
  log "building Jaeger $version from its Go module into $bin (the first build takes many minutes)"
  mkdir -p "$(dirname "$bin")"
  (cd "$here" && go build -o "$bin.tmp" github.com/jaegertracing/jaeger/cmd/jaeger)
  mv "$bin.tmp" "$bin"
}

answers() {
  "${PYTHON:-python3}" - "$JAEGER_QUERY_PORT" <<'PY' >/dev/null 2>&1
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/services", timeout=2) as response:
    raise SystemExit(0 if response.status == 200 else 1)
PY
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

up() {
  if answers; then log "already answering on 127.0.0.1:$JAEGER_QUERY_PORT"; return 0; fi
  if ! running_pid >/dev/null; then
    build
    mkdir -p "$var"
    log "starting Jaeger $version: OTLP/HTTP on 127.0.0.1:$JAEGER_OTLP_PORT, UI and query API on 127.0.0.1:$JAEGER_QUERY_PORT"
    nohup "$bin" --config "$here/config.yaml" >"$var/jaeger.log" 2>&1 &
    echo $! > "$pidfile"
  fi
  local deadline=$((SECONDS + 60))
  until answers; do
    if ! running_pid >/dev/null; then log "Jaeger exited during start-up:"; tail -n 20 "$var/jaeger.log" >&2; return 1; fi
    if [ $SECONDS -ge $deadline ]; then log "not ready within 60 s"; return 1; fi
    sleep 0.5
  done
  log "ready"
}

down() {
  local pid
  if ! pid=$(running_pid); then log "nothing started by this script is running"; rm -f "$pidfile"; return 0; fi
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$pidfile"
  log "stopped pid $pid"
}

case "${1:-}" in
  build) build ;;
  up) up ;;
  down) down ;;
  status) answers ;;
  *) echo "usage: $0 build|up|down|status" >&2; exit 2 ;;
esac
