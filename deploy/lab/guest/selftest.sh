#!/usr/bin/env bash
# Lab self-test: does this guest have a real SMC stack? (smc + smc_diag, SMC-D over loopback-ISM
# with a UEID, TCP fallback 0x03030008 without one; the kernel's smc_diag decides.)
#   deploy/lab/run-in-vm.sh deploy/lab/guest/selftest.sh
exec bash "$(dirname "${BASH_SOURCE[0]}")/run-its.sh" --selftest-only "$@"
