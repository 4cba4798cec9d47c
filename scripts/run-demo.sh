#!/usr/bin/env bash
# Builds the server and runs it with its embedded defaults: embedded PostgreSQL under ~/.callibry,
# HTTP on 8080, the admin user and the demo tenant (accounts 1001-1005). Extra arguments go to the
# server, e.g. --server.port=9090 or --callibry.demo.enabled=false.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
mvn -B -q -ntp -DskipTests -pl server -am package
exec "$JAVA_HOME/bin/java" -XX:+ExitOnOutOfMemoryError -jar server/target/callibry-server.jar "$@"
