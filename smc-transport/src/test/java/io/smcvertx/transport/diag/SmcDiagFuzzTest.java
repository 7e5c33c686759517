package io.smcvertx.transport.diag;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.smcvertx.transport.internal.netlink.NlMsg;

/**
 * Fuzz target for smc_diag dumps (a datagram of SOCK_DIAG_BY_FAMILY messages, each a
 * {@code smc_diag_msg} and its attributes). The one declared failure is
 * {@link IllegalArgumentException}; seeds are in {@code SmcDiagFuzzTestInputs/} (real kernel
 * dumps, and every crash found).
 */
class SmcDiagFuzzTest {

    @FuzzTest(maxDuration = "5s")
    void dumps(byte[] datagram) {
        try {
            for (SmcSocketInfo s : SmcDiagCodec.decodeAll(NlMsg.decodeAll(datagram))) {
                s.toString(); // every field readable
            }
        } catch (IllegalArgumentException declared) {
            // a malformed dump
        }
    }
}
