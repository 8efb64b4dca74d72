#!/usr/bin/env bash
# Start time of Payara Micro with one or more WARs, interleaved, on four databases:
#   derby-fresh     an empty derby.system.home (the schema is created)
#   derby-existing  the folder the derby-fresh run of the same WAR and round just left (nothing to migrate)
#   pg-fresh        a PostgreSQL database dropped and created before the run
#   pg-existing     the database the pg-fresh run just left
# For each: launch -> first HTTP 200 of /health (ms), and the migration step's own time, read from the server log
# line "Schema migration step took N ms" that every variant writes. Prints one Markdown table: median and range.
#
#   bench/startup.sh [-n ROUNDS] NAME=path/to.war [NAME=path/to.war ...]
#   bench/startup.sh --table results.tsv      (the table again, from a finished or interrupted run's raw results)
#
# Rounds interleave the WARs (A B C, B C A, ...), so that load from other processes on a shared machine spreads over
# all of them. Env: SCENARIOS (a subset, in this order: derby-existing needs derby-fresh before it, pg-existing
# pg-fresh), PAYARA_JAR, PORT (default 28480), PG (default 127.0.0.1:5432, user postgres, trust auth),
# JAVA (default java), OUT (logs; default /tmp/taskpulse-startup).
set -euo pipefail

# The Markdown table from a results file: name scenario round start_ms migration_ms [war_bytes].
table() {
    local results=$1 name s
    local names=() scenarios=()
    mapfile -t names < <(awk -F'\t' '!seen[$1]++ { print $1 }' "$results")
    mapfile -t scenarios < <(awk -F'\t' '!seen[$2]++ { print $2 }' "$results")
    printf '| WAR | bytes | starts |'; for s in "${scenarios[@]}"; do printf ' %s: to 200, ms median (min-max) | migration ms |' "$s"; done; echo
    printf '|---|---:|---:|'; for _ in "${scenarios[@]}"; do printf -- '---:|---:|'; done; echo
    for name in "${names[@]}"; do
        printf '| %s | %s | %s |' "$name" "$(awk -F'\t' -v n="$name" '$1 == n && $6 != "" { b = $6 } END { print b == "" ? "?" : b }' "$results")" \
            "$(awk -F'\t' -v n="$name" '$1 == n { c++ } END { print c }' "$results")"
        for s in "${scenarios[@]}"; do
            awk -F'\t' -v n="$name" -v s="$s" '
                $1 == n && $2 == s { t[++c] = $4; if ($5 != "NA") m[++d] = $5 }
                function median(a, k,   i, j, x) {
                    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { x = a[i]; a[i] = a[j]; a[j] = x }
                    return k == 0 ? "NA" : (k % 2 ? a[(k + 1) / 2] : int((a[k / 2] + a[k / 2 + 1]) / 2))
                }
                END {
                    if (c == 0) { printf " - | - |"; exit }
                    lo = t[1]; hi = t[1]; for (i = 1; i <= c; i++) { if (t[i] + 0 < lo + 0) lo = t[i]; if (t[i] + 0 > hi + 0) hi = t[i] }
                    printf " %s (%s-%s) | %s |", median(t, c), lo, hi, median(m, d)
                }' "$results"
        done
        echo
    done
}

if [[ "${1:-}" == "--table" ]]; then table "$2"; exit 0; fi

rounds=3
if [[ "${1:-}" == "-n" ]]; then rounds=$2; shift 2; fi
[[ $# -ge 1 ]] || { sed -n 2,14p "$0"; exit 2; }

PAYARA_JAR=${PAYARA_JAR:-$HOME/.m2/repository/fish/payara/extras/payara-micro/6.2025.10/payara-micro-6.2025.10.jar}
PORT=${PORT:-28480}
JAVA=${JAVA:-java}
OUT=${OUT:-/tmp/taskpulse-startup}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
read -r -a scenarios <<< "${SCENARIOS:-derby-fresh derby-existing pg-fresh pg-existing}"

names=(); wars=()
for arg in "$@"; do names+=("${arg%%=*}"); wars+=("$(realpath "${arg#*=}")"); done
rm -rf "$OUT"; mkdir -p "$OUT"
results="$OUT/results.tsv"   # name scenario round start_ms migration_ms war_bytes
: > "$results"

psql_do() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qAtc "$1" >/dev/null; }

# One server start; prints "start_ms migration_ms". Stops the server it started (by its pid) before returning.
run() {
    local war=$1 scenario=$2 derby=$3 db=$4 log=$5
    local props=(-Dderby.system.home="$derby" -Dderby.stream.error.file="$derby/derby.log" -Djava.io.tmpdir="$OUT/tmp")
    if [[ $scenario == pg-* ]]; then
        props+=(-Dtaskpulse.db.url="jdbc:postgresql://$PG_HOST:$PG_PORT/$db" -Dtaskpulse.db.user=postgres)
    fi
    mkdir -p "$OUT/tmp"
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then echo "port $PORT is in use" >&2; exit 1; fi
    local t0 t1 pid code=000
    t0=$(date +%s%N)
    "$JAVA" "${props[@]}" -jar "$PAYARA_JAR" --deploy "$war" --contextroot / --port "$PORT" --nohazelcast >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 1800); do   # 180 s
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health" || true)
        [[ $code == 200 ]] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    t1=$(date +%s%N)
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [[ $code != 200 ]]; then echo "no 200 from /health: $log" >&2; exit 1; fi
    local migration
    migration=$(grep -o 'Schema migration step took [0-9,]* ms' "$log" | head -1 | tr -dc '0-9')
    echo "$(( (t1 - t0) / 1000000 )) ${migration:-NA}"
}

count=${#names[@]}
for round in $(seq 1 "$rounds"); do
    for k in $(seq 0 $((count - 1))); do
        i=$(( (k + round - 1) % count ))
        name=${names[$i]}; war=${wars[$i]}
        derby="$OUT/derby-$name-$round"; rm -rf "$derby"; mkdir -p "$derby"
        db="taskpulse_startup_$name"
        psql_do "DROP DATABASE IF EXISTS $db WITH (FORCE)"; psql_do "CREATE DATABASE $db"
        for scenario in "${scenarios[@]}"; do
            read -r ms mig < <(run "$war" "$scenario" "$derby" "$db" "$OUT/$name-$scenario-$round.log")
            printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$scenario" "$round" "$ms" "$mig" "$(stat -c %s "$war")" >> "$results"
            echo "round $round  $name  $scenario: ${ms} ms to 200, migration ${mig} ms" >&2
        done
        psql_do "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    done
done

echo
echo "Payara Micro $(basename "$PAYARA_JAR"), $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo
table "$results"
echo
echo "Raw results: $results; server logs: $OUT/"
