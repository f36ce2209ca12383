#!/usr/bin/env bash
# Runs a command with a throw-away redis-server on 127.0.0.1: installs it from Debian when it is
# missing, starts it on a free port without persistence, exports its URL as LAYERLOOM_REDIS_URL,
# and stops it by pid when the command ends (whatever its outcome).
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server from Debian..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
fi

port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
workdir=$(mktemp -d)
pidfile="$workdir/redis.pid"
redis-server --bind 127.0.0.1 --port "$port" --daemonize yes --save '' --appendonly no \
  --pidfile "$pidfile" --dir "$workdir" --logfile "$workdir/redis.log" --maxmemory-policy noeviction

stop_redis() {
  if [ -f "$pidfile" ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap stop_redis EXIT

for _ in $(seq 1 100); do
  if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ]; then break; fi
  sleep 0.1
done
if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" != "PONG" ]; then
  echo "redis-server did not answer PING on port $port" >&2
  cat "$workdir/redis.log" >&2 || true
  exit 1
fi
echo "redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/') on 127.0.0.1:$port (pid $(cat "$pidfile"))"
export LAYERLOOM_REDIS_URL="redis://127.0.0.1:$port"
"$@"
