#!/usr/bin/env bash
# bench/queue-music-bench.sh -- CALLS callers waiting at once in a queue with music on the packaged server:
# the audio they receive (loss, jitter) and the server's CPU.
#
# Starts server/target/callibry-server.jar (built if missing) on a fresh data directory with its demo
# tenant (SIP on 127.0.0.1:$PORT), creates through the JSON-RPC API a queue ($QUEUE) whose one member is
# demo account 1005, never registered, so that every caller waits; then SIPp calls the queue CALLS times
# at RATE calls/s from demo accounts 1001 and 1002 (bench/queue-uac.xml, digest auth), each call's SDP
# naming a port of bench/rtp-sink.py (127.0.0.1:BASE+4i+2). Once all are waiting, the sink counts the
# RTP (music and announcements) for DURATION seconds while the server's CPU is sampled; then the calls
# hang up. The callers send no RTP: only the server-to-caller direction is measured.
#
# Env: CALLS=500 DURATION=20 RATE=50 ANNOUNCE=30 (announceEverySeconds; 0: music only) PORT=27060
#      BASE=52000 (sink ports) JFR=file.jfr (record a profile of the server)
# Output: one line "queue: ..." (see docs/performance.md); logs stay in the printed directory.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
CALLS=${CALLS:-500}; DURATION=${DURATION:-20}; RATE=${RATE:-50}; ANNOUNCE=${ANNOUNCE:-30}
PORT=${PORT:-27060}; BASE=${BASE:-52000}; QUEUE=${QUEUE:-599}
WORK=$(mktemp -d /tmp/callibry-queue-bench.XXXXXX)
SERVER=""; SINK=""; UAC=""

cleanup() {
    for p in $UAC $SINK $SERVER; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    echo "# logs in $WORK" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM
MEDIA_PORTS="30000 34999"
. bench/media-server.sh
agent=$(rpc account.list '{"query":"1005"}' | jq -c '.items[] | select(.number == "1005")')
tenant=$(jq .tenantId <<<"$agent")
queue=$(rpc queue.create "{\"tenantId\":$tenant,\"number\":\"$QUEUE\",\"name\":\"Bench wait\",\"strategy\":\"LINEAR\",
    \"members\":[{\"accountId\":$(jq .id <<<"$agent"),\"penalty\":0}],\"announceEverySeconds\":$ANNOUNCE}" | jq .id)
waiting() { rpc queue.waiting "{\"queueId\":$queue}" | jq length; }

# numbers 1001 and 1002 in turn, each call with its own sink port (as rtp-sink.py listens)
{ echo SEQUENTIAL; for i in $(seq 0 $((CALLS - 1))); do echo "100$((i % 2 + 1));$DEMO_PW;$((BASE + 4 * i + 2))"; done; } > "$WORK/callers.csv"
SETUP=$(( (CALLS + RATE - 1) / RATE + 5 ))   # seconds for every call to be up, with a margin
HOLD_MS=$(( (SETUP + DURATION + 5) * 1000 ))
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

bench/rtp-sink.py "$CALLS" "$DURATION" --base "$BASE" --warmup "$SETUP" > "$WORK/sink.out" &
SINK=$!
t0=$(date +%s.%N)
sipp 127.0.0.1:$PORT -sf bench/queue-uac.xml -s "$QUEUE" -inf "$WORK/callers.csv" -i 127.0.0.1 -p $((PORT + 9)) \
    -r "$RATE" -m "$CALLS" -l "$CALLS" -d "$HOLD_MS" -nostdin -trace_err -error_file "$WORK/sipp-errors.log" \
    > "$WORK/sipp.out" 2>&1 &
UAC=$!
n=0
while [ "$(echo "$(date +%s.%N) - $t0 < $SETUP" | bc)" = 1 ]; do
    n=$(waiting); [ "$n" -ge "$CALLS" ] && break; sleep 0.5
done
up=$(echo "$(date +%s.%N) - $t0" | bc)
echo "# $n of $CALLS callers waiting after $(printf %.1f "$up") s (window starts at $SETUP s)" >&2
sleep "$(echo "$SETUP - ($(date +%s.%N) - $t0)" | bc | sed 's/^-.*/0/')"
c0=$(cpu $SERVER); s0=$(cpu $SINK); w0=$(date +%s.%N)
sleep "$DURATION"
c1=$(cpu $SERVER); s1=$(cpu $SINK); w1=$(date +%s.%N)
after=$(waiting)
wait $SINK; SINK=""
res=$(cat "$WORK/sink.out")
uac=0; wait $UAC || uac=$?; UAC=""
ok=$(awk -F'|' '/Successful call/ { gsub(/ /, "", $3); v = $3 } END { print v + 0 }' "$WORK/sipp.out")
hz=$(getconf CLK_TCK)
pps=$(sed -n 's/.*recv_pps=\([0-9.]*\).*/\1/p' <<<"$res")
echo "queue: callers=$CALLS waiting_before=$n waiting_after=$after $res expected_pps=$((CALLS * 50))" \
     "recv_vs_expected_pct=$(echo "scale=3; 100 * $pps / ($CALLS * 50)" | bc)" \
     "server_cpu=$(echo "$c0 $c1 $w0 $w1" | awk -v hz="$hz" '{ printf "%.2f", ($2 - $1) / hz / ($4 - $3) }')" \
     "sink_cpu=$(echo "$s0 $s1 $w0 $w1" | awk -v hz="$hz" '{ printf "%.2f", ($2 - $1) / hz / ($4 - $3) }')" \
     "calls_ok=$ok sipp_exit=$uac load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
