#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft) for this project, from Maven Central jars.
#   kafka.sh fetch   resolve the pinned broker jars into the cache (outside the repository)
#   kafka.sh up      start it unless it already answers; wait for readiness (bounded)
#   kafka.sh down    stop the process this script started (by its pid file), nothing else
#   kafka.sh status  exit 0 when the broker answers a metadata request
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")
cache=${OTRCM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/otrcm}/kafka-$version
lib=$cache/lib
var=${OTRCM_VAR_DIR:-$root/var}/kafka
pidfile=$var/kafka.pid
bootstrap=${OTRCM_LOCAL_KAFKA:-127.0.0.1:9092}
python=${PYTHON:-$root/.venv/bin/python}
[ -x "$python" ] || python=python3

log() { printf 'kafka: %s\n' "$*" >&2; }

fetch() {
  if [ -f "$lib/.complete" ]; then return 0; fi
  log "resolving Apache Kafka $version from Maven Central into $lib"
  mkdir -p "$lib"
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$lib"
  touch "$lib/.complete"
}

# A bounded metadata request over the Kafka protocol (no sleep-and-hope).
answers() {
  "$python" - "$bootstrap" <<'PY' >/dev/null 2>&1
import socket, struct, sys
host, port = sys.argv[1].rsplit(":", 1)
# ApiVersions v0 request: api_key=18, version=0, correlation_id=1, client_id="probe"
client = b"probe"
body = struct.pack(">hhih", 18, 0, 1, len(client)) + client
with socket.create_connection((host, int(port)), timeout=2) as s:
    s.settimeout(2)
    s.sendall(struct.pack(">i", len(body)) + body)
    size = struct.unpack(">i", s.recv(4))[0]
    data = b""
    while len(data) < size:
        chunk = s.recv(size - len(data))
        if not chunk:
            raise SystemExit(1)
        data += chunk
    correlation, error = struct.unpack(">ih", data[:6])
    raise SystemExit(0 if correlation == 1 and error == 0 else 1)
PY
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

up() {
  if answers; then log "already answering on $bootstrap"; return 0; fi
  if pid=$(running_pid); then
    log "process $pid is starting; waiting"
  else
    fetch
    mkdir -p "$var/data" "$var/logs"
    sed "s|^log.dirs=.*|log.dirs=$var/data|" "$here/server.properties" > "$var/server.properties"
    local cp="$lib/*"
    if [ ! -f "$var/data/meta.properties" ]; then
      local cluster
      cluster=$(java -cp "$cp" -Dlog4j2.configurationFile="$here/log4j2.properties" \
                -Dkafka.logs.dir="$var/logs" kafka.tools.StorageTool random-uuid)
      java -cp "$cp" -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$var/logs" \
           kafka.tools.StorageTool format --standalone -t "$cluster" -c "$var/server.properties" >/dev/null
    fi
    log "starting Apache Kafka $version on $bootstrap (data in $var)"
    nohup java -Xms512m -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
      -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$var/logs" \
      -cp "$cp" kafka.Kafka "$var/server.properties" >"$var/logs/stdout.log" 2>&1 &
    echo $! > "$pidfile"
  fi
  local deadline=$((SECONDS + ${OTRCM_KAFKA_START_TIMEOUT:-90}))
  until answers; do
    if ! running_pid >/dev/null; then
      log "broker exited during start-up; last lines of its log:"
      tail -n 20 "$var/logs/stdout.log" "$var/logs/server.log" >&2 2>/dev/null || true
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then log "not ready within the time limit"; return 1; fi
    sleep 0.5
  done
  log "ready"
}

down() {
  local pid
  if ! pid=$(running_pid); then log "nothing started by this script is running"; rm -f "$pidfile"; return 0; fi
  log "stopping pid $pid"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then log "pid $pid ignored SIGTERM for 60 s; killing"; kill -KILL "$pid"; fi
    sleep 0.3
  done
  rm -f "$pidfile"
}

case "${1:-}" in
  fetch) fetch ;;
  up) up ;;
  down) down ;;
  status) answers ;;
  *) echo "usage: $0 fetch|up|down|status" >&2; exit 2 ;;
esac
