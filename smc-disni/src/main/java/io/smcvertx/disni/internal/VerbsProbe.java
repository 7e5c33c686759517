package io.smcvertx.disni.internal;

import static io.smcvertx.disni.RdmaReadinessStatus.LIBRARY_UNUSABLE;
import static io.smcvertx.disni.RdmaReadinessStatus.NO_RDMA_DEVICE;
import static io.smcvertx.disni.RdmaReadinessStatus.READY;
import static io.smcvertx.disni.RdmaReadinessStatus.VERBS_FAILED;

import com.ibm.disni.verbs.IbvCQ;
import com.ibm.disni.verbs.IbvCompChannel;
import com.ibm.disni.verbs.IbvContext;
import com.ibm.disni.verbs.IbvPd;
import com.ibm.disni.verbs.IbvQP;
import com.ibm.disni.verbs.IbvQPInitAttr;
import com.ibm.disni.verbs.RdmaCm;
import com.ibm.disni.verbs.RdmaCmId;
import com.ibm.disni.verbs.RdmaEventChannel;
import io.smcvertx.disni.RdmaReadiness;
import io.smcvertx.disni.RdmaReadinessStatus;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The part of the readiness check that calls DiSNI: binds an rdma_cm id to the address (DiSNI's
 * only way to a device: it cannot list devices or query ports), then creates and destroys a
 * protection domain, a completion channel and queue, and an RC queue pair on the device that
 * the bind reached. Only called once {@link DisniEnvironment#allowsDisni()} said so.
 */
public final class VerbsProbe {

    private static final int CQ_ENTRIES = 2;

    private VerbsProbe() {
    }

    /** The verdict for {@code address}, which is known to be local. Blocks for a few system calls. */
    public static RdmaReadiness probe(Inet4Address address) {
        Deque<Teardown> undo = new ArrayDeque<>();
        String step = "rdma_create_event_channel";
        try {
            RdmaEventChannel channel;
            try {
                channel = RdmaEventChannel.createEventChannel();
            } catch (IOException e) {
                // librdmacm refuses an event channel when the host has no RDMA device at all (ENODEV)
                return verdict(address, NO_RDMA_DEVICE, "no RDMA connection manager: " + e.getMessage(),
                        "load an RDMA driver (e.g. rdma_rxe: rdma link add rxe0 type rxe netdev ETH) and rdma_ucm");
            }
            undo.push(channel::destroyEventChannel);
            step = "rdma_create_id";
            RdmaCmId id = channel.createId(RdmaCm.RDMA_PS_TCP);
            undo.push(id::destroyId);
            step = "rdma_bind_addr";
            try {
                id.bindAddr(new InetSocketAddress(address, 0));
            } catch (IOException e) {
                return verdict(address, NO_RDMA_DEVICE, "rdma_cm cannot bind " + address.getHostAddress()
                        + " to an RDMA device: " + e.getMessage(), "create an RDMA device on the interface that has "
                        + address.getHostAddress() + " (RoCE NIC, or Soft-RoCE: rdma link add rxe0 type rxe netdev IFACE)");
            }
            step = "rdma_cm_id.verbs";
            IbvContext context = id.getVerbs();
            if (context == null) {
                return verdict(address, NO_RDMA_DEVICE, "rdma_cm bound " + address.getHostAddress()
                        + " but reached no RDMA device (the id has no verbs context)", "create an RDMA device on its interface");
            }
            int fd = context.getCmd_fd();
            step = "ibv_alloc_pd";
            IbvPd pd = context.allocPd();
            undo.push(pd::deallocPd);
            step = "ibv_create_comp_channel";
            IbvCompChannel completions = context.createCompChannel();
            undo.push(completions::destroyCompChannel);
            step = "ibv_create_cq";
            IbvCQ cq = context.createCQ(completions, CQ_ENTRIES, 0);
            undo.push(cq::destroyCQ);
            step = "rdma_create_qp";
            IbvQPInitAttr attr = new IbvQPInitAttr();
            attr.setQp_type(IbvQP.IBV_QPT_RC);
            attr.setSend_cq(cq);
            attr.setRecv_cq(cq);
            attr.cap().setMax_send_wr(1);
            attr.cap().setMax_recv_wr(1);
            IbvQP qp = id.createQP(pd, attr);
            if (qp == null) {
                throw new IOException("rdma_create_qp returned no queue pair");
            }
            undo.push(id::destroyQP);
            return new RdmaReadiness(address, READY, "rdma_cm bound " + address.getHostAddress()
                    + " to an RDMA device (verbs context, command fd " + fd + "); protection domain, completion queue ("
                    + CQ_ENTRIES + " entries) and RC queue pair #" + qp.getQp_num() + " created", Optional.empty());
        } catch (IOException e) {
            return verdict(address, VERBS_FAILED, step + " failed on the device " + address.getHostAddress()
                    + " reached: " + e.getMessage(), "check the device (rdma link, ulimit -l for registered memory, dmesg)");
        } catch (UnsatisfiedLinkError e) {
            return verdict(address, LIBRARY_UNUSABLE, "DiSNI could not use libdisni at " + step + ": " + e,
                    "use a libdisni built for DiSNI 2.1 (smc-disni/README.md)");
        } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
            return verdict(address, LIBRARY_UNUSABLE, "DiSNI's native dispatcher failed to initialise earlier in this JVM"
                    + " (every DiSNI call now fails): " + e, "restart the JVM with libdisni on java.library.path");
        } finally {
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (Exception | LinkageError ignored) {
                    // teardown of a probe: the verdict is already decided, and the objects die with the process anyway
                }
            }
        }
    }

    private static RdmaReadiness verdict(Inet4Address address, RdmaReadinessStatus status, String evidence, String remedy) {
        return new RdmaReadiness(address, status, evidence, Optional.of(remedy));
    }

    @FunctionalInterface
    private interface Teardown {
        void run() throws Exception;
    }
}
