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
#      KEEP_SERVER_S=n (keep our server n s after its runs, to inspect it)  HEAP=1g  GC_OPTS="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=0" (the default; ZGC costs twice its CPU per call here)
#      PROFILE=out.collapsed ASYNC_PROFILER=/path/libasyncProfiler.so (profile of the like-for-like
#      runs only, attached after the warm-up through jcmd; EVENT=cpu|itimer|alloc, INTERVAL=1ms)
#      plus the anchor's DURATION, REPEATS, RATES, BISECT, MODES, PAUSE_MS.
# Output: the anchor's result line for each server and path, prefixed as above.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
. bench/sip-server.sh

# warm-up: a JVM runs interpreted until the JIT has compiled the hot paths; measure the warm server
printf 'SEQUENTIAL\n' > "$WORK/warm.csv"; for i in $(seq 0 199); do echo "user$i;pw$i" >> "$WORK/warm.csv"; done
timeout 60 sipp 127.0.0.1:$PORT -sf "$ANCHOR/register-auth.xml" -inf "$WORK/warm.csv" -i 127.0.0.1 -p 25999 -r 500 -m 10000 \
    -nostdin -cp 25998 > "$WORK/warmup.log" 2>&1 || true
relay true   # the relay's code paths warm up too
DURATION=${WARM_INVITE_S:-30} RATES=200 REPEATS=1 BISECT=0 MODES=invite "$ANCHOR/run-sip-anchor.sh" 127.0.0.1:$PORT \
    > "$WORK/warmup-invite.log" 2>&1 || true
relay false
echo "# callibry $(git rev-parse --short HEAD) pid=$SERVER sip=127.0.0.1:$PORT users=$USERS (warmed up with 10,000 REGISTERs and ${WARM_INVITE_S:-30} s of calls)" >&2
if [ -n "${PROFILE:-}" ]; then
    "$JAVA_HOME/bin/jcmd" $SERVER JVMTI.agent_load "${ASYNC_PROFILER:?ASYNC_PROFILER=path of libasyncProfiler.so}" \
        "\"start,event=${EVENT:-cpu},interval=${INTERVAL:-1ms},threads\"" > /dev/null
fi
RESULT=$(TARGET_PID=$SERVER "$ANCHOR/run-sip-anchor.sh" 127.0.0.1:$PORT | tail -1)
if [ -n "${PROFILE:-}" ]; then
    "$JAVA_HOME/bin/jcmd" $SERVER JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,collapsed,file=$(realpath -m "$PROFILE")\"" > /dev/null
    echo "# profile of the like-for-like runs in $PROFILE" >&2
fi
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
