#!/usr/bin/env bash
# Consumer check (issue 13 item 6): proves the PUBLISHED shape, not the reactor's.
#   1. the reactor's artifacts (jars, -sources and -javadoc jars, poms, the BOM) are deployed with the
#      release profile into a private file repository under target/consumer/staging (never into the
#      shared ~/.m2: install is skipped);
#   1b. every artifact the BOM lists has its jar, -sources.jar, -javadoc.jar and a POM that resolves
#      to the project's name, description, url, license, scm, developers, organization (published.py);
#   2. deploy/consumer, a project outside the reactor, imports io.smcvertx:smc-vertx-bom and depends
#      on smc-netty alone, resolved from that repository into a private local repository
#      (target/consumer/m2, hard links of ~/.m2 for third-party artifacts, so no download);
#   3. its dependency tree must not hold Vert.x, Hazelcast, a Prometheus registry or Netty's native
#      epoll jar (the application's choice); the sources jar must be published;
#   3b. the public API of each published jar matches the recorded baseline (deploy/api/api.sh);
#   4. it compiles and runs smc-netty's README example: on a kernel without SMC it serves over TCP
#      and says why, on NIO (no native epoll jar) and says why; in an SMC kernel it says SMCD.
# Env: MAVEN_REPO (the shared local repository to link from, default ~/.m2/repository).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
WORK=$REPO/target/consumer
STAGE=$WORK/staging
M2=$WORK/m2
SHARED=${MAVEN_REPO:-$HOME/.m2/repository}
JDK=/usr/lib/jvm/temurin-25-jdk-amd64
VERSION=0.1.0-SNAPSHOT
t0=$(date +%s)
step() { echo "consumer: == $* ($(( $(date +%s) - t0 ))s)"; }
fail() { echo "consumer: FAIL: $*" >&2; exit 1; }
rm -rf "$WORK"; mkdir -p "$STAGE" "$M2"

step "publish the reactor to a private file repository, with javadoc (-Prelease; tests skipped: the host build ran them)"
# Maven itself on JDK 25: the javadoc plugin reads module-info.class (Java 25) with Maven's own JDK; its
# java first on PATH too (on a matching JDK the toolchains plugin selects no toolchain, and `java` of an
# exec would be the machine's 17). The Quarkus example's fast-jar is for the lab, not published: skipped
(cd "$REPO" && PATH="$JDK/bin:$PATH" JAVA_HOME=$JDK mvn -B -ntp -q deploy -Prelease -DskipTests -Dmaven.install.skip=true \
   -Dquarkus.package.skip=true \
   -DaltDeploymentRepository="staging::file://$STAGE") || fail "mvn deploy to $STAGE"
for a in smc-vertx-bom smc-netty smc-transport; do
  [ -d "$STAGE/io/smcvertx/$a/$VERSION" ] || fail "$a was not published"
done

step "each BOM artifact: jar, -sources.jar, -javadoc.jar, POM metadata (deploy/consumer/published.py)"
/usr/bin/python3 "$REPO/deploy/consumer/published.py" "$STAGE" "$VERSION" || fail "the published shape (above)"

step "public API of the published jars against deploy/api/ (deploy/api/api.sh)"
"$REPO/deploy/api/api.sh" check "$STAGE" || fail "the public API changed (diff above)"

step "a private local repository: hard links of $SHARED, without io/smcvertx"
if [ -d "$SHARED" ]; then
  cp -al "$SHARED/." "$M2/"
  rm -rf "$M2/io/smcvertx"
  # files Maven may rewrite in place are copied, so no write reaches the shared repository
  /usr/bin/python3 - "$M2" <<'PY'
import os, sys
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f == "_remote.repositories" or f.startswith("maven-metadata") or f == "resolver-status.properties" or f.endswith(".lastUpdated"):
            p = os.path.join(root, f)
            data = open(p, "rb").read()
            os.unlink(p)
            open(p, "wb").write(data)
PY
fi

C=(mvn -B -ntp -q -f "$REPO/deploy/consumer/pom.xml" -Dmaven.repo.local="$M2" -Dstaging.url="file://$STAGE")
step "dependency tree of the consumer"
"${C[@]}" dependency:tree -DoutputFile="$WORK/tree.txt" || fail "dependency:tree"
cat "$WORK/tree.txt"
grep -q 'io.smcvertx:smc-netty:jar:' "$WORK/tree.txt" || fail "smc-netty not resolved"
if grep -E 'io\.vertx:|com\.hazelcast:|micrometer-registry-prometheus|netty-transport-native-epoll' "$WORK/tree.txt"; then
  fail "the core library brings a dependency it must not (above)"
fi

step "compile and run the README example"
JAVA_HOME=$JDK "${C[@]}" package dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" || fail "consumer build"
out=$("$JDK/bin/java" --enable-native-access=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
      -cp "$REPO/deploy/consumer/target/classes:$(cat "$WORK/cp.txt")" example.Main 2>&1) || fail "example.Main: $out"
echo "$out"
grep -q '^layer: SmcNetty\[PREFERRED, NIO: Netty native epoll unavailable here' <<<"$out" \
  || fail "without the native epoll jar the layer must choose NIO and say why"
grep -Eq '^verdict: accepted 127\.0\.0\.1:[0-9]+ <- 127\.0\.0\.1:[0-9]+: (SMCD|FALLBACK_TCP reason 0x03010000 \(PEERNOSMC\)|TCP \[SMC unavailable: .+\])$' <<<"$out" \
  || fail "no verdict from the kernel (or its cause)"
rm -rf "$REPO/deploy/consumer/target"
step "PASS"
