#!/usr/bin/env bash
# THE test command of smc-vertx: everything, from a fresh clone, in any directory (also under /tmp).
#   1. deploy/lab/setup.sh          build or reuse the kernel lab (cached in deploy/lab/cache/)
#   2. mvn -B verify                host build + unit tests (*Test); stages the lab classpath
#   3. lab ITs, one guest (lo)      lab self-test (SMC-D / fallback, read from smc_diag) + every *IT
#                                   class of the project in one JVM; JUnit XML comes back
#   4. SMC-R, two guests (stock)    Soft-RoCE over a qemu link; both kernels must say SMCR (python pair),
#                                   then a node and a Vert.x HttpClient in the two guests (JVM leg), then
#                                   DiSNI readiness and the verbs/SMC-R/TCP ping-pong (disni-2vm.sh)
#   0. monitoring                   promtool checks and unit-tests the alert rules (deploy/monitoring)
#   5. consumer check               the reactor deployed to a private file repository; a project outside
#                                   the reactor (deploy/consumer) imports the BOM, checks its dependency
#                                   tree and runs smc-netty's README example; public API vs deploy/api/
# Prints the wall time of each phase and a summary; exits non-zero when anything failed.
# Env: LAB_ITS_TIMEOUT (s, default 2700; the JUnit run inside has 2400), LAB_2VM_TIMEOUT (s, default 1800),
#      LAB_SKIP_SMC=1 (breaks the guest on purpose: must fail).
set -uo pipefail
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$LAB/../.." && pwd -P)
cd "$REPO"
T_ALL=$(date +%s)
NAMES=() RESULTS=() TIMES=()
phase() {   # phase NAME CMD...: runs CMD, records its rc and wall time
  local name=$1; shift
  echo; echo "################ test-all: $name"
  local t0; t0=$(date +%s)
  "$@"; local rc=$?
  local dt=$(( $(date +%s) - t0 ))
  NAMES+=("$name"); TIMES+=("$dt"); RESULTS+=("$rc")
  echo "################ test-all: $name: $([ $rc = 0 ] && echo PASS || echo "FAIL (rc=$rc)") in ${dt}s"
  return $rc
}
skip() { NAMES+=("$1"); TIMES+=(0); RESULTS+=("skipped: $2"); echo "################ test-all: $1: NOT RUN ($2)"; }

mvn_verify() {
  mvn -B -ntp verify
}

lab_its() {
  local rd; rd="$LAB/runs/test-all-$(date +%Y%m%d-%H%M%S)-its"
  "$LAB/run-in-vm.sh" -t lo --nic2 e1000e --timeout "${LAB_ITS_TIMEOUT:-2700}" --rundir "$rd" "$LAB/guest/run-its.sh"
  local rc=$?
  /usr/bin/python3 - "$rd/junit" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tot = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
for f in sorted(glob.glob(sys.argv[1] + "/*.xml")):
    root = ET.parse(f).getroot()
    for s in ([root] if root.tag == "testsuite" else root.iter("testsuite")):
        for k in tot:
            tot[k] += int(s.get(k, 0) or 0)
        for c in s.iter("testcase"):
            bad = c.find("failure") if c.find("failure") is not None else c.find("error")
            state = "FAIL" if bad is not None else "SKIP" if c.find("skipped") is not None else "ok"
            if state != "ok":
                print("test-all:   %s %s.%s: %s" % (state, c.get("classname"), c.get("name"),
                      ((bad if bad is not None else c.find("skipped")).get("message") or "")[:200]))
print("test-all: lab JUnit XML (%s): %d tests, %d failures, %d errors, %d skipped" % (
    sys.argv[1], tot["tests"], tot["failures"], tot["errors"], tot["skipped"]))
PY
  return $rc
}

phase "monitoring (promtool check/test rules, dashboard)" "$REPO/deploy/monitoring/check.sh"
if phase "lab setup" "$LAB/setup.sh"; then
  HOST_OK=0
  if phase "host build + unit tests (mvn verify)" mvn_verify; then
    HOST_OK=1
    phase "lab ITs (one guest, SMC-D loopback-ISM)" lab_its
  else
    skip "lab ITs (one guest, SMC-D loopback-ISM)" "the host build failed"
  fi
  # the DiSNI part needs the host build (its classes); it fails with that reason when the build did not run
  phase "SMC-R (two guests, Soft-RoCE; python pair + JVM leg + DiSNI)" "$LAB/run-2vm.sh" --timeout "${LAB_2VM_TIMEOUT:-1800}" "$LAB/guest/smcr-2vm.sh"
  # last: it deploys the reactor again (to a private file repository under target/, tests skipped)
  if [ $HOST_OK = 1 ]; then
    phase "consumer check + API baseline (published shape)" "$REPO/deploy/consumer/check.sh"
  else
    skip "consumer check + API baseline (published shape)" "the host build failed"
  fi
else
  skip "host build + unit tests (mvn verify)" "lab setup failed"
  skip "lab ITs (one guest, SMC-D loopback-ISM)" "lab setup failed"
  skip "SMC-R (two guests, Soft-RoCE; python pair + JVM leg)" "lab setup failed"
  skip "consumer check + API baseline (published shape)" "lab setup failed"
fi

echo; echo "################ test-all: summary ($REPO)"
FAILED=0
for i in "${!NAMES[@]}"; do
  r=${RESULTS[$i]}; [ "$r" = 0 ] && s=PASS || { s="FAIL ($r)"; FAILED=1; }
  printf '  %-44s %-28s %5ss\n' "${NAMES[$i]}" "$s" "${TIMES[$i]}"
done
printf '  %-44s %-28s %5ss\n' "total" "$([ $FAILED = 0 ] && echo PASS || echo FAIL)" "$(( $(date +%s) - T_ALL ))"
exit $FAILED
