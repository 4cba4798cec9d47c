#!/usr/bin/env bash
# bench/queue-bench.sh -- ACD: queue calls delivered per second to AGENTS SIPp agents.
#
# Starts the packaged server (server/target/callibry-server.jar; built if missing) on a fresh data
# directory (demo off, SIP on 127.0.0.1:$PORT, its media server on its own SIP port and RTP range),
# provisions a tenant with domain bench.local, AGENTS accounts 7000.. (password pw7000..; straight into
# its database like sip-bench.sh), a trusted peer for the load generator (127.0.0.1, so callers need no
# digest and dial the queue number as the tenant's), a LOCAL route for the agents' numbers (the media
# server's offers go through the routes) and queue 8000 with every agent as member (STRATEGY, wrap-up
# 0, no announcements). Registers the agents with one SIPp run (all on one contact port), then for each
# rate of RATES: one SIPp UAS answers every offer on that port (bench/sipp/queue-agent.xml: 180, 200,
# talks HOLD_MS, BYE) while a SIPp UAC calls the queue at the rate for DURATION s
# (bench/sipp/queue-caller.xml: waits for the BYE that follows the agent's hang-up).
#
# Env: PORT=36060 (HTTP PORT+1, media SIP PORT+2, ng PORT+3, agents PORT+10, callers PORT+11)
#      AGENTS=100  RATES="25 50 75 100"  DURATION=30  HOLD_MS=1000  STRATEGY=LEAST_RECENT
#      WARMUP=30 WARMUP_RATE=50 (calls before measuring, so the JIT has compiled the call path; 0: none)
#      MAX_WAIT_S=60 (a caller not hung up this long after its last message counts as failed)
#      RTP_MIN=40000 RTP_MAX=44999  JFR=file.jfr (record a profile)  JAVA_OPTS  SERVER_ARGS
#      AGENT_SIPP_ARGS (more options for the agents' SIPp, e.g. -trace_msg)
# Output: a "#" line (commit, settings, load average, the idle server's CPU), then one line per rate:
#   offered/s, calls, ok, failed (callers' SIPp failures, plus calls that never ended), delivered/s
#   (offers that reached an agent within the DURATION window / DURATION), agent_ok, agent_failed,
#   wait_ms avg/p50/p95/max (the caller's 200 from the media server to its BYE, less HOLD_MS: the wait
#   in the queue plus the offer's set-up and the BYE's way back), answer_avg_ms (INVITE to the media
#   server's 200), waiting_max (queue.waiting sampled each second), server_cpu (cores, user + system
#   of the server process during the DURATION window), cpu_ms/call (server_cpu / delivered/s), box_cpu
#   (cores busy on the whole machine meanwhile: the server, both SIPps and anything else running),
#   drain_s (the callers' run, until the last call ended).
# Then the highest rate with < 1 % failed calls and the count of errors and warnings the server logged.
# Logs (server, SIPp statistics, errors, per-call times) stay in the work directory printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
PORT=${PORT:-36060}
AGENTS=${AGENTS:-100}
RATES=${RATES:-"25 50 75 100"}
DURATION=${DURATION:-30}
HOLD_MS=${HOLD_MS:-1000}
STRATEGY=${STRATEGY:-LEAST_RECENT}
MAX_WAIT_S=${MAX_WAIT_S:-60}
WARMUP=${WARMUP:-30}
WARMUP_RATE=${WARMUP_RATE:-50}
RTP_MIN=${RTP_MIN:-40000}
RTP_MAX=${RTP_MAX:-44999}
HTTP=$((PORT + 1)); MEDIA_SIP=$((PORT + 2)); NG=$((PORT + 3))
AGENT_PORT=$((PORT + 10)); CALLER_PORT=$((PORT + 11))
QUEUE=8000
ADMIN_PW=bench-admin-pw
SCEN=$(pwd)/bench/sipp
REGISTER=$(pwd)/server/src/test/resources/sipp/register.xml
WORK=$(mktemp -d /tmp/callibry-queue-bench.XXXXXX)

for tool in sipp psql curl jq; do
    command -v $tool >/dev/null || { echo "needs $tool (apt-get install sip-tester postgresql-client curl jq)" >&2; exit 1; }
done
[ -f server/target/callibry-server.jar ] || mvn -B -q -o -DskipTests -pl server -am package
ulimit -n "$(ulimit -Hn)"

JVM_OPTS=(-Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError)
[ -n "${JFR:-}" ] && JVM_OPTS+=(-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true)
# shellcheck disable=SC2206
[ -n "${JAVA_OPTS:-}" ] && JVM_OPTS+=($JAVA_OPTS)
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" "${JVM_OPTS[@]}" -jar server/target/callibry-server.jar \
    --server.port=$HTTP --callibry.data-dir="$WORK/data" --callibry.demo.enabled=false \
    --callibry.admin.password=$ADMIN_PW --callibry.sip.bind-address=127.0.0.1 --callibry.sip.port=$PORT \
    --callibry.sip.advertised-address=127.0.0.1 --callibry.sip.tls-port=0 \
    --callibry.media.bind-address=127.0.0.1 --callibry.media.sip-port=$MEDIA_SIP \
    --callibry.media.node.ng-address=127.0.0.1:$NG --callibry.media.port-min=$RTP_MIN \
    --callibry.media.port-max=$RTP_MAX --callibry.media.stun.port=0 --callibry.media.node.heartbeat-port=0 \
    --logging.level.root=WARN --logging.level.org.callibry.server.ops.internal=INFO ${SERVER_ARGS:-} \
    > "$WORK/server.log" 2>&1 &
SERVER=$!
SAMPLER=""
cleanup() {
    [ -z "$SAMPLER" ] || kill "$SAMPLER" 2>/dev/null || true
    kill $SERVER 2>/dev/null || true
    wait $SERVER 2>/dev/null || true
    # a server that died (OutOfMemoryError) leaves its embedded PostgreSQL running
    local pg; pg=$(head -1 "$WORK/data/pgdata/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pg" ] && grep -qs "$WORK" "/proc/$pg/cmdline"; then kill "$pg" 2>/dev/null || true; fi
    echo "# logs in $WORK" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM
for _ in $(seq 120); do grep -q "healthy in" "$WORK/server.log" && break; sleep 0.5; done
grep -q "healthy in" "$WORK/server.log" || { echo "server did not start" >&2; tail -30 "$WORK/server.log" >&2; exit 1; }
PGPORT=$(grep -o "Embedded PostgreSQL up on 127.0.0.1:[0-9]*" "$WORK/server.log" | grep -o "[0-9]*$")

TOKEN=""
rpc() { # JSON-RPC as admin (a bearer token: Basic would run BCrypt on every call); prints the result, fails on an error
    local out
    out=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "http://127.0.0.1:$HTTP/api/rpc" \
        -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}")
    if [ "$(jq 'has("error")' <<< "$out")" = true ]; then echo "$1: $out" >&2; return 1; fi
    jq -c .result <<< "$out"
}
TOKEN=$(rpc auth.login "{\"user\":\"admin\",\"password\":\"$ADMIN_PW\"}" | jq -r .token)
TENANT=$(rpc tenant.create '{"name":"Queue bench"}' | jq .id)
DOMAIN=$(rpc domain.create "{\"tenantId\":$TENANT,\"name\":\"bench.local\",\"localAlias\":true}" | jq .id)
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres postgres <<SQL
insert into sip_account (tenant_id, domain_id, number, ha1_md5, ha1_sha256)
select $TENANT, $DOMAIN, (7000 + i)::text, md5((7000 + i) || ':bench.local:pw' || (7000 + i)),
       encode(sha256(convert_to((7000 + i) || ':bench.local:pw' || (7000 + i), 'UTF8')), 'hex')
from generate_series(0, $AGENTS - 1) i;
SQL
# the accounts went in behind the API's back: a domain change makes the SIP cache reload everything
rpc domain.update "{\"id\":$DOMAIN,\"localAlias\":true}" > /dev/null
rpc peer.create "{\"name\":\"load generator\",\"address\":\"127.0.0.1\",\"tenantId\":$TENANT}" > /dev/null
rpc route.create '{"name":"bench agents","priority":1,"bNumberMask":"^7\\d{3}$","destinationType":"LOCAL"}' > /dev/null
MEMBERS=$(psql -qtA -h 127.0.0.1 -p "$PGPORT" -U postgres postgres \
    -c "select id from sip_account where domain_id = $DOMAIN order by number" | jq -sc 'map({accountId: ., penalty: 0})')
QUEUE_ID=$(rpc queue.create "{\"tenantId\":$TENANT,\"number\":\"$QUEUE\",\"name\":\"Bench\",\"strategy\":\"$STRATEGY\",
    \"members\":$MEMBERS,\"announceEverySeconds\":0,\"wrapUpSeconds\":0,\"ringTimeoutSeconds\":20}" | jq .id)

# the agents register one contact port, where the UAS runs later
printf 'SEQUENTIAL\n' > "$WORK/agents.csv"
for i in $(seq 0 $((AGENTS - 1))); do echo "$((7000 + i));pw$((7000 + i));3600" >> "$WORK/agents.csv"; done
(cd "$WORK" && sipp 127.0.0.1:$PORT -sf "$REGISTER" -inf agents.csv -i 127.0.0.1 -p $AGENT_PORT -mp $((PORT + 20)) \
    -r 50 -m "$AGENTS" -nostdin -trace_err > register.log 2>&1) || { echo "agents did not register, see $WORK/register.log" >&2; exit 1; }
free=0
for _ in $(seq 40); do
    free=$(rpc agent.list "{\"tenantId\":$TENANT}" | jq '[.[] | select(.state == "FREE")] | length')
    [ "$free" -ge "$AGENTS" ] && break; sleep 0.5
done
[ "$free" -ge "$AGENTS" ] || { echo "only $free of $AGENTS agents FREE" >&2; exit 1; }

cpu() { awk '{ print $14 + $15 }' /proc/$SERVER/stat 2>/dev/null || echo 0; }
HZ=$(getconf CLK_TCK)
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; } # all processes, user + system + irq
cores() { awk -v c0="$1" -v c1="$2" -v t0="$3" -v t1="$4" -v hz="$HZ" 'BEGIN { printf "%.2f", (c1 - c0) / hz / (t1 - t0) }'; }
# the last row of a SIPp statistics file: its cumulative counters, by column name
last() {
    [ -f "$1" ] || { echo 0; return; }
    awk -F';' -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next } { v = $c } END { print v + 0 }' "$1"
}
sleep 2; c0=$(cpu); t0=$(date +%s.%N); sleep 5; c1=$(cpu); t1=$(date +%s.%N)
echo "# callibry $(git rev-parse --short HEAD) pid=$SERVER sip=127.0.0.1:$PORT agents=$AGENTS queue=$QUEUE ($STRATEGY)" \
    "hold=${HOLD_MS}ms duration=${DURATION}s warmup=${WARMUP}s@${WARMUP_RATE}/s nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)" \
    "idle_cpu=$(cores "$c0" "$c1" "$t0" "$t1")" >&2

# one step: the agents' UAS, the sampler of the waiting list, the callers at $1 calls/s for $2 s; prints the result line
step() {
    local rate=$1 duration=$2 D="$WORK/$3" calls uas uac c0 c1 b0 b1 t0 t1 t2 ok failed a_ok a_failed delivered wait_stats answer wmax
    calls=$((rate * duration)); mkdir -p "$D"
    (cd "$D" && exec sipp -sf "$SCEN/queue-agent.xml" -i 127.0.0.1 -p $AGENT_PORT -mp $((PORT + 20)) -d "$HOLD_MS" \
        -nostdin -trace_logs -trace_err -trace_stat -stf agents-stat.csv -fd 1 ${AGENT_SIPP_ARGS:-} > agents.out 2>&1) &
    uas=$!
    sleep 1
    (while true; do rpc queue.waiting "{\"queueId\":$QUEUE_ID}" | jq length || echo 0; sleep 1; done > "$D/waiting.txt" 2>/dev/null) &
    SAMPLER=$!
    c0=$(cpu); b0=$(busy); t0=$(date +%s.%N)
    (cd "$D" && exec timeout $((duration + MAX_WAIT_S + 60)) sipp 127.0.0.1:$PORT -sf "$SCEN/queue-caller.xml" -s $QUEUE \
        -i 127.0.0.1 -p $CALLER_PORT -mp $((PORT + 30)) -r "$rate" -m "$calls" -l $((rate * (MAX_WAIT_S + 10))) \
        -recv_timeout $((MAX_WAIT_S * 1000)) -nostdin -trace_err -trace_rtt -rtt_freq 1 -trace_stat \
        -stf callers-stat.csv -fd 1 > callers.out 2>&1) &
    uac=$!
    sleep "$duration"
    c1=$(cpu); b1=$(busy); t1=$(date +%s.%N) # the server's CPU (and the box's) while calls are offered
    wait $uac || true
    t2=$(date +%s.%N)
    kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
    sleep 1
    kill -USR1 $uas 2>/dev/null || true
    for _ in $(seq 20); do kill -0 $uas 2>/dev/null || break; sleep 0.5; done
    kill $uas 2>/dev/null || true; wait $uas 2>/dev/null || true

    ok=$(last "$D/callers-stat.csv" "SuccessfulCall(C)"); failed=$(last "$D/callers-stat.csv" "FailedCall(C)")
    if [ $((calls - ok)) -gt "$failed" ]; then failed=$((calls - ok)); fi # calls that never ended count as failed
    a_ok=$(last "$D/agents-stat.csv" "SuccessfulCall(C)"); a_failed=$(last "$D/agents-stat.csv" "FailedCall(C)")
    # offers that reached an agent within [t0, t0 + duration]
    delivered=$(cat "$D"/queue-agent_*_logs.log 2>/dev/null | awk -v t0="$t0" -v d="$duration" \
        '$1 == "offer" { t = $2 + $3 / 1e6; if (t >= t0 && t < t0 + d) n++ } END { printf "%.1f", n / d }')
    # rtt file: Date_ms;response_time_ms;rtd_no -- "wait" is the caller's 200 to its BYE, less the talk time
    wait_stats=$(cat "$D"/queue-caller_*_rtt.csv 2>/dev/null | awk -F';' -v hold="$HOLD_MS" '$3 == "wait" { print $2 - hold }' \
        | sort -n | awk '{ v[NR] = $1; s += $1 }
        END { if (NR == 0) { print "-/-/-/-"; exit }
              p50 = int(NR * 0.5); if (p50 < NR * 0.5) p50++; p95 = int(NR * 0.95); if (p95 < NR * 0.95) p95++
              printf "%.0f/%.0f/%.0f/%.0f", s / NR, v[p50], v[p95], v[NR] }')
    answer=$(cat "$D"/queue-caller_*_rtt.csv 2>/dev/null | awk -F';' '$3 == "answer" { s += $2; n++ } END { printf "%.0f", n ? s / n : -1 }')
    wmax=$(sort -n "$D/waiting.txt" | tail -1)
    awk -v r="$rate" -v calls="$calls" -v ok="$ok" -v f="$failed" -v dl="$delivered" -v aok="$a_ok" -v af="$a_failed" \
        -v w="$wait_stats" -v ans="$answer" -v wm="${wmax:-0}" -v cpu="$(cores "$c0" "$c1" "$t0" "$t1")" -v box="$(cores "$b0" "$b1" "$t0" "$t1")" \
        -v drain="$(awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%.1f", b - a }')" 'BEGIN {
        printf "offered/s=%d calls=%d ok=%d failed=%d (%.2f%%) delivered/s=%s agent_ok=%d agent_failed=%d", r, calls, ok, f, 100 * f / calls, dl, aok, af
        printf " wait_ms avg/p50/p95/max=%s answer_avg_ms=%s waiting_max=%s server_cpu=%s cpu_ms/call=%.1f box_cpu=%s drain_s=%s\n",
            w, ans, wm, cpu, (dl > 0 ? 1000 * cpu / dl : 0), box, drain }'
    [ $((failed * 100)) -lt "$calls" ]
}

# warm-up: the JIT compiles the call path (not reported; the first minute of calls costs twice the CPU)
if [ "$WARMUP" -gt 0 ]; then step "$WARMUP_RATE" "$WARMUP" warmup > "$WORK/warmup.txt" || true; sleep 3; fi
best=""
for RATE in $RATES; do
    if step "$RATE" "$DURATION" "rate-$RATE" && [ "$RATE" -gt "${best:-0}" ]; then best=$RATE; fi
    kill -0 $SERVER 2>/dev/null || { echo "the server process ended: $(grep -m1 -E 'OutOfMemoryError|Terminating' "$WORK/server.log" || tail -1 "$WORK/server.log")"; break; }
    sleep 3
done
echo "highest rate with < 1 % failed calls: ${best:-none} calls/s (server log after start-up:" \
    "$(awk '/healthy in/ { s = 1; next } s && / ERROR / { n++ } END { print n + 0 }' "$WORK/server.log") errors," \
    "$(awk '/healthy in/ { s = 1; next } s && / WARN / { n++ } END { print n + 0 }' "$WORK/server.log") warnings)"
