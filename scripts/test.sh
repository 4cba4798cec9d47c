#!/usr/bin/env bash
# Runs the whole test suite: installs the Debian packages the tests need when they are missing
# (scripts/test-packages.txt), then 'mvn verify' on a JDK 21+. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh

mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/test-packages.txt)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing test packages: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

echo "Using $("$JAVA_HOME/bin/java" -version 2>&1 | head -1) from $JAVA_HOME"
exec mvn -B -ntp verify "$@"
