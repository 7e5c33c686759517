#!/usr/bin/env bash
# Builds smc-vertx's own libdisni.so (libdisni.c, beside this script) into OUTDIR with gcc ($CC).
#
#   build-libdisni.sh OUTDIR          then run the JVM with -Djava.library.path=OUTDIR
#
# Needs gcc, the rdma-core headers and link libraries (Debian: libibverbs-dev librdmacm-dev,
# installed by deploy/lab/setup.sh and .ci/run) and a JDK's jni.h ($JAVA_HOME, else the
# project's JDK 25). Run-time needs: libibverbs1, librdmacm1, and a provider (ibverbs-providers).
# LIBDISNI_CFLAGS adds compiler flags (the host test uses it to check the JNI signatures).
set -euo pipefail
OUT=${1:?usage: build-libdisni.sh OUTDIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
CC=${CC:-$(command -v gcc || command -v gcc-12 || echo gcc)}
[ -f "$JDK/include/jni.h" ] || { echo "build-libdisni: no $JDK/include/jni.h (set JAVA_HOME to a JDK)" >&2; exit 3; }
for h in infiniband/verbs.h rdma/rdma_cma.h; do
  [ -f "/usr/include/$h" ] || { echo "build-libdisni: no /usr/include/$h: apt-get install libibverbs-dev librdmacm-dev" >&2; exit 3; }
done
mkdir -p "$OUT"
# -z defs: every verbs/rdma_cm symbol must resolve now, not at the JVM's first call
read -r -a EXTRA <<< "${LIBDISNI_CFLAGS:-}"
"$CC" -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIC -shared -Wl,-z,defs \
  -I"$JDK/include" -I"$JDK/include/linux" "${EXTRA[@]}" \
  -o "$OUT/libdisni.so.tmp" "$HERE/libdisni.c" -libverbs -lrdmacm
mv "$OUT/libdisni.so.tmp" "$OUT/libdisni.so"
echo "build-libdisni: $OUT/libdisni.so"
