# bench/media-server.sh -- sourced by the media benchmarks (queue-music-bench.sh, ivr-bench.sh): starts
# server/target/callibry-server.jar (built if missing) on a fresh data directory with its demo tenant, on
# ports of its own, and defines rpc (JSON-RPC as admin). Before sourcing, set:
#   WORK (a fresh directory), PORT (SIP; PORT+1 HTTP, PORT+2 media server SIP, PORT+3 ng),
#   MEDIA_PORTS ("min max" of the RTP range), and optionally JFR (a profile file) and SERVER_ARGS.
# Sets HTTP, ADMIN_PW, DEMO_PW and SERVER (the server's pid); the caller's cleanup kills $SERVER.

HTTP=$((PORT + 1)); ADMIN_PW=bench-admin-pw; DEMO_PW=bench-demo-pw
for tool in sipp jq curl python3; do
    command -v $tool >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
[ -f server/target/callibry-server.jar ] || mvn -B -q -ntp -DskipTests -pl server -am package
ulimit -n "$(ulimit -Hn)"

JFR_OPTS=()
[ -n "${JFR:-}" ] && JFR_OPTS=(-XX:StartFlightRecording=filename=$JFR,settings=profile,dumponexit=true)
read -r MEDIA_MIN MEDIA_MAX <<<"$MEDIA_PORTS"
# ports of their own (SIP, media server, ng, RTP range), so that another server on this machine does not meet these
"$JAVA_HOME/bin/java" -Xms1g -Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError "${JFR_OPTS[@]}" -jar server/target/callibry-server.jar \
    --server.port=$HTTP --callibry.data-dir="$WORK/data" --callibry.admin.password=$ADMIN_PW \
    --callibry.demo.password=$DEMO_PW --callibry.sip.bind-address=127.0.0.1 --callibry.sip.port=$PORT \
    --callibry.sip.advertised-address=127.0.0.1 --callibry.sip.tls-port=0 --callibry.media.bind-address=127.0.0.1 \
    --callibry.media.sip-port=$((PORT + 2)) --callibry.media.node.ng-address=127.0.0.1:$((PORT + 3)) \
    --callibry.media.port-min=$MEDIA_MIN --callibry.media.port-max=$MEDIA_MAX --callibry.media.stun.port=0 \
    --callibry.media.node.heartbeat-port=0 --logging.level.root=WARN \
    --logging.level.org.callibry.server.ops.internal=INFO ${SERVER_ARGS:-} > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 120); do grep -q "healthy in" "$WORK/server.log" && break; sleep 0.5; done
grep -q "healthy in" "$WORK/server.log" || { echo "server did not start" >&2; tail -30 "$WORK/server.log" >&2; exit 1; }

rpc() {
    local r
    r=$(curl -s -u admin:$ADMIN_PW -H 'Content-Type: application/json' "http://127.0.0.1:$HTTP/api/rpc" \
        -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}")
    if [ "$(jq 'has("error")' <<<"$r")" = true ]; then echo "$1: $r" >&2; return 1; fi
    jq -c .result <<<"$r"
}
