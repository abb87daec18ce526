#!/usr/bin/env bash
# PostgreSQL for the integration tests and production-like runs, from Debian's packages.
#   db.sh up      install postgresql when missing, start it on 127.0.0.1:5432 when nothing
#                 listens there, create the otrcm role and database (idempotent)
#   db.sh down    stop the cluster this script started (recorded in var/postgres.started)
#   db.sh restart restart the cluster that serves the port (fast mode: open connections are cut),
#                 then wait until it accepts connections again (fault-injection tests use it)
#   db.sh status  exit 0 when the server accepts connections
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
var=${OTRCM_VAR_DIR:-$root/var}
host=127.0.0.1
port=${OTRCM_PG_PORT:-5432}
role=${OTRCM_PG_USER:-otrcm}
password=${OTRCM_PG_PASSWORD:-otrcm}
database=${OTRCM_PG_DATABASE:-otrcm}

log() { printf 'postgres: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

install() {
  if command -v pg_lsclusters >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    return 0
  fi
  log "installing Debian's postgresql package"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

ready() { pg_isready -q -h "$host" -p "$port"; }

start() {
  if ready; then return 0; fi
  local version cluster
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  cluster=$(pg_lsclusters -h | awk -v v="$version" '$1 == v {print $2; exit}')
  if [ -z "$cluster" ]; then
    cluster=main
    log "creating cluster $version/$cluster"
    as_root pg_createcluster "$version" "$cluster" -p "$port" >/dev/null
  fi
  log "starting cluster $version/$cluster on $host:$port"
  as_root pg_ctlcluster "$version" "$cluster" start
  mkdir -p "$var"
  echo "$version $cluster" > "$var/postgres.started"
  local deadline=$((SECONDS + 60))
  until ready; do
    if [ $SECONDS -ge $deadline ]; then log "not ready within 60 s"; return 1; fi
    sleep 0.5
  done
}

provision() {
  as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 -d postgres <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password';
  END IF;
END \$\$;
SQL
  if ! as_postgres psql -tA -p "$port" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    as_postgres createdb -p "$port" -O "$role" "$database"
  fi
}

case "${1:-}" in
  up)
    install
    start
    provision
    log "ready: postgresql+asyncpg://$role:***@$host:$port/$database"
    ;;
  down)
    if [ -f "$var/postgres.started" ]; then
      read -r version cluster < "$var/postgres.started"
      as_root pg_ctlcluster "$version" "$cluster" stop
      rm -f "$var/postgres.started"
    else
      log "not started by this script; leaving it alone"
    fi
    ;;
  restart)
    read -r version cluster < <(pg_lsclusters -h | awk -v p="$port" '$3 == p {print $1, $2; exit}')
    if [ -z "${cluster:-}" ]; then log "no cluster on port $port"; exit 1; fi
    log "restarting cluster $version/$cluster"
    as_root pg_ctlcluster "$version" "$cluster" restart -m fast
    deadline=$((SECONDS + 60))
    until ready; do
      if [ $SECONDS -ge $deadline ]; then log "not ready within 60 s"; exit 1; fi
      sleep 0.2
    done
    ;;
  status) ready ;;
  *) echo "usage: $0 up|down|restart|status" >&2; exit 2 ;;
esac
