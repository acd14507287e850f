#!/usr/bin/env bash
# Runs one benchmark of bench/ (docs/benchmarks.md) on a JDK >= 21, picked as ./bulwark picks it
# (the machine's default java may be older): packages the services, then runs the benchmark.
# Benchmarks that start the stack take its fixed ports, so they run under the stack lock.
#
#   scripts/bench.sh EconomyThroughputBenchmark [-Dbench.seconds=30 ...]
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
[[ $# -ge 1 ]] || { echo "usage: scripts/bench.sh <BenchmarkClass> [-Dbench.x=y ...]" >&2; exit 2; }
benchmark=$1
shift
# shellcheck source=scripts/pick-jdk.sh
source scripts/pick-jdk.sh
# Packaging skips test compilation: bench's tests compile against the services' classes, which
# a packaged (Boot executable) jar no longer offers; the test run below compiles them. The jars
# are always rebuilt: the jar plugin otherwise keeps a service's jar whose own classes did not
# change, and the stack would run it with a stale copy of a changed platform module inside.
./mvnw -B -q -ntp -Pbench -pl bench -am package -Dmaven.test.skip=true -Dmaven.jar.forceCreation=true
exec flock "${BULWARK_STACK_LOCK:-/tmp/bulwark-stack.lock}" ./mvnw -B -ntp -Pbench -pl bench -am test \
  -Dtest="$benchmark" -Dsurefire.failIfNoSpecifiedTests=false "$@"
