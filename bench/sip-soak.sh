#!/usr/bin/env bash
# bench/sip-soak.sh -- a long run at a steady share of capacity: calls through the proxy (INVITE, 200,
# ACK, BYE via the anchor's uac/uas scenarios) and digest re-registrations of the anchor's users, mixed,
# against the packaged server (bench/sip-server.sh). Every minute it prints the heap after the last GC,
# the longest GC pause of that minute, and the calls and registrations so far with their failures; at
# the end the GC pause p99 and maximum over the whole run (from JFR), the call setup time (INVITE to
# 200) p50/p99/max, and the totals. Exit status 1 if any call or registration failed.
#
# Env: SOAK_MIN=30  CPS=250 (calls/s)  RPS=250 (REGISTERs/s)  WARM_S=30  PAUSE_MS=500 (call length)
#      plus bench/sip-server.sh's PORT, USERS, HEAP, GC_OPTS (G1 with -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=0 by default), JAVA_OPTS
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
SOAK_MIN=${SOAK_MIN:-30}; CPS=${CPS:-250}; RPS=${RPS:-250}; WARM_S=${WARM_S:-30}; PAUSE_MS=${PAUSE_MS:-500}
SOAK_JFR=$(mktemp -u /tmp/callibry-soak.XXXXXX).jfr
. bench/sip-server.sh
SOAK_S=$((SOAK_MIN * 60))
COMMON=(-i 127.0.0.1 -nostdin -recv_timeout 4000 -buff_size 2097152)

"$ANCHOR/gen-users.sh" "$USERS" > "$WORK/users.csv"
printf 'SEQUENTIAL\nuas;pwuas\n' > "$WORK/uas.csv"
sipp 127.0.0.1:$PORT -sf "$ANCHOR/register-auth.xml" -inf "$WORK/uas.csv" -p 15070 -cp 16002 -mp 16140 -m 1 \
    "${COMMON[@]}" > "$WORK/uas-register.log" 2>&1 || { echo "UAS REGISTER failed" >&2; exit 1; }
sipp -sf "$ANCHOR/uas.xml" -p 15070 -cp 16003 -mp 16120 "${COMMON[@]}" > "$WORK/uas.log" 2>&1 &
UAS=$!
trap 'kill $UAS $CALLS $REGS 2>/dev/null; kill $SERVER 2>/dev/null; wait 2>/dev/null; echo "# logs in $WORK" >&2' EXIT
CALLS=""; REGS=""

echo "# warm-up: $WARM_S s of calls and registrations" >&2
sipp 127.0.0.1:$PORT -sf "$ANCHOR/uac.xml" -s uas -d $PAUSE_MS -p 15061 -cp 16001 -mp 16100 -r "$CPS" -m $((CPS * WARM_S)) \
    "${COMMON[@]}" > "$WORK/warm-calls.log" 2>&1 &
W1=$!
sipp 127.0.0.1:$PORT -sf "$ANCHOR/register-auth.xml" -inf "$WORK/users.csv" -p 15062 -cp 16004 -r "$RPS" -m $((RPS * WARM_S)) \
    "${COMMON[@]}" > "$WORK/warm-regs.log" 2>&1 &
W2=$!
wait $W1 $W2 2>/dev/null || true
sleep 5

echo "# soak: $SOAK_MIN min, $CPS calls/s (each $PAUSE_MS ms long) and $RPS REGISTERs/s; $(cut -d' ' -f1-3 /proc/loadavg) load; GC: ${GC_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=0}" >&2
GC_SEEN=$(wc -l < "$WORK/gc.log")
jcmd_bin="$JAVA_HOME/bin/jcmd"
"$jcmd_bin" $SERVER JFR.start name=soak settings=default filename="$SOAK_JFR" > /dev/null
(cd "$WORK" && exec sipp 127.0.0.1:$PORT -sf "$ANCHOR/uac.xml" -s uas -d $PAUSE_MS -p 15061 -cp 16001 -mp 16100 -r "$CPS" \
    -m $((CPS * SOAK_S)) "${COMMON[@]}" -trace_stat -stf "$WORK/calls.stat" -fd 60 -trace_rtt -rtt_freq 1 > "$WORK/calls.log" 2>&1) &
CALLS=$!
sipp 127.0.0.1:$PORT -sf "$ANCHOR/register-auth.xml" -inf "$WORK/users.csv" -p 15062 -cp 16004 -r "$RPS" -m $((RPS * SOAK_S)) \
    "${COMMON[@]}" -trace_stat -stf "$WORK/regs.stat" -fd 60 > "$WORK/regs.log" 2>&1 &
REGS=$!

# the last value of a column in a SIPp statistics file
stat() { [ -s "$1" ] && awk -F';' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { v = $k } END { print v + 0 }' "$1" || echo 0; }
printf '%6s %14s %14s %10s %10s %10s %10s %8s\n' minute heap_after_gc max_pause_ms calls calls_bad regs regs_bad retrans
minute=0
while kill -0 $CALLS 2>/dev/null || kill -0 $REGS 2>/dev/null; do
    sleep 60; minute=$((minute + 1))
    gc=$(tail -n +"$((GC_SEEN + 1))" "$WORK/gc.log"); GC_SEEN=$(wc -l < "$WORK/gc.log")   # this minute's lines
    heap=$(grep -o -- '->[0-9]*M' "$WORK/gc.log" | tail -1 | tr -d '>-')
    pause=$(echo "$gc" | awk '/Pause/ && match($0, /[0-9.]+ms$/) { ms = substr($0, RSTART, RLENGTH - 2) + 0; if (ms > max) max = ms } END { printf "%.1f", max }')
    printf '%6d %14s %14s %10d %10d %10d %10d %8d\n' $minute "${heap:-?}" "$pause" \
        "$(stat "$WORK/calls.stat" 'SuccessfulCall(C)')" "$(stat "$WORK/calls.stat" 'FailedCall(C)')" \
        "$(stat "$WORK/regs.stat" 'SuccessfulCall(C)')" "$(stat "$WORK/regs.stat" 'FailedCall(C)')" \
        "$(( $(stat "$WORK/calls.stat" 'Retransmissions(C)') + $(stat "$WORK/regs.stat" 'Retransmissions(C)') ))"
done
"$jcmd_bin" $SERVER JFR.stop name=soak > /dev/null
wait $CALLS $REGS 2>/dev/null || true
CALLS=""; REGS=""

echo "# GC pauses over the soak (JFR $SOAK_JFR):"
"$JAVA_HOME/bin/jfr" view gc-pauses "$SOAK_JFR" | grep -E "Number|Median|P99 |Max"
echo "# call setup, INVITE sent to 200 received (ms):"
cat "$WORK"/uac_*_rtt.csv 2>/dev/null | awk -F';' 'NR > 1 && $2 ~ /^[0-9.]+$/ { print $2 }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) printf "p50 %.1f  p99 %.1f  max %.1f  (%d calls)\n", v[int(NR * 0.5)], v[int(NR * 0.99)], v[NR], NR; else print "no samples" }'
bad=$(( $(stat "$WORK/calls.stat" 'FailedCall(C)') + $(stat "$WORK/regs.stat" 'FailedCall(C)') ))
echo "# calls: $(stat "$WORK/calls.stat" 'SuccessfulCall(C)') ok, $(stat "$WORK/calls.stat" 'FailedCall(C)') failed;" \
     "registrations: $(stat "$WORK/regs.stat" 'SuccessfulCall(C)') ok, $(stat "$WORK/regs.stat" 'FailedCall(C)') failed"
[ "$bad" = 0 ]
