#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster: a temporary directory,
# a free loopback port, stopped and deleted when the command ends.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (DATABASE_URL is set for it)
set -euo pipefail
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$pg_bin" ] || { echo "PostgreSQL server not installed (run scripts/system-packages.sh)"; exit 1; }
workdir=$(mktemp -d /tmp/swc-pg.XXXXXX)
chmod 755 "$workdir"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres system user.
  chown postgres "$workdir"
  run_as=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT INT TERM
"${run_as[@]}" "$pg_bin/initdb" -D "$workdir/data" -U swc --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/postgres.log" -w \
  -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port"
export DATABASE_URL="postgres://swc@127.0.0.1:$port/swc"
"${run_as[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U swc swc
"$@"
