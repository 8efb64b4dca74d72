#!/bin/bash
# Heap per idle WebSocket, TaskPulse beside the floor (issue 17), by class: what each open socket keeps alive.
#
#   mvn -q package -DskipTests && mvn -q -f bench/pom.xml package -DskipTests
#   bench/heap-probe/heap-per-socket.sh [N]          # default N = 1000; about 5 minutes
#
# For each of three servers (TaskPulse; TaskPulse with pings off; the floor, bench-baselines' bare broadcast
# endpoint) it starts Payara Micro on PostgreSQL (database taskpulse_heap on 127.0.0.1, dropped and created again),
# fills the board with 100 tasks, opens N/2 then N idle sockets (Probe.java, one JDK HttpClient), and after each half
# takes a class histogram after a full GC (jcmd). Per socket = (histogram at N - histogram at N/2) / (N/2), so that
# what the server holds anyway cancels out. It prints TaskPulse's extra over the floor, by class, for both TaskPulse
# runs. Loopback only; every loop is bounded.
set -euo pipefail
N=${1:-1000}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/board.sh"
ROOT=$(cd "$HERE/../.." && pwd)
WAR=$ROOT/target/taskpulse.war
BASELINES=$ROOT/bench/target/bench-baselines.war
PAYARA=$(ls ~/.m2/repository/fish/payara/extras/payara-micro/6.*/payara-micro-6.*.jar | tail -1)
OUT=$ROOT/bench/target/heap-probe
PORT=18650
[ -f "$WAR" ] && [ -f "$BASELINES" ] || { echo "build the WARs first (see the head of this script)" >&2; exit 2; }
rm -rf "$OUT"; mkdir -p "$OUT"
SERVER=
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null' EXIT

one() { # name, socket path, first-message|nofirst, extra JVM options...
    local name=$1 path=$2 mode=$3; shift 3
    local dir=$OUT/$name; mkdir -p "$dir"
    psql -q -h 127.0.0.1 -U postgres -c 'DROP DATABASE IF EXISTS taskpulse_heap' -c 'CREATE DATABASE taskpulse_heap' 2>/dev/null
    java -Xmx1g "$@" -Djava.io.tmpdir="$OUT" -Dtaskpulse.db.url=jdbc:postgresql://127.0.0.1:5432/taskpulse_heap \
        -Dtaskpulse.db.user=postgres -Dtaskpulse.demo=false -Dtaskpulse.websocket.per-address=1000000 \
        -Dtaskpulse.write.token=heap-probe -jar "$PAYARA" --deploy "$WAR" --contextroot / \
        --deploy "$BASELINES:bench-baselines" --port $PORT --nohazelcast > "$dir/payara.log" 2>&1 &
    local pid=$!
    SERVER=$pid
    fill_board $PORT heap-probe
    histogram() { jcmd $pid GC.run > /dev/null; sleep 1; jcmd $pid GC.class_histogram > "$dir/histo-$1.txt"; }
    coproc PROBE { java "$HERE/Probe.java" "ws://127.0.0.1:$PORT$path" "$N" "$mode"; }
    local line
    read -r line <&"${PROBE[0]}"; echo "$name: $line"; sleep 5; histogram half; echo >&"${PROBE[1]}"
    read -r line <&"${PROBE[0]}"; echo "$name: $line"; sleep 5; histogram full; echo >&"${PROBE[1]}"
    wait "$PROBE_PID" 2>/dev/null || true
    kill $pid; wait $pid 2>/dev/null || true
}

one taskpulse /ws/tasks first
one taskpulse-no-ping /ws/tasks first -Dtaskpulse.websocket.ping=PT1H
one floor /bench-baselines/floor nofirst
python3 "$HERE/compare.py" "$OUT" $((N / 2))
