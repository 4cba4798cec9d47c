#!/usr/bin/env bash
# bench/sip-bench.sh -- SIP capacity of the Callibry server measured with SIPp, the same way
# ../shared/bench/sip-anchor/ measures Kamailio, in one run on this machine.
#
# Starts the packaged server (server/target/callibry-server.jar; built if missing) on a fresh data
# directory with SIP on 127.0.0.1:$PORT, provisions the anchor's users (user0..userN with password
# pwN, and "uas"/"pwuas") straight into its database (the API refuses passwords that short), a
# trusted peer for the load generator (127.0.0.1) and a route for "uas", warms the JVM up (REGISTERs,
# then INVITEs: the JIT compiles the hot paths before anything is measured), then runs the anchor
# script against it (AUTH=1: digest REGISTER) and the same against Kamailio:
#   1. like for like: the route relays no media, as the anchor's Kamailio relays none
#      (digest REGISTER, record-routing stateful proxy) -> "callibry:" and "kamailio:" lines;
#   2. the full path (FULL=1, the default): the route relays media through our relay, routes, writes
#      CDRs -> "callibry full path:", against Kamailio driving rtpengine through its rtpengine module
#      (bench/kamailio-rtpengine.cfg) -> "kamailio+rtpengine:" (invite mode only). rtpengine's own CPU
#      is printed beside it (rtpengine_cpu_s, over the whole run), since the anchor counts Kamailio's.
#
# Env: PORT=25060  USERS=10000  JFR=file.jfr (record a profile)  JAVA_OPTS (more JVM options)
#      ANCHOR_KAMAILIO=0 (skip Kamailio)  FULL=0 (skip the full path)  WARM_INVITE_S=30 (INVITE warm-up)
#      KEEP_SERVER_S=n (keep our server n s after its runs, to inspect it)
#      plus the anchor's DURATION, REPEATS, RATES, BISECT, MODES, PAUSE_MS.
# Output: the anchor's result line for each server and path, prefixed as above.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
ANCHOR=${ANCHOR:-../shared/bench/sip-anchor}
PORT=${PORT:-25060}
export USERS=${USERS:-10000}
export AUTH=1
WORK=$(mktemp -d /tmp/callibry-bench.XXXXXX)
HTTP=$((PORT + 1))
ADMIN_PW=bench-admin-pw

for tool in sipp psql; do
    command -v $tool >/dev/null || { echo "needs $tool (apt-get install sip-tester postgresql-client)" >&2; exit 1; }
done
[ -f server/target/callibry-server.jar ] || mvn -B -q -ntp -DskipTests -pl server -am package

JFR_OPTS=()
[ -n "${JFR:-}" ] && JFR_OPTS=(-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true)
"$JAVA_HOME/bin/java" -Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} "${JFR_OPTS[@]}" -jar server/target/callibry-server.jar \
    --server.port=$HTTP --callibry.data-dir="$WORK/data" --callibry.demo.enabled=false \
    --callibry.admin.password=$ADMIN_PW --callibry.sip.bind-address=127.0.0.1 --callibry.sip.port=$PORT \
    --callibry.sip.advertised-address=127.0.0.1 --logging.level.root=WARN \
    --logging.level.org.callibry.server.ops.internal=INFO ${SERVER_ARGS:-} > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; echo "# logs in $WORK" >&2' EXIT
for _ in $(seq 120); do grep -q "healthy in" "$WORK/server.log" && break; sleep 0.5; done
grep -q "healthy in" "$WORK/server.log" || { echo "server did not start" >&2; tail -30 "$WORK/server.log" >&2; exit 1; }
PGPORT=$(grep -o "Embedded PostgreSQL up on 127.0.0.1:[0-9]*" "$WORK/server.log" | grep -o "[0-9]*$")

rpc() { curl -s -u admin:$ADMIN_PW -H 'Content-Type: application/json' "http://127.0.0.1:$HTTP/api/rpc" -d "$1"; }
rpc '{"jsonrpc":"2.0","id":1,"method":"tenant.create","params":{"name":"Bench"}}' > /dev/null
rpc '{"jsonrpc":"2.0","id":2,"method":"domain.create","params":{"tenantId":1,"name":"bench.local","localAlias":true}}' > /dev/null
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres postgres <<SQL
insert into sip_account (tenant_id, domain_id, number, ha1_md5, ha1_sha256)
select 1, 1, 'user' || i, md5('user' || i || ':bench.local:pw' || i),
       encode(sha256(convert_to('user' || i || ':bench.local:pw' || i, 'UTF8')), 'hex')
from generate_series(0, $USERS - 1) i;
insert into sip_account (tenant_id, domain_id, number, ha1_md5, ha1_sha256)
values (1, 1, 'uas', md5('uas:bench.local:pwuas'), encode(sha256(convert_to('uas:bench.local:pwuas', 'UTF8')), 'hex'));
SQL
# the accounts went in behind the API's back: a domain change makes the SIP cache reload everything
rpc '{"jsonrpc":"2.0","id":3,"method":"domain.update","params":{"id":1,"localAlias":true}}' > /dev/null
rpc '{"jsonrpc":"2.0","id":4,"method":"peer.create","params":{"name":"load generator","address":"127.0.0.1","tenantId":1}}' > /dev/null
ROUTE_ID=$(rpc '{"jsonrpc":"2.0","id":5,"method":"route.create","params":{"name":"bench uas","priority":1,"bNumberMask":"^uas$","destinationType":"LOCAL","relayMedia":false}}' \
    | grep -o '"id":[0-9]*' | tail -1 | cut -d: -f2)
[ -n "$ROUTE_ID" ] || { echo "route.create failed" >&2; exit 1; }
relay() { rpc '{"jsonrpc":"2.0","id":6,"method":"route.update","params":{"id":'"$ROUTE_ID"',"relayMedia":'"$1"'}}' > /dev/null; }

# warm-up: a JVM runs interpreted until the JIT has compiled the hot paths; measure the warm server
printf 'SEQUENTIAL\n' > "$WORK/warm.csv"; for i in $(seq 0 199); do echo "user$i;pw$i" >> "$WORK/warm.csv"; done
timeout 60 sipp 127.0.0.1:$PORT -sf "$ANCHOR/register-auth.xml" -inf "$WORK/warm.csv" -i 127.0.0.1 -p 25999 -r 500 -m 10000 \
    -nostdin -cp 25998 > "$WORK/warmup.log" 2>&1 || true
relay true   # the relay's code paths warm up too
DURATION=${WARM_INVITE_S:-30} RATES=200 REPEATS=1 BISECT=0 MODES=invite "$ANCHOR/run-sip-anchor.sh" 127.0.0.1:$PORT \
    > "$WORK/warmup-invite.log" 2>&1 || true
relay false
echo "# callibry $(git rev-parse --short HEAD) pid=$SERVER sip=127.0.0.1:$PORT users=$USERS (warmed up with 10,000 REGISTERs and ${WARM_INVITE_S:-30} s of calls)" >&2
RESULT=$(TARGET_PID=$SERVER "$ANCHOR/run-sip-anchor.sh" 127.0.0.1:$PORT | tail -1)
echo "callibry: $RESULT"
if [ "${FULL:-1}" = 1 ]; then
    relay true
    echo "callibry full path: $(MODES=invite TARGET_PID=$SERVER "$ANCHOR/run-sip-anchor.sh" 127.0.0.1:$PORT | tail -1)"
fi
[ -n "${KEEP_SERVER_S:-}" ] && { echo "# server $SERVER kept for ${KEEP_SERVER_S} s" >&2; sleep "$KEEP_SERVER_S"; }
kill $SERVER; wait $SERVER 2>/dev/null || true
if [ "${ANCHOR_KAMAILIO:-1}" = 1 ]; then
    command -v kamailio >/dev/null || { apt-get install -y -qq kamailio >/dev/null 2>&1 || true; }
    if ! command -v kamailio >/dev/null; then
        echo "kamailio: not installed (apt-get install kamailio)"
        exit 0
    fi
    echo "kamailio: $("$ANCHOR/run-sip-anchor.sh" | tail -1)"
    if [ "${FULL:-1}" = 1 ]; then
        command -v rtpengine >/dev/null || { echo "kamailio+rtpengine: rtpengine not installed (apt-get install rtpengine-daemon)"; exit 0; }
        rtpengine --foreground --table=-1 --interface=127.0.0.1 --listen-ng=127.0.0.1:22230 --port-min=40000 --port-max=49999 \
            --log-level=3 --log-stderr > "$WORK/rtpengine.log" 2>&1 &
        RTPE=$!
        for _ in $(seq 50); do ss -Hlun "sport = :22230" | grep -q . && break; sleep 0.1; done # Kamailio pings it at start
        kamailio -f bench/kamailio-rtpengine.cfg -DD -E -m 512 -M 16 -w "$WORK" -Y "$WORK" -A "CHILDREN=${CHILDREN:-4}" \
            -A "USERS=$USERS" > "$WORK/kamailio-rtpengine.log" 2>&1 &
        KAM=$!
        trap 'kill $KAM $RTPE 2>/dev/null; wait $KAM $RTPE 2>/dev/null; echo "# logs in $WORK" >&2' EXIT
        for _ in $(seq 50); do ss -Hlun "sport = :15062" | grep -q . && break; sleep 0.1; done
        t0=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' /proc/$RTPE/stat)
        LINE=$(MODES=invite TARGET_PID=$KAM "$ANCHOR/run-sip-anchor.sh" 127.0.0.1:15062 | tail -1)
        t1=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' /proc/$RTPE/stat)
        echo "kamailio+rtpengine: $LINE rtpengine_cpu_s=$(( (t1 - t0) / $(getconf CLK_TCK) ))"
    fi
fi
