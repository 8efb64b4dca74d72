#!/usr/bin/env bash
# What PostgreSQL's backends of one database are doing, sampled: every 0.1 s for SECONDS, each non-idle backend's
# state, wait event and statement; then how often each combination was seen, most frequent first. Run it beside a
# benchmark phase to see what a phase waits on (issue 17: the writes phase, docs/benchmarks.md).
#
#   bench/pg-waits.sh [DATABASE] [SECONDS]        defaults: taskpulse_bench 10
set -euo pipefail
database=${1:-taskpulse_bench}
seconds=${2:-10}
samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
end=$((SECONDS + seconds))
rounds=0
while [ "$SECONDS" -lt "$end" ]; do
  psql -qAt -h 127.0.0.1 -U postgres -d postgres -v db="$database" >>"$samples" <<'SQL'
select state, coalesce(wait_event_type, '-'), coalesce(wait_event, '-'), left(regexp_replace(query, '\s+', ' ', 'g'), 90)
from pg_stat_activity where datname = :'db' and state <> 'idle' and pid <> pg_backend_pid();
SQL
  rounds=$((rounds + 1))
  sleep 0.1
done
echo "$rounds rounds, $(wc -l <"$samples") backend samples in $database (state | wait type | wait event | statement):"
sort "$samples" | uniq -c | sort -rn | head -20
