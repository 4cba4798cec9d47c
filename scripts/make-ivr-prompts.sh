#!/usr/bin/env bash
# Makes the IVR prompts in English and Russian with the espeak-ng speech synthesizer: what "say" nodes
# compose numbers, amounts of money and dates from (cardinals with the Russian feminine and neuter
# forms, the three forms of "thousand", "million", "ruble", "kopeck", ..., months, ordinals for days
# and, in Russian, for years in the genitive), the beep of "record" nodes, and the phrases of the demo
# scenario 700.
#
# The keys and texts are in server/src/main/resources/prompts/ivr/prompts.tsv (key, English, Russian,
# and the Russian as espeak-ng should read it where its stress is wrong); an empty text means that
# language has no such prompt. The server reads the same file to show said texts in traces.
# Voices: espeak-ng "en-us" and "ru", 150 words a minute. Each prompt is a WAV file named after its
# key, 8000 Hz mono 16-bit signed PCM, silence trimmed at both ends, normalised to -3 dBFS peak, 50 ms
# of silence padded at both ends, into server/src/main/resources/prompts/ivr/{en,ru}/ (the files
# already there are replaced). The output is committed: this script is run by hand when a prompt
# changes, never by the build or the tests. See docs/modules/ivr.md.
#
# Needs: espeak-ng and sox (Debian/Ubuntu: sudo apt-get install espeak-ng sox).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in espeak-ng sox; do
    if ! command -v "$tool" > /dev/null; then
        echo "make-ivr-prompts: $tool is missing; install it with: sudo apt-get install espeak-ng sox" >&2
        exit 1
    fi
done

OUT=server/src/main/resources/prompts/ivr
TEXTS=$OUT/prompts.tsv
SPEED=150

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# speak <voice> <text> <file>: synthesize, trim the silence at both ends (anything under -60 dBFS),
# resample to 8 kHz, normalise the peak to -3 dBFS, pad 50 ms of silence. No dither, so a rerun gives
# the same bytes.
speak() {
    local voice=$1 text=$2 file=$3
    espeak-ng -v "$voice" -s "$SPEED" -w "$tmp/speech.wav" -- "$text"
    sox -D "$tmp/speech.wav" -r 8000 -c 1 -b 16 -e signed-integer "$file" \
        silence 1 0.005 0.1% reverse silence 1 0.005 0.1% reverse \
        rate -v 8000 gain -n -3 pad 0.05 0.05
}

# beep <file>: 250 ms of 1000 Hz at -6 dBFS with 10 ms fades, then 100 ms of silence.
beep() {
    sox -D -n -r 8000 -c 1 -b 16 -e signed-integer "$1" synth 0.25 sine 1000 gain -6 fade 0.01 0.25 0.01 pad 0 0.1
}

for lang in en ru; do
    mkdir -p "$OUT/$lang"
    rm -f "$OUT/$lang"/*.wav
    beep "$OUT/$lang/beep.wav"
done

count_en=0
count_ru=0
# (a tab is whitespace to read's IFS, so runs of tabs would merge empty fields: cut splits each line)
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    key=$(cut -f1 <<< "$line")
    en=$(cut -f2 <<< "$line")
    ru=$(cut -f3 <<< "$line")
    ru_speech=$(cut -f4 <<< "$line")
    if [ -n "$en" ]; then
        speak en-us "$en" "$OUT/en/$key.wav"
        count_en=$((count_en + 1))
    fi
    if [ -n "$ru" ]; then
        speak ru "${ru_speech:-$ru}" "$OUT/ru/$key.wav"
        count_ru=$((count_ru + 1))
    fi
done < "$TEXTS"
echo "$OUT/en: $count_en prompts and the beep"
echo "$OUT/ru: $count_ru prompts and the beep"
du -sh "$OUT"
