#!/usr/bin/env bash
# Makes the dialer's demo prompts with the espeak-ng speech synthesizer: the message of the demo
# "payment reminder" campaign and the abandon message a predictive campaign plays when no agent is
# free within 2 s (it names who called and a number to call back, as regulators ask). English
# (en-us), 150 words a minute, 8000 Hz mono 16-bit, silence trimmed to 50 ms, -3 dBFS peak, into
# server/src/main/resources/prompts/dialer/. The output is committed: this script is run by hand when
# a text changes, never by the build or the tests. The demo stores both files in the demo tenant's
# audio library (docs/modules/dialer.md).
#
# Needs: espeak-ng and sox (Debian/Ubuntu: sudo apt-get install espeak-ng sox).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in espeak-ng sox; do
    if ! command -v "$tool" > /dev/null; then
        echo "make-dialer-prompts: $tool is missing; install it with: sudo apt-get install espeak-ng sox" >&2
        exit 1
    fi
done

OUT=server/src/main/resources/prompts/dialer
SPEED=150
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$OUT"

make() {
    local text=$1 file=$2
    espeak-ng -v en-us -s "$SPEED" -w "$tmp/speech.wav" -- "$text"
    sox -D "$tmp/speech.wav" -r 8000 -c 1 -b 16 -e signed-integer "$file" \
        silence 1 0.005 0.1% reverse silence 1 0.005 0.1% reverse \
        rate -v 8000 gain -n -3 pad 0.05 0.05
}

make "Hello. This is a reminder from Demo Telecom: your monthly payment is due on the fifteenth. \
If you have already paid, thank you, and please ignore this message. \
For questions, call us on eight, eight hundred, five five five, thirty five, thirty five." "$OUT/payment-reminder.wav"
make "Hello, this is Demo Telecom calling. All our operators are busy at the moment, so we will call you back later. \
To reach us, call eight, eight hundred, five five five, thirty five, thirty five. Thank you." "$OUT/abandon-message.wav"
echo "make-dialer-prompts: wrote $OUT/payment-reminder.wav and $OUT/abandon-message.wav"
