# Sourced by the probes here: waits for TaskPulse on 127.0.0.1:$1 and fills its board with the 100 tasks both
# probes measure against (a name and a one-sentence description each), writing with the bearer token $2.
fill_board() {
    local port=$1 token=$2
    for _ in $(seq 1 180); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 1; done
    for i in $(seq 1 100); do
        curl -s -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            -d "{\"name\":\"probe-task-$i\",\"description\":\"a task of the default board, described in a sentence\"}" \
            "http://127.0.0.1:$port/api/tasks"
    done
}
