# bench/sip-server.sh -- sourced by the SIP benchmarks (sip-bench.sh, sip-soak.sh, sip-overload.sh):
# starts the packaged server (built if missing) on a fresh data directory with SIP on 127.0.0.1:$PORT and
# the anchor's accounts (user0..user$USERS-1 / pwN, uas / pwuas) written straight into its database (the
# API refuses passwords that short), a trusted peer for the load generators (127.0.0.1) and a route for
# "uas" without media relay. Leaves: SERVER (pid), WORK (logs), HTTP, rpc(), relay true|false (the
# route's media relay), ANCHOR, and a trap that stops the server on exit.
# Env: PORT=25060  USERS=10000  HEAP=1g  GC_OPTS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=0"  JAVA_OPTS  JFR=file.jfr  SERVER_ARGS
# The GC log goes to $WORK/gc.log.
ANCHOR=$(cd "${ANCHOR:-../shared/bench/sip-anchor}" && pwd) || { echo "needs the SIP anchor (../shared/bench/sip-anchor)" >&2; exit 1; }
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
"$JAVA_HOME/bin/java" -Xms${HEAP:-1g} -Xmx${HEAP:-1g} ${GC_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=0} -Xlog:gc,gc+phases:file="$WORK/gc.log":uptime -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} "${JFR_OPTS[@]}" -jar server/target/callibry-server.jar \
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

