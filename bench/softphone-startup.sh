#!/usr/bin/env bash
# bench/softphone-startup.sh -- how long the packaged softphone takes from launch to registered and
# to its window shown, as an operator starts it (java -jar softphone.jar with provisioning options),
# on a virtual display (Xvfb) against the packaged server on this machine.
#
# Starts the server (server/target/callibry-server.jar) with its demo tenant on a fresh data directory,
# then RUNS fresh softphone JVMs (softphone/target/softphone.jar), each with a new config directory,
# one after the other. Both jars are built first if missing.
#
# Env: RUNS=5  PORT=26060 (SIP; HTTP on PORT+1)
# Output: one line per run, then min and median of each figure. "since JVM start" is what the
# application logs (registration and window); "since launch" also counts the JVM's own start.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
RUNS=${RUNS:-5}
PORT=${PORT:-26060}
HTTP=$((PORT + 1))
PASSWORD=bench-demo-pw-1
WORK=$(mktemp -d /tmp/callibry-phone-bench.XXXXXX)

command -v Xvfb >/dev/null || { echo "needs Xvfb (apt-get install xvfb)" >&2; exit 1; }
[ -f server/target/callibry-server.jar ] && [ -f softphone/target/softphone.jar ] \
    || mvn -B -q -ntp -DskipTests -pl shared,operator-console,server,softphone package

"$JAVA_HOME/bin/java" -Xmx512m -jar server/target/callibry-server.jar --server.port=$HTTP \
    --callibry.data-dir="$WORK/data" --callibry.demo.password=$PASSWORD --callibry.admin.password=bench-admin-pw-1 \
    --callibry.sip.bind-address=127.0.0.1 --callibry.sip.port=$PORT --callibry.sip.tls-port=$((PORT + 2)) \
    --callibry.media.bind-address=127.0.0.1 --callibry.media.sip-port=$((PORT + 3)) \
    --callibry.media.node.ng-address=127.0.0.1:0 --callibry.media.stun.port=0 --callibry.media.node.heartbeat-port=0 \
    > "$WORK/server.log" 2>&1 &
SERVER=$!
exec 3< <(Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp 2>/dev/null)
XVFB=$!
phone=""
trap 'kill $SERVER $XVFB $phone 2>/dev/null; wait $SERVER 2>/dev/null; echo "# logs in $WORK" >&2' EXIT
read -r -t 20 DISPLAY_NUMBER <&3 || { echo "Xvfb did not start" >&2; exit 1; }
for _ in $(seq 240); do grep -q "healthy in" "$WORK/server.log" && break; sleep 0.5; done
grep -q "healthy in" "$WORK/server.log" || { echo "server did not start" >&2; tail -30 "$WORK/server.log" >&2; exit 1; }

now_ms() { date +%s%3N; }
registered=(); shown=(); launched_reg=(); launched_win=()
for run in $(seq "$RUNS"); do
    log="$WORK/phone-$run.log"
    start=$(now_ms)
    DISPLAY=":$DISPLAY_NUMBER" "$JAVA_HOME/bin/java" -jar softphone/target/softphone.jar --server 127.0.0.1:$PORT \
        --user 1001 --password $PASSWORD --config-dir "$WORK/phone-$run" --lang en --api "http://127.0.0.1:$HTTP/" > "$log" 2>&1 &
    phone=$!
    reg_at=""; win_at=""
    for _ in $(seq 300); do
        [ -z "$reg_at" ] && grep -q "registration REGISTERED" "$log" && reg_at=$(now_ms)
        [ -z "$win_at" ] && grep -q "window shown" "$log" && win_at=$(now_ms)
        [ -n "$reg_at" ] && [ -n "$win_at" ] && break
        grep -q "registration FAILED" "$log" && { echo "run $run: registration failed" >&2; cat "$log" >&2; exit 1; }
        kill -0 $phone 2>/dev/null || { echo "run $run: the softphone exited" >&2; cat "$log" >&2; exit 1; }
        sleep 0.02
    done
    kill $phone 2>/dev/null || true; wait $phone 2>/dev/null || true; phone=""
    [ -n "$reg_at" ] && [ -n "$win_at" ] || { echo "run $run: no registration or window within 6 s" >&2; cat "$log" >&2; exit 1; }
    r=$(sed -n 's/.*registration REGISTERED.*(\([0-9]*\) ms after start).*/\1/p' "$log" | head -1)
    w=$(sed -n 's/.*window shown (\([0-9]*\) ms after start).*/\1/p' "$log" | head -1)
    registered+=("$r"); shown+=("$w")
    launched_reg+=($((reg_at - start))); launched_win+=($((win_at - start)))
    echo "run $run: registered $r ms, window $w ms since JVM start; $((reg_at - start)) ms, $((win_at - start)) ms since launch"
done

stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "min %d ms, median %d ms", a[1], a[int((NR+1)/2)]}'; }
echo "registered since JVM start: $(stats "${registered[@]}")"
echo "window shown since JVM start: $(stats "${shown[@]}")"
echo "registered since launch: $(stats "${launched_reg[@]}")"
echo "window shown since launch: $(stats "${launched_win[@]}")"
echo "($(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"
