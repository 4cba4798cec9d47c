#!/usr/bin/env bash
# bench/ivr-bench.sh -- CALLS callers in an IVR scenario at once on the packaged server, prompts playing
# and digits collected: the audio they receive (loss, jitter), the digits the scenario acted on, and the
# server's CPU.
#
# Starts server/target/callibry-server.jar (built if missing) on a fresh data directory with its demo
# tenant (SIP on 127.0.0.1:$PORT), creates through the JSON-RPC API a scenario ($NUMBER) that loops on a
# menu: its prompt (demo-welcome), 3 s for a digit, again; digit 1 says the caller's number and returns
# to the menu. SIPp calls it CALLS times at RATE calls/s from demo accounts 1001 and 1002
# (bench/queue-uac.xml, digest auth), each call's SDP naming a port of bench/rtp-sink.py
# (127.0.0.1:BASE+4i+2), which counts the RTP for DURATION seconds once every call is up and answers
# each stream with an RFC 4733 digit 1 every DTMF seconds. After the calls hang up, the traces of the
# last 200 runs (ivr.runs) tell how many digits the scenario acted on, beside the digits the sink sent
# to the last 200 calls (calls start in order, so these are the same calls).
#
# Env: CALLS=500 DURATION=30 RATE=50 DTMF=4 PORT=27070 BASE=53000 JFR=file.jfr (a profile of the server)
# Output: one line "ivr: ..." (see docs/performance.md); logs stay in the printed directory.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
CALLS=${CALLS:-500}; DURATION=${DURATION:-30}; RATE=${RATE:-50}; DTMF=${DTMF:-4}
PORT=${PORT:-27070}; BASE=${BASE:-53000}; NUMBER=${NUMBER:-799}
WORK=$(mktemp -d /tmp/callibry-ivr-bench.XXXXXX)
SERVER=""; SINK=""; UAC=""

cleanup() {
    for p in $UAC $SINK $SERVER; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    echo "# logs in $WORK" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM
MEDIA_PORTS="35000 39999"
. bench/media-server.sh
tenant=$(rpc account.list '{"query":"1001"}' | jq '.items[] | select(.number == "1001") | .tenantId')
scenario='{"start":"menu","nodes":[
  {"id":"menu","type":"menu","prompt":["demo-welcome"],"options":{"1":"number"},"timeoutSeconds":3,"attempts":1,
   "timeout":"menu","invalid":"menu"},
  {"id":"number","type":"say","kind":"digits","value":"${caller}","next":"menu"}]}'
ivr=$(rpc ivr.create "{\"tenantId\":$tenant,\"name\":\"Bench menu\",\"number\":\"$NUMBER\",\"scenario\":$scenario}" | jq .id)

{ echo SEQUENTIAL; for i in $(seq 0 $((CALLS - 1))); do echo "100$((i % 2 + 1));$DEMO_PW;$((BASE + 4 * i + 2))"; done; } > "$WORK/callers.csv"
SETUP=$(( (CALLS + RATE - 1) / RATE + 5 ))   # seconds for every call to be up, with a margin
HOLD_MS=$(( (SETUP + DURATION + 5) * 1000 ))
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

bench/rtp-sink.py "$CALLS" "$DURATION" --base "$BASE" --warmup "$SETUP" --dtmf-every "$DTMF" > "$WORK/sink.out" &
SINK=$!
sipp 127.0.0.1:$PORT -sf bench/queue-uac.xml -s "$NUMBER" -inf "$WORK/callers.csv" -i 127.0.0.1 -p $((PORT + 9)) \
    -r "$RATE" -m "$CALLS" -l "$CALLS" -d "$HOLD_MS" -nostdin -trace_err -error_file "$WORK/sipp-errors.log" \
    > "$WORK/sipp.out" 2>&1 &
UAC=$!
sleep "$SETUP"
c0=$(cpu $SERVER); s0=$(cpu $SINK); w0=$(date +%s.%N)
sleep "$DURATION"
c1=$(cpu $SERVER); s1=$(cpu $SINK); w1=$(date +%s.%N)
wait $SINK; SINK=""
res=$(cat "$WORK/sink.out")
uac=0; wait $UAC || uac=$?; UAC=""
ok=$(awk -F'|' '/Successful call/ { gsub(/ /, "", $3); v = $3 } END { print v + 0 }' "$WORK/sipp.out")
sleep 2
runs=$(rpc ivr.runs "{\"id\":$ivr,\"limit\":200}")
sampled=$(jq length <<<"$runs")
acted=$(jq '[.[].trace.path[] | select(. == "number")] | length' <<<"$runs")
ends=$(jq -c '[.[].trace.end] | group_by(.) | map({(.[0]): length}) | add' <<<"$runs")
hz=$(getconf CLK_TCK)
pps=$(sed -n 's/.*recv_pps=\([0-9.]*\).*/\1/p' <<<"$res")
sent=$(sed -n 's/.*digits_sent_tail=\([0-9]*\).*/\1/p' <<<"$res")
tail=$(( CALLS < 200 ? CALLS : 200 ))
echo "ivr: callers=$CALLS $res expected_pps=$((CALLS * 50))" \
     "recv_vs_expected_pct=$(echo "scale=3; 100 * $pps / ($CALLS * 50)" | bc)" \
     "digits_per_call_sent_last$tail=$(echo "scale=2; $sent / $tail" | bc) runs_sampled=$sampled" \
     "digits_per_call_acted=$(echo "scale=2; $acted / ($sampled + ($sampled == 0))" | bc) ends=$ends" \
     "server_cpu=$(echo "$c0 $c1 $w0 $w1" | awk -v hz="$hz" '{ printf "%.2f", ($2 - $1) / hz / ($4 - $3) }')" \
     "sink_cpu=$(echo "$s0 $s1 $w0 $w1" | awk -v hz="$hz" '{ printf "%.2f", ($2 - $1) / hz / ($4 - $3) }')" \
     "calls_ok=$ok sipp_exit=$uac load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
