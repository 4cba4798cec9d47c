# Sourced by the other scripts: points JAVA_HOME at a JDK 21 or newer.
# Order: $JAVA_HOME if it is >= 21; a Temurin JDK under /usr/lib/jvm; any JDK >= 21 under /usr/lib/jvm;
# else, as root on Debian/Ubuntu, apt-get installs openjdk-21-jdk-headless.

_callibry_java_major() { # prints the feature version of the JDK at $1
    local release="$1/release"
    [ -f "$release" ] || return 1
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

_callibry_pick_jdk() {
    local candidate major
    if [ -n "${JAVA_HOME:-}" ] && major=$(_callibry_java_major "$JAVA_HOME") && [ "${major:-0}" -ge 21 ]; then
        echo "$JAVA_HOME"; return 0
    fi
    for candidate in /usr/lib/jvm/temurin-*-jdk* /usr/lib/jvm/*; do
        [ -x "$candidate/bin/javac" ] || continue
        major=$(_callibry_java_major "$candidate") || continue
        if [ "${major:-0}" -ge 21 ]; then echo "$candidate"; return 0; fi
    done
    return 1
}

if ! CALLIBRY_JDK=$(_callibry_pick_jdk); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "No JDK 21+ found: installing openjdk-21-jdk-headless" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-21-jdk-headless >&2 || true
    fi
    CALLIBRY_JDK=$(_callibry_pick_jdk) || {
        echo "Callibry needs JDK 21 or newer: install one and set JAVA_HOME to it." >&2
        exit 1
    }
fi
export JAVA_HOME="$CALLIBRY_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
