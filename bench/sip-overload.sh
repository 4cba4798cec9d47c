#!/usr/bin/env bash
# bench/sip-overload.sh -- the server under a flood: REGISTERs without credentials at FLOOD times its
# capacity from one source (bench/udp-flood.py, a small raw sender: SIPp would share the cores), while a
# separate SIPp registers with digest at LEGIT per second from another source. Prints, per second, the
# legitimate registrations that succeeded and failed, then: their success during the flood, how the
# flood was answered (503 + Retry-After, 401, dropped unanswered), and how long after the flood the
# legitimate ones were back to their full rate without failures.
#
# Env: CAPACITY=1000 (digest REGISTER/s this machine sustains: take it from bench/sip-bench.sh)  FLOOD=3
#      LEGIT=CAPACITY/2  FLOOD_S=20  plus bench/sip-server.sh's PORT, USERS, HEAP, GC_OPTS, SERVER_ARGS
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
CAPACITY=${CAPACITY:-1000}; FLOOD=${FLOOD:-3}; LEGIT=${LEGIT:-$((CAPACITY / 2))}; FLOOD_S=${FLOOD_S:-20}
. bench/sip-server.sh
COMMON=(-i 127.0.0.1 -nostdin -recv_timeout 4000 -buff_size 2097152)
"$ANCHOR/gen-users.sh" "$USERS" > "$WORK/users.csv"

sipp 127.0.0.1:$PORT -sf "$ANCHOR/register-auth.xml" -inf "$WORK/users.csv" -p 15062 -cp 16004 -r "$LEGIT" -m $((LEGIT * 15)) \
    "${COMMON[@]}" > "$WORK/warm.log" 2>&1 || true   # warm-up
BEFORE=5; AFTER=15
echo "# legit $LEGIT/s for $((BEFORE + FLOOD_S + AFTER)) s; flood $((CAPACITY * FLOOD))/s (${FLOOD}x $CAPACITY) from s $BEFORE to $((BEFORE + FLOOD_S)); $(cut -d' ' -f1-3 /proc/loadavg) load" >&2
(cd "$WORK" && exec sipp 127.0.0.1:$PORT -sf "$ANCHOR/register-auth.xml" -inf "$WORK/users.csv" -p 15062 -cp 16004 -r "$LEGIT" \
    -m $((LEGIT * (BEFORE + FLOOD_S + AFTER))) "${COMMON[@]}" -trace_stat -stf "$WORK/legit.stat" -fd 1 > "$WORK/legit.log" 2>&1) &
LEGIT_PID=$!
sleep $BEFORE
FLOOD_LINE=$(python3 bench/udp-flood.py 127.0.0.1 $PORT $((CAPACITY * FLOOD)) $FLOOD_S)
wait $LEGIT_PID || true

awk -F';' -v before=$BEFORE -v flood=$FLOOD_S -v legit=$LEGIT '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    {
        t = NR - 1; ok = $c["SuccessfulCall(P)"] + 0; bad = $c["FailedCall(P)"] + 0
        printf "  s %3d  ok %6d  failed %5d%s\n", t, ok, bad, (t > before && t <= before + flood) ? "  (flood)" : ""
        if (t > before && t <= before + flood) { fok += ok; fbad += bad }
        if (t > before + flood && !back && ok >= 0.97 * legit && bad == 0) back = t - before - flood
    }
    END {
        printf "legit during the flood: %d ok, %d failed: %.1f %% of %d/s\n", fok, fbad, 100 * fok / (legit * flood), legit
        printf "recovered: %s\n", back ? "full rate " back " s after the flood" : "not within the run"
    }' "$WORK/legit.stat"
echo "$FLOOD_LINE (the rest dropped unanswered)"
