#!/usr/bin/env bash
# A real three-broker Apache Kafka (KRaft) cluster on loopback, from the same Maven Central jars as kafka.sh.
# Each node is broker and controller; the three controllers form a static quorum. Ports do not clash with
# the single broker (9092/9093): node i listens on BASE+2(i-1) and its controller on BASE+2(i-1)+1.
#   cluster.sh up         start every node that is not running; wait until all answer and have registered
#   cluster.sh down       stop the nodes this script started (by their pid files), nothing else
#   cluster.sh status     exit 0 when every node answers and the cluster reports all of them
#   cluster.sh bootstrap  print the bootstrap list (OTRCM_KAFKA_BOOTSTRAP for the services)
#   cluster.sh kill N     SIGKILL node N (a crash: no clean shutdown, no leadership handed over)
#   cluster.sh start N    start node N again and wait until the cluster reports it
# Settings: OTRCM_KAFKA_CLUSTER_PORT (BASE, default 9192), OTRCM_KAFKA_BROKERS (default 3).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")
lib=${OTRCM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/otrcm}/kafka-$version/lib
base=${OTRCM_KAFKA_CLUSTER_PORT:-9192}
count=${OTRCM_KAFKA_BROKERS:-3}
var=${OTRCM_VAR_DIR:-$root/var}/kafka-cluster-$base
python=${PYTHON:-$root/.venv/bin/python}
[ -x "$python" ] || python=python3

log() { printf 'kafka-cluster: %s\n' "$*" >&2; }
port_of() { echo $((base + 2 * ($1 - 1))); }
controller_of() { echo $((base + 2 * ($1 - 1) + 1)); }
nodes() { seq 1 "$count"; }

bootstrap() {
  local list=() n
  for n in $(nodes); do list+=("127.0.0.1:$(port_of "$n")"); done
  (IFS=,; echo "${list[*]}")
}

voters() {
  local list=() n
  for n in $(nodes); do list+=("$n@127.0.0.1:$(controller_of "$n")"); done
  (IFS=,; echo "${list[*]}")
}

pid_of() {
  local pidfile=$var/node-$1/kafka.pid pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# The cluster's own answer: how many brokers its metadata lists (0 when no node answers).
registered() {
  "$python" - "$(bootstrap)" <<'PY' 2>/dev/null || echo 0
import asyncio, sys
from aiokafka.admin import AIOKafkaAdminClient

async def main() -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=sys.argv[1], client_id="otrcm-cluster-probe", request_timeout_ms=3000)
    await asyncio.wait_for(admin.start(), 5)
    try:
        print(len((await asyncio.wait_for(admin.describe_cluster(), 5))["brokers"]))
    finally:
        await admin.close()

asyncio.run(main())
PY
}

java_opts() {
  echo "-Dlog4j2.configurationFile=$here/log4j2.properties -Dkafka.logs.dir=$var/node-$1/logs"
}

format_node() {
  local n=$1 dir=$var/node-$1
  mkdir -p "$dir/data" "$dir/logs"
  sed -e "s|@NODE@|$n|" -e "s|@VOTERS@|$(voters)|" -e "s|@PORT@|$(port_of "$n")|g" \
      -e "s|@CONTROLLER_PORT@|$(controller_of "$n")|g" -e "s|@DATA@|$dir/data|" \
      "$here/cluster.properties" > "$dir/server.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    # shellcheck disable=SC2046
    java -cp "$lib/*" $(java_opts "$n") kafka.tools.StorageTool format -t "$(cat "$var/cluster.id")" \
         -c "$dir/server.properties" >/dev/null
  fi
}

start_node() {
  local n=$1 dir=$var/node-$1
  if pid_of "$n" >/dev/null; then return 0; fi
  format_node "$n"
  log "starting node $n on 127.0.0.1:$(port_of "$n") (controller $(controller_of "$n"))"
  # shellcheck disable=SC2046
  nohup java -Xms256m -Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError $(java_opts "$n") \
    -cp "$lib/*" kafka.Kafka "$dir/server.properties" >"$dir/logs/stdout.log" 2>&1 &
  echo $! > "$dir/kafka.pid"
}

wait_registered() {
  local want=$1 deadline=$((SECONDS + ${OTRCM_KAFKA_START_TIMEOUT:-120})) n
  until [ "$(registered)" -ge "$want" ]; do
    for n in $(nodes); do
      if [ -f "$var/node-$n/kafka.pid" ] && ! pid_of "$n" >/dev/null && [ ! -f "$var/node-$n/killed" ]; then
        log "node $n exited during start-up; last lines of its log:"
        tail -n 20 "$var/node-$n/logs/stdout.log" "$var/node-$n/logs/server.log" >&2 2>/dev/null || true
        return 1
      fi
    done
    if [ $SECONDS -ge $deadline ]; then log "fewer than $want brokers registered within the time limit"; return 1; fi
    sleep 0.5
  done
}

up() {
  "$here/kafka.sh" fetch
  mkdir -p "$var"
  [ -f "$var/cluster.id" ] || java -cp "$lib/*" kafka.tools.StorageTool random-uuid > "$var/cluster.id"
  local n
  for n in $(nodes); do rm -f "$var/node-$n/killed"; start_node "$n"; done
  wait_registered "$count"
  log "ready: $count brokers at $(bootstrap)"
}

# SIGTERM to every node at once: a node stopping alone after the others waits for a controller quorum that is gone.
down() {
  local n pid pids=() deadline
  for n in $(nodes); do
    if pid=$(pid_of "$n"); then log "stopping node $n (pid $pid)"; kill -TERM "$pid"; pids+=("$pid"); fi
    rm -f "$var/node-$n/kafka.pid"
  done
  deadline=$((SECONDS + 60))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null; do
      if [ $SECONDS -ge $deadline ]; then log "pid $pid ignored SIGTERM for 60 s; killing"; kill -KILL "$pid"; break; fi
      sleep 0.3
    done
  done
}

kill_node() {
  local n=$1 pid
  pid=$(pid_of "$n") || { log "node $n is not running"; return 1; }
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  touch "$var/node-$n/killed"
  log "node $n (pid $pid) killed with SIGKILL"
}

restart_node() {
  local n=$1
  rm -f "$var/node-$n/killed"
  start_node "$n"
  wait_registered "$count"
  log "node $n back: $count brokers registered"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) [ "$(registered)" -ge "$count" ] ;;
  bootstrap) bootstrap ;;
  kill) kill_node "${2:?node number}" ;;
  start) restart_node "${2:?node number}" ;;
  *) echo "usage: $0 up|down|status|bootstrap|kill N|start N" >&2; exit 2 ;;
esac
