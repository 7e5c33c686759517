package io.smcvertx.disni.pingpong;

import com.ibm.disni.verbs.IbvCQ;
import com.ibm.disni.verbs.IbvCompChannel;
import com.ibm.disni.verbs.IbvContext;
import com.ibm.disni.verbs.IbvMr;
import com.ibm.disni.verbs.IbvPd;
import com.ibm.disni.verbs.IbvQP;
import com.ibm.disni.verbs.IbvQPInitAttr;
import com.ibm.disni.verbs.IbvRecvWR;
import com.ibm.disni.verbs.IbvSendWR;
import com.ibm.disni.verbs.IbvSge;
import com.ibm.disni.verbs.IbvWC;
import com.ibm.disni.verbs.RdmaCmId;
import com.ibm.disni.verbs.SVCPollCq;
import com.ibm.disni.verbs.SVCPostRecv;
import com.ibm.disni.verbs.SVCPostSend;
import com.ibm.disni.verbs.SVCReqNotify;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedList;
import java.util.List;

/**
 * One RC queue pair on an rdma_cm id, with registered buffers and DiSNI's stateful calls made
 * once and reused for every message (DiSNI serialises a work request when the call is made,
 * not when it is executed, so a reused call costs one JNI crossing and no garbage).
 *
 * <p>Completions are waited for in one of two ways: {@code event} arms the completion queue and
 * sleeps on its completion channel (like a blocking socket read; right for one vCPU, where a
 * spinning thread would take the CPU from the kernel work that completes the message), or
 * {@code busy} polls without sleeping (the classic RDMA latency loop, for hosts with cores to spare).
 */
final class VerbsEndpoint implements AutoCloseable {

    /** wr_id of a send from buffer {@code i} is {@code SEND_TAG + i}; of a receive into it, {@code i}. */
    static final long SEND_TAG = 1_000;
    private static final int EVENT_WAIT_MILLIS = 1_000;

    private final IbvPd pd;
    private final IbvCompChannel completions;
    private final IbvCQ cq;
    private final RdmaCmId id;
    private final ByteBuffer[] buffers;
    private final IbvMr[] regions;
    private final SVCPostSend[] sends;
    private final SVCPostRecv[] receives;
    private final IbvWC[] completion = {new IbvWC()};
    private final SVCPollCq poll;
    private final SVCReqNotify arm;
    private final boolean busy;
    private boolean armed;

    private VerbsEndpoint(RdmaCmId id, IbvPd pd, IbvCompChannel completions, IbvCQ cq, int bufferCount, int size,
                          boolean busy) throws IOException {
        this.id = id;
        this.pd = pd;
        this.completions = completions;
        this.cq = cq;
        this.busy = busy;
        IbvQPInitAttr attr = new IbvQPInitAttr();
        attr.setQp_type(IbvQP.IBV_QPT_RC);
        attr.setSend_cq(cq);
        attr.setRecv_cq(cq);
        attr.cap().setMax_send_wr(bufferCount);
        attr.cap().setMax_recv_wr(bufferCount);
        attr.cap().setMax_send_sge(1);
        attr.cap().setMax_recv_sge(1);
        IbvQP qp = id.createQP(pd, attr);
        if (qp == null) {
            throw new IOException("rdma_create_qp returned no queue pair");
        }
        buffers = new ByteBuffer[bufferCount];
        regions = new IbvMr[bufferCount];
        sends = new SVCPostSend[bufferCount];
        receives = new SVCPostRecv[bufferCount];
        for (int i = 0; i < bufferCount; i++) {
            buffers[i] = ByteBuffer.allocateDirect(size);
            regions[i] = pd.regMr(buffers[i], IbvMr.IBV_ACCESS_LOCAL_WRITE).execute().free().getMr();
            sends[i] = qp.postSend(List.of(sendRequest(i, size)), null);
            receives[i] = qp.postRecv(List.of(receiveRequest(i, size)), null);
        }
        poll = cq.poll(completion, 1);
        arm = cq.reqNotification(false);
    }

    /**
     * Creates the protection domain, completion channel and queue, the queue pair and
     * {@code bufferCount} registered buffers of {@code size} bytes on the device {@code id} reached.
     */
    static VerbsEndpoint create(RdmaCmId id, int bufferCount, int size, boolean busy) throws IOException {
        IbvContext context = id.getVerbs();
        if (context == null) {
            throw new IOException("the rdma_cm id reached no RDMA device");
        }
        IbvPd pd = context.allocPd();
        IbvCompChannel completions = context.createCompChannel();
        IbvCQ cq = context.createCQ(completions, 2 * bufferCount + 2, 0);
        return new VerbsEndpoint(id, pd, completions, cq, bufferCount, size, busy);
    }

    ByteBuffer buffer(int index) {
        return buffers[index];
    }

    /** Posts a receive into buffer {@code index}. */
    void receive(int index) throws IOException {
        receives[index].execute();
    }

    /** Posts a signalled send of {@code length} bytes from buffer {@code index}. */
    void send(int index, int length) throws IOException {
        sends[index].getWrMod(0).getSgeMod(0).setLength(length);
        sends[index].execute();
    }

    /**
     * The next work completion; it succeeded (an error status throws).
     *
     * @param deadline {@link System#nanoTime()} after which waiting fails
     */
    IbvWC next(long deadline) throws IOException {
        while (true) {
            if (poll.execute().getPolls() > 0) {
                IbvWC wc = completion[0];
                if (wc.getStatus() != IbvWC.IbvWcStatus.IBV_WC_SUCCESS.ordinal()) {
                    throw new IOException("work completion " + IbvWC.IbvWcStatus.valueOf(wc.getStatus())
                            + " (vendor error " + wc.getVendor_err() + ") for wr_id " + wc.getWr_id());
                }
                return wc;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("no work completion before the deadline");
            }
            if (busy) {
                Thread.onSpinWait();
            } else if (!armed) {
                // poll once more after arming: a completion that came in between is not lost
                arm.execute();
                armed = true;
            } else if (completions.getCqEvent(cq, EVENT_WAIT_MILLIS)) {
                cq.ackEvents(1);
                armed = false;
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Teardown step : new Teardown[] {id::destroyQP, cq::destroyCQ, completions::destroyCompChannel}) {
            first = run(step, first);
        }
        for (int i = 0; i < regions.length; i++) {
            sends[i].free();
            receives[i].free();
            IbvMr region = regions[i];
            first = run(() -> region.deregMr().execute().free(), first);
        }
        poll.free();
        arm.free();
        first = run(pd::deallocPd, first);
        if (first != null) {
            throw first;
        }
    }

    private static IOException run(Teardown step, IOException first) {
        try {
            step.run();
        } catch (Exception e) {
            IOException io = e instanceof IOException i ? i : new IOException(e);
            if (first == null) {
                return io;
            }
            first.addSuppressed(io);
        }
        return first;
    }

    private IbvSendWR sendRequest(int index, int size) {
        IbvSendWR wr = new IbvSendWR();
        wr.setWr_id(SEND_TAG + index);
        wr.setOpcode(IbvSendWR.IBV_WR_SEND);
        wr.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED);
        wr.setSg_list(new LinkedList<>(List.of(sge(index, size))));
        return wr;
    }

    private IbvRecvWR receiveRequest(int index, int size) {
        IbvRecvWR wr = new IbvRecvWR();
        wr.setWr_id(index);
        wr.setSg_list(new LinkedList<>(List.of(sge(index, size))));
        return wr;
    }

    private IbvSge sge(int index, int size) {
        IbvSge sge = new IbvSge();
        sge.setAddr(regions[index].getAddr());
        sge.setLength(size);
        sge.setLkey(regions[index].getLkey());
        return sge;
    }

    @FunctionalInterface
    private interface Teardown {
        void run() throws Exception;
    }
}
