#!/bin/bash
# The damaged-frame question without the JDK's WebSocket client (issue 17; docs/benchmarks.md, heap section):
# Payara Micro 6 on PostgreSQL (database taskpulse_raw on 127.0.0.1, dropped and created again) with the board's 100
# tasks, then ROUNDS rounds of N strict raw clients at once (raw_frames.py), each reading TaskPulse's multi-part
# snapshot byte by byte. A connection whose bytes break a rule is kept whole under bench/target/raw-frames/frames.
#
#   mvn -q package -DskipTests
#   bench/heap-probe/raw-frames.sh [ROUNDS] [N] [PREBOOT]    # default 3 rounds of 1,000; about a minute
#
# PREBOOT: a Payara pre-boot command file (the run command passes src/main/payara/preboot.asadmin).
# RAW_HANDSHAKES_AT_ONCE (environment, default 200): handshakes in flight at most; N sends them all at once.
set -euo pipefail
ROUNDS=${1:-3}
N=${2:-1000}
PREBOOT=${3:+--prebootcommandfile $3}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/board.sh"
ROOT=$(cd "$HERE/../.." && pwd)
WAR=$ROOT/target/taskpulse.war
PAYARA=$(ls ~/.m2/repository/fish/payara/extras/payara-micro/6.*/payara-micro-6.*.jar | tail -1)
OUT=$ROOT/bench/target/raw-frames
PORT=18660
[ -f "$WAR" ] || { echo "build the WAR first: mvn -q package -DskipTests" >&2; exit 2; }
rm -rf "$OUT"; mkdir -p "$OUT"
psql -q -h 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS taskpulse_raw' -c 'CREATE DATABASE taskpulse_raw' 2>/dev/null
java -Xmx1g -Djava.io.tmpdir="$OUT" -Dtaskpulse.db.url=jdbc:postgresql://127.0.0.1:5432/taskpulse_raw \
    -Dtaskpulse.db.user=postgres -Dtaskpulse.demo=false -Dtaskpulse.websocket.per-address=1000000 \
    -Dtaskpulse.write.token=raw-frames -jar "$PAYARA" --deploy "$WAR" --contextroot / \
    --port $PORT --nohazelcast $PREBOOT > "$OUT/payara.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
fill_board $PORT raw-frames
ulimit -n "$(ulimit -Hn)"      # N sockets in this process; the server needs as many (10,000: see docs/benchmarking.md)
python3 "$HERE/raw_frames.py" "ws://127.0.0.1:$PORT/ws/tasks" "$N" "$OUT/frames" "$ROUNDS"
