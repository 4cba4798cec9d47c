#!/usr/bin/env bash
# Runs the whole test suite: installs the Debian packages the tests need when they are missing
# (scripts/test-packages.txt), then 'mvn verify' on a JDK 21+. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh

mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/test-packages.txt)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# a line "a|b" means either package will do (a library renamed between releases)
unmet=()
for line in "${packages[@]}"; do
    IFS='|' read -r -a choices <<< "$line"
    ok=""
    for p in "${choices[@]}"; do installed "$p" && ok=1; done
    [ -n "$ok" ] || unmet+=("$line")
done
if [ ${#unmet[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    missing=()
    for line in "${unmet[@]}"; do
        IFS='|' read -r -a choices <<< "$line"
        pick="${choices[0]}"
        for p in "${choices[@]}"; do
            if [ -n "$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '(none)')" ]; then pick="$p"; break; fi
        done
        missing+=("$pick")
    done
    echo "Installing test packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

echo "Using $("$JAVA_HOME/bin/java" -version 2>&1 | head -1) from $JAVA_HOME"
exec mvn -B -ntp verify "$@"
