#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the db-diag tests.
#
#   scripts/pg-test.sh install            install Debian's postgresql when no server binaries exist
#   scripts/pg-test.sh start DIR [PID]    initdb in DIR, start on a free loopback port with
#                                         pg_stat_statements preloaded, load the fixtures, print the
#                                         DSN of database obby_test; with PID, stop and remove the
#                                         cluster once that process exits
#   scripts/pg-test.sh stop DIR           stop the cluster and remove DIR
#
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fixtures="$here/../tests/fixtures/db_diag"

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return 0
  fi
  return 1
}

install() {
  if find_bin >/dev/null; then return 0; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "pg-test: no PostgreSQL binaries and cannot apt-get install them" >&2
    return 1
  fi
  echo "pg-test: installing postgresql (apt-get)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  find_bin >/dev/null
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local port
  for port in $(shuf -i 20000-40000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

start() {
  local dir="$1" watch="${2:-}" bin port
  install
  bin="$(find_bin)"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && { id postgres >/dev/null 2>&1 || as_owner true; chown postgres "$dir"; }
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  # One role must give its password, so a test can fail authentication.
  printf 'host all app_pw 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\nlocal all all trust\n' \
    | as_owner tee "$dir/data/pg_hba.conf" >/dev/null
  port="$(free_port)"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements \
     -c autovacuum=off -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
    || { cat "$dir/server.log" >&2; return 1; }
  echo "$port" >"$dir/port"
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
  "${psql[@]}" -d postgres -c "CREATE DATABASE obby_test" -c "CREATE DATABASE obby_apply" \
    -c "CREATE ROLE app_pw LOGIN PASSWORD 'right-password'" >/dev/null
  # obby_test last: the fixture resets pg_stat_statements for the whole cluster.
  for db in obby_apply obby_test; do
    "${psql[@]}" -d "$db" -f "$fixtures/pg.sql" >/dev/null
  done
  if [ -n "$watch" ]; then
    # Stop the cluster once the test process is gone.
    nohup setsid bash -c "while kill -0 $watch 2>/dev/null; do sleep 1; done; '$0' stop '$dir'" \
      >/dev/null 2>&1 </dev/null &
  fi
  echo "postgres://postgres@127.0.0.1:$port/obby_test"
}

stop() {
  local dir="$1" bin
  bin="$(find_bin)" || true
  if [ -n "${bin:-}" ] && [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  install) install ;;
  start) start "${2:?usage: pg-test.sh start DIR [PID]}" "${3:-}" ;;
  stop) stop "${2:?usage: pg-test.sh stop DIR}" ;;
  *) echo "usage: pg-test.sh install | start DIR [PID] | stop DIR" >&2; exit 2 ;;
esac
