#!/usr/bin/env bash
# Makes the ACD queue announcement prompts in English and Russian with the espeak-ng speech
# synthesizer: numbers (0-20, tens, hundreds, the feminine "1f"/"2f"), the plural forms of "minute",
# and the phrases of a queue (position, estimated wait, callback offer and confirmation, ...).
#
# Voices: espeak-ng "en-us" and "ru", 150 words a minute. Each prompt is written as a WAV file named
# after its key, 8000 Hz mono 16-bit signed PCM, silence trimmed at both ends to 50 ms, normalised to
# -3 dBFS peak, into server/src/main/resources/prompts/acd/{en,ru}/ (the files already there are
# replaced). The output is committed: this script is run by hand when a prompt changes, never by the
# build or the tests. The key set must match Announcements.KEYS (server, acd module); the texts and the
# override naming are described in docs/modules/acd-prompts.md.
#
# Needs: espeak-ng and sox (Debian/Ubuntu: sudo apt-get install espeak-ng sox).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in espeak-ng sox; do
    if ! command -v "$tool" > /dev/null; then
        echo "make-prompts: $tool is missing; install it with: sudo apt-get install espeak-ng sox" >&2
        exit 1
    fi
done

OUT=server/src/main/resources/prompts/acd
SPEED=150

# The prompt keys, the same in every language.
KEYS=(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 30 40 50 60 70 80 90
      100 200 300 400 500 600 700 800 900 1f 2f minute-1 minute-2 minute-5
      you-are-number estimated-wait less-than callback-offer callback-enter-number
      callback-confirmed callback-failed all-busy thank-you-holding)

declare -A EN=(
    [0]="zero" [1]="one" [2]="two" [3]="three" [4]="four" [5]="five" [6]="six" [7]="seven"
    [8]="eight" [9]="nine" [10]="ten" [11]="eleven" [12]="twelve" [13]="thirteen" [14]="fourteen"
    [15]="fifteen" [16]="sixteen" [17]="seventeen" [18]="eighteen" [19]="nineteen" [20]="twenty"
    [30]="thirty" [40]="forty" [50]="fifty" [60]="sixty" [70]="seventy" [80]="eighty" [90]="ninety"
    [100]="one hundred" [200]="two hundred" [300]="three hundred" [400]="four hundred"
    [500]="five hundred" [600]="six hundred" [700]="seven hundred" [800]="eight hundred"
    [900]="nine hundred"
    # English has no gender and one plural: the extra keys repeat "one", "two" and "minutes"
    [1f]="one" [2f]="two"
    [minute-1]="minute" [minute-2]="minutes" [minute-5]="minutes"
    [you-are-number]="You are caller number"
    [estimated-wait]="Your estimated waiting time is"
    [less-than]="less than"
    [callback-offer]="To be called back without losing your place, press"
    [callback-enter-number]="Enter the number to call back, then press hash. To use the number you are calling from, press hash."
    [callback-confirmed]="Thank you. We will call you back when it is your turn. You may hang up now."
    [callback-failed]="Sorry, that number cannot be called back."
    [all-busy]="All our operators are busy. Please stay on the line."
    [thank-you-holding]="Thank you for holding."
)

# "составит" takes the accusative, which is what 1f/2f and minute-1 are ("одну минуту", "две минуты",
# "пять минут"), and "менее" + minute-2 is "менее минуты" (genitive singular = "минуты").
declare -A RU=(
    [0]="ноль" [1]="один" [2]="два" [3]="три" [4]="четыре" [5]="пять" [6]="шесть" [7]="семь"
    [8]="восемь" [9]="девять" [10]="десять" [11]="одиннадцать" [12]="двенадцать" [13]="тринадцать"
    [14]="четырнадцать" [15]="пятнадцать" [16]="шестнадцать" [17]="семнадцать" [18]="восемнадцать"
    [19]="девятнадцать" [20]="двадцать" [30]="тридцать"
    # espeak-ng stresses "сорок" on the last syllable; its phonemes are given instead
    [40]="[[s'orVk]]"
    [50]="пятьдесят" [60]="шестьдесят" [70]="семьдесят" [80]="восемьдесят" [90]="девяносто"
    [100]="сто" [200]="двести" [300]="триста" [400]="четыреста" [500]="пятьсот" [600]="шестьсот"
    [700]="семьсот" [800]="восемьсот" [900]="девятьсот"
    [1f]="одну" [2f]="две"
    [minute-1]="минуту" [minute-2]="минуты" [minute-5]="минут"
    [you-are-number]="Вы в очереди под номером"
    [estimated-wait]="Примерное время ожидания составит"
    [less-than]="менее"
    [callback-offer]="Чтобы мы перезвонили вам, сохранив вашу очередь, нажмите"
    [callback-enter-number]="Введите номер, на который нужно перезвонить, и нажмите решётку. Чтобы мы перезвонили на номер, с которого вы звоните, нажмите решётку."
    [callback-confirmed]="Спасибо. Мы перезвоним вам, когда подойдёт ваша очередь. Теперь вы можете положить трубку."
    [callback-failed]="К сожалению, на этот номер перезвонить нельзя."
    [all-busy]="Все операторы заняты. Пожалуйста, оставайтесь на линии."
    [thank-you-holding]="Спасибо за ожидание."
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# make <voice> <text> <file>: synthesize, trim the silence at both ends (anything under -60 dBFS),
# resample to 8 kHz, normalise the peak to -3 dBFS, then pad 50 ms of silence at both ends. No dither:
# the padding stays digital silence and a rerun gives the same bytes.
make() {
    local voice=$1 text=$2 file=$3
    espeak-ng -v "$voice" -s "$SPEED" -w "$tmp/speech.wav" -- "$text"
    sox -D "$tmp/speech.wav" -r 8000 -c 1 -b 16 -e signed-integer "$file" \
        silence 1 0.005 0.1% reverse silence 1 0.005 0.1% reverse \
        rate -v 8000 gain -n -3 pad 0.05 0.05
}

generate() {
    local lang=$1 voice=$2
    local -n texts=$3
    mkdir -p "$OUT/$lang"
    rm -f "$OUT/$lang"/*.wav
    for key in "${KEYS[@]}"; do
        if [ -z "${texts[$key]:-}" ]; then
            echo "make-prompts: no $lang text for key $key" >&2
            exit 1
        fi
        make "$voice" "${texts[$key]}" "$OUT/$lang/$key.wav"
    done
    echo "$OUT/$lang: ${#KEYS[@]} prompts"
}

generate en en-us EN
generate ru ru RU
du -sh "$OUT"
