#!/usr/bin/env bash
# rtp-bench.sh -- RTP relay benchmark, in one sitting on one machine:
#   1. the shared RTP anchor (../shared/bench/rtp-anchor) against rtpengine (userspace), then against
#      Callibry's relay (ng protocol), same generator, same steps;
#   2. REC_CALLS calls recorded at once through Callibry's relay (loss, recorder drops, MP3s made);
#   3. MOH music-on-hold playback channels from Callibry's relay (calls put on hold over ng).
# Env: NS="250 500 700 1000" DURATION=20 REC_CALLS=200 MOH=500 ANCHOR_RTPENGINE=1 THREADS=2
#      (REC_CALLS=0 or MOH=0 skips that step; ANCHOR_RTPENGINE=0 skips rtpengine)
# Prints the anchor's lines (see its README), then "record:" and "moh:" lines. Needs gcc, python3,
# rtpengine (Debian rtpengine-daemon) for step 1's reference.
set -u
cd "$(dirname "$0")/.."
. scripts/java-home.sh
ANCHOR=$(cd ../shared/bench/rtp-anchor && pwd)
NS=${NS:-"250 500 700 1000"}; DURATION=${DURATION:-20}; REC_CALLS=${REC_CALLS:-200}; MOH=${MOH:-500}
THREADS=${THREADS:-2}; NG=127.0.0.1:22230
WORK=$(mktemp -d /tmp/rtp-bench.XXXXXX); PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; echo "# logs in $WORK" >&2; }
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)"
[ -f server/target/callibry-server.jar ] || mvn -B -q -ntp -DskipTests -pl server -am package || exit 1

if [ "${ANCHOR_RTPENGINE:-1}" = 1 ]; then
	echo "## rtpengine $(rtpengine --version 2>&1 | head -1)"
	NS="$NS" DURATION=$DURATION bash "$ANCHOR/run-rtp-anchor.sh"
fi

"$JAVA_HOME/bin/java" -jar server/target/callibry-server.jar --server.port=0 --callibry.sip.enabled=false \
	--callibry.demo.enabled=false --callibry.data-dir="$WORK/data" --callibry.media.bind-address=127.0.0.1 \
	--callibry.media.threads="$THREADS" --callibry.media.node.ng-address=$NG --callibry.media.sip-port=0 \
	--callibry.media.stun.port=0 --callibry.media.node.heartbeat-port=0 > "$WORK/callibry.log" 2>&1 &
PID=$!
for _ in $(seq 120); do grep -q "Callibry healthy" "$WORK/callibry.log" && break; sleep 0.5; done
grep -q "Callibry healthy" "$WORK/callibry.log" || { echo "Callibry did not start, see $WORK/callibry.log"; exit 1; }
echo "## callibry $(git describe --always --dirty) relay threads=$THREADS pid=$PID"
RELAY_PID=$PID NG=$NG NS="$NS" DURATION=$DURATION bash "$ANCHOR/run-rtp-anchor.sh"

cpu() { awk '{ print $14 + $15 }' /proc/$PID/stat; }
gcc -O2 -Wall -o "$WORK/rtpgen" "$ANCHOR/rtpgen.c" || exit 1
if [ "$REC_CALLS" -gt 0 ]; then
sleep 2
bench/ng-calls.py --ng $NG --tag rec --record setup "$REC_CALLS" "$WORK/rec-ports" || exit 1
res=$("$WORK/rtpgen" "$WORK/rec-ports" "$DURATION" 2 "$PID")
bench/ng-calls.py --ng $NG --tag rec delete "$REC_CALLS"
for _ in $(seq 120); do
	n=$(find "$WORK/data/recordings" -name '*.mp3' 2>/dev/null | wc -l)
	[ "$n" -ge "$REC_CALLS" ] && break; sleep 1
done
drops=$(grep -c "packets dropped" "$WORK/callibry.log")
echo "record: $res mp3=$(find "$WORK/data/recordings" -name '*.mp3' | wc -l) recorders_with_drops=$drops mp3_bytes=$(du -sb "$WORK/data/recordings" | cut -f1)"

fi
[ "$MOH" -gt 0 ] || exit 0
sleep 2
bench/ng-calls.py --ng $NG --tag moh setup "$MOH" "$WORK/moh-ports" --base 50000 || exit 1
bench/ng-calls.py --ng $NG --tag moh --base 50000 hold "$MOH" || exit 1
c0=$(cpu); t0=$(date +%s.%N)
res=$(bench/rtp-sink.py "$MOH" "$DURATION" --base 50000)
c1=$(cpu); t1=$(date +%s.%N)
echo "moh: channels=$MOH $res relay_cpu=$(echo "$c0 $c1 $t0 $t1" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($2 - $1) / hz / ($4 - $3) }')"
bench/ng-calls.py --ng $NG --tag moh --base 50000 delete "$MOH"
