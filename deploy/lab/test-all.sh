#!/usr/bin/env bash
# THE test command of smc-vertx: everything, from a fresh clone, in any directory (also under /tmp).
#   1. deploy/lab/setup.sh          build or reuse the kernel lab (cached in deploy/lab/cache/)
#   2. mvn -B verify                host build + unit tests (*Test); stages the lab classpath
#   3. lab ITs, one guest (lo)      lab self-test (SMC-D / fallback, read from smc_diag) + every *IT
#                                   class of the project in one JVM; JUnit XML comes back
#   4. SMC-R, two guests (stock)    Soft-RoCE over a qemu link; both kernels must say SMCR (python pair),
#                                   then a node and a Vert.x HttpClient in the two guests (JVM leg), then
#                                   DiSNI readiness and the verbs/SMC-R/TCP ping-pong (disni-2vm.sh)
#   2'. fuzz                        every @FuzzTest fuzzed for FUZZ_DURATION (default 4s) each (deploy/fuzz/run.sh);
#                                   mvn verify already ran them over their seeds
#   5. no-SMC leg                   Debian's newest stock kernel (sid 7.x, built without SMC): the node
#                                   serves over TCP; /status, its log and smcctl info give the cause
#   6. s390x leg                    the IBM Z guest (TCG): self-test (SEID alone) + the ITs tagged ibmz in
#                                   one JVM, beside it the node from the README command, /status with the
#                                   SEID; its setup from nothing downloads ~340 MB and cross-builds net/smc
#   0. monitoring                   promtool checks and unit-tests the alert rules (deploy/monitoring)
#   7. consumer check               the reactor deployed (-Prelease: javadoc jars) to a private file
#                                   repository; each BOM artifact has jar, sources, javadoc, POM metadata;
#                                   a project outside the reactor (deploy/consumer) imports the BOM, checks
#                                   its dependency tree and runs smc-netty's README example; public API vs deploy/api/
# The no-SMC and s390x guests are built (setup-nosmc.sh, setup-s390x.sh) in phases of their own.
# Prints the wall time of each phase and a summary; exits non-zero when anything failed.
# Env: LAB_ITS_TIMEOUT (s, default 2700; the JUnit run inside has 2400), LAB_2VM_TIMEOUT (s, default 1800),
#      LAB_NOSMC_TIMEOUT (s, default 1200), LAB_S390X_TIMEOUT (s, default 3600),
#      LAB_NOSMC=0 (leave out the no-SMC leg and its setup), LAB_S390X=0 (leave out the s390x leg and its setup),
#      LAB_SKIP_SMC=1 (breaks the guest on purpose: must fail).
set -uo pipefail
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
REPO=$(cd "$LAB/../.." && pwd -P)
cd "$REPO"
T_ALL=$(date +%s)
NAMES=() RESULTS=() TIMES=()
# every failed test of every phase, repeated under the summary: CI shows the end of the output
FAILURES=$(mktemp) && trap 'rm -f "$FAILURES"' EXIT
phase() {   # phase NAME CMD...: runs CMD, records its rc and wall time
  local name=$1; shift
  echo; echo "################ test-all: $name"
  local t0 out; t0=$(date +%s) out=$(mktemp)
  "$@" 2>&1 | tee "$out"; local rc=${PIPESTATUS[0]}
  # the end of a failed phase's output goes under the summary too (a script's own words)
  [ $rc = 0 ] || { echo "--- $name (rc=$rc), its last lines:"; tail -n 12 "$out" | cut -c1-300; } >> "$FAILURES"
  rm -f "$out"
  local dt=$(( $(date +%s) - t0 ))
  NAMES+=("$name"); TIMES+=("$dt"); RESULTS+=("$rc")
  echo "################ test-all: $name: $([ $rc = 0 ] && echo PASS || echo "FAIL (rc=$rc)") in ${dt}s"
  return $rc
}
skip() { NAMES+=("$1"); TIMES+=(0); RESULTS+=("skipped: $2"); echo "################ test-all: $1: NOT RUN ($2)"; }
# asked for on purpose: not a failure, but the summary says so
left_out() { NAMES+=("$1"); TIMES+=(0); RESULTS+=("left out: $2"); echo "################ test-all: $1: LEFT OUT ($2)"; }

mvn_verify() {
  mvn -B -ntp verify && return 0
  local rc=$?
  junit_summary "$REPO/*/target/surefire-reports" "$REPO/vertx4/*/target/surefire-reports" >/dev/null
  return $rc
}

junit_summary() {   # junit_summary DIR...: totals and every failed or skipped test of the JUnit XML in DIR (a glob)
  /usr/bin/python3 - "$FAILURES" "$@" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tot = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
failures = open(sys.argv[1], "a")
for f in sorted(x for d in sys.argv[2:] for x in glob.glob(d + "/*.xml")):
    root = ET.parse(f).getroot()
    for s in ([root] if root.tag == "testsuite" else root.iter("testsuite")):
        for k in tot:
            tot[k] += int(s.get(k, 0) or 0)
        for c in s.iter("testcase"):
            bad = c.find("failure") if c.find("failure") is not None else c.find("error")
            state = "FAIL" if bad is not None else "SKIP" if c.find("skipped") is not None else "ok"
            if state != "ok":
                line = "test-all:   %s %s.%s: %s" % (state, c.get("classname"), c.get("name"),
                      ((bad if bad is not None else c.find("skipped")).get("message") or "").replace("\n", " ")[:300])
                print(line)
                if state == "FAIL":
                    failures.write(line + "\n")
print("test-all: JUnit XML (%s): %d tests, %d failures, %d errors, %d skipped" % (
    " ".join(sys.argv[2:]), tot["tests"], tot["failures"], tot["errors"], tot["skipped"]))
PY
}

lab_its() {
  local rd; rd="$LAB/runs/test-all-$(date +%Y%m%d-%H%M%S)-its"
  "$LAB/run-in-vm.sh" -t lo --nic2 e1000e --timeout "${LAB_ITS_TIMEOUT:-2700}" --rundir "$rd" "$LAB/guest/run-its.sh"
  local rc=$?
  junit_summary "$rd/junit"
  return $rc
}

nosmc_leg() {
  "$LAB/run-in-vm.sh" -t nosmc --timeout "${LAB_NOSMC_TIMEOUT:-1200}" \
    --rundir "$LAB/runs/test-all-$(date +%Y%m%d-%H%M%S)-nosmc" "$LAB/guest/nosmc-node.sh"
}

ibmz_leg() {
  local rd; rd="$LAB/runs/test-all-$(date +%Y%m%d-%H%M%S)-s390x"
  "$LAB/run-in-vm.sh" --arch s390x --timeout "${LAB_S390X_TIMEOUT:-3600}" --rundir "$rd" "$LAB/guest/ibmz-leg.sh"
  local rc=$?
  junit_summary "$rd/junit"
  return $rc
}

phase "monitoring (promtool check/test rules, dashboard)" "$REPO/deploy/monitoring/check.sh"
BUILT=0
if phase "lab setup" "$LAB/setup.sh" --amd64-only; then
  if phase "host build + unit tests (mvn verify)" mvn_verify; then
    BUILT=1
    phase "fuzz (Jazzer, bounded: ${FUZZ_DURATION:-4s} per target)" "$REPO/deploy/fuzz/run.sh" "${FUZZ_DURATION:-4s}"
    phase "lab ITs (one guest, SMC-D loopback-ISM)" lab_its
  else
    skip "fuzz (Jazzer, bounded)" "the host build failed"
    skip "lab ITs (one guest, SMC-D loopback-ISM)" "the host build failed"
  fi
  if [ "$BUILT" = 1 ]; then
    phase "SMC-R (two guests, Soft-RoCE; python pair + JVM leg + DiSNI)" "$LAB/run-2vm.sh" --timeout "${LAB_2VM_TIMEOUT:-1800}" "$LAB/guest/smcr-2vm.sh"
  else
    # the JVM leg and DiSNI need the host build's classes; the python pair still says whether SMC-R works
    LAB_SMCR_JVM=0 LAB_DISNI=0 phase "SMC-R (two guests, Soft-RoCE; python pair only: no host build)" \
      "$LAB/run-2vm.sh" --timeout "${LAB_2VM_TIMEOUT:-1800}" "$LAB/guest/smcr-2vm.sh"
  fi
else
  skip "host build + unit tests (mvn verify)" "lab setup failed"
  skip "fuzz (Jazzer, bounded)" "lab setup failed"
  skip "lab ITs (one guest, SMC-D loopback-ISM)" "lab setup failed"
  skip "SMC-R (two guests, Soft-RoCE; python pair + JVM leg)" "lab setup failed"
fi
# the other kernels: each leg needs its own guest and the host build's jars
if [ "${LAB_NOSMC:-1}" = 0 ]; then
  left_out "no-SMC leg (node over TCP, the cause shown)" "LAB_NOSMC=0"
elif phase "no-SMC setup (sid's newest amd64 kernel)" "$LAB/setup-nosmc.sh"; then
  if [ "$BUILT" = 1 ]; then phase "no-SMC leg (node over TCP, the cause shown)" nosmc_leg
  else skip "no-SMC leg (node over TCP, the cause shown)" "no host build"; fi
else
  skip "no-SMC leg (node over TCP, the cause shown)" "its setup failed"
fi
# the s390x leg took 163 s at load ~1.5 (874 s at load 12-22), its setup from nothing 136 s at load
# ~1 (716 s at load 11-15): well inside the 45-minute budget on 2 cores
if [ "${LAB_S390X:-1}" = 0 ]; then
  left_out "s390x leg (SEID alone, NIO, ITs tagged ibmz)" "LAB_S390X=0"
elif phase "s390x setup (IBM Z guest)" "$LAB/setup-s390x.sh"; then
  if [ "$BUILT" = 1 ]; then phase "s390x leg (SEID alone, NIO, ITs tagged ibmz)" ibmz_leg
  else skip "s390x leg (SEID alone, NIO, ITs tagged ibmz)" "no host build"; fi
else
  skip "s390x leg (SEID alone, NIO, ITs tagged ibmz)" "its setup failed"
fi

# last: it deploys the reactor again (to a private file repository under target/, tests skipped),
# after every leg that uses the host build's jars
if [ "$BUILT" = 1 ]; then
  phase "consumer check + API baseline (published shape)" "$REPO/deploy/consumer/check.sh"
else
  skip "consumer check + API baseline (published shape)" "no host build"
fi

echo; echo "################ test-all: summary ($REPO)"
FAILED=0
for i in "${!NAMES[@]}"; do
  r=${RESULTS[$i]}
  case "$r" in 0) s=PASS;; "left out: "*) s="LEFT OUT (${r#left out: })";; *) s="FAIL ($r)"; FAILED=1;; esac
  printf '  %-44s %-28s %5ss\n' "${NAMES[$i]}" "$s" "${TIMES[$i]}"
done
printf '  %-44s %-28s %5ss\n' "total" "$([ $FAILED = 0 ] && echo PASS || echo FAIL)" "$(( $(date +%s) - T_ALL ))"
if [ -s "$FAILURES" ]; then
  echo "what failed (the whole output is above, under each phase):"
  head -c 6000 "$FAILURES"
fi
exit $FAILED
