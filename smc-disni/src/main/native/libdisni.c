/*
 * smc-vertx's own libdisni: the JNI side of DiSNI 2.1's com.ibm.disni.verbs.impl.NativeDispatcher,
 * for the natives smc-disni calls (its readiness probe and its verbs ping-pong), and no others.
 *
 * Written from two sources only: the Java declarations of NativeDispatcher in the disni-2.1 jar
 * (names, parameter types, which ones throw IOException, how the Java side lays out and reads the
 * memory it passes by address) and the rdma-core headers <infiniband/verbs.h> and
 * <rdma/rdma_cma.h> (Debian libibverbs-dev, librdmacm-dev). DiSNI's own C sources were not used.
 *
 * The contract the Java side imposes, and how this file meets it:
 *  - Every object DiSNI keeps ("objId") is a plain pointer to the rdma-core object, as a jlong.
 *    The Java side treats a negative objId as "no object", so failures either throw IOException
 *    (the natives declared with "throws IOException") or return -1.
 *  - Work requests, scatter/gather lists and work completions are laid out by the Java side in
 *    memory it owns, with the strides and offsets this library reports (_getIbvSendWRSize, ...):
 *    they are exactly struct ibv_send_wr / ibv_recv_wr / ibv_sge / ibv_wc, so they are handed to
 *    ibv_post_send / ibv_post_recv / ibv_poll_cq as they are, without copying.
 *  - _getCmEvent reports an event as its type and writes the listening id and the event's id to
 *    two addresses; the Java side never sees the event itself. The event is acknowledged here,
 *    right after it is read (so a later rdma_destroy_id never waits for an acknowledgement the
 *    Java side has no handle to give); _ackCmEvent therefore has nothing left to do.
 *  - Timeouts are milliseconds, -1 meaning "wait forever"; a timeout is reported as -1, not thrown,
 *    so that callers can poll.
 *
 * Natives of NativeDispatcher that are NOT here (no smc-disni code path calls them; the JVM throws
 * UnsatisfiedLinkError if anything does): _destroyEp, _getSrcAddr, _getDstAddr, _modifyQP,
 * _queryOdpSupport, _expPrefetchMr, _getContextNumCompVectors.
 */
#include <jni.h>
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

/* NativeDispatcher.JVERBS_VERSION in disni 2.1: its constructor refuses any other value. */
#define DISNI_JNI_VERSION 32
/* _createQP carries no SGE counts; every QP gets this many per work request. */
#define QP_MAX_SGE 4
/* _connect/_accept carry no RDMA read depth; one outstanding RDMA read/atomic each way. */
#define RDMA_READ_DEPTH 1

#define NATIVE(name) Java_com_ibm_disni_verbs_impl_NativeDispatcher__1##name
#define PTR(type, v) ((type *) (intptr_t) (v))
#define OBJ(p) ((jlong) (intptr_t) (p))

/* Throws java.io.IOException("<call> failed: <strerror> (errno N)"); err is a positive errno. */
static void throw_io(JNIEnv *env, const char *call, int err)
{
	char msg[256];
	jclass io;

	snprintf(msg, sizeof msg, "%s failed: %s (errno %d)", call, strerror(err), err);
	io = (*env)->FindClass(env, "java/io/IOException");
	if (io != NULL)
		(*env)->ThrowNew(env, io, msg);
}

/* Waits until fd is readable: 1 ready, 0 timed out, -1 error (errno set). */
static int wait_readable(int fd, jint timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r;

	do {
		r = poll(&p, 1, timeout_ms < 0 ? -1 : timeout_ms);
	} while (r < 0 && errno == EINTR);
	return r;
}

/* ---- rdma_cm ---------------------------------------------------------------------------- */

JNIEXPORT jlong JNICALL NATIVE(createEventChannel)(JNIEnv *env, jobject self)
{
	struct rdma_event_channel *ch = rdma_create_event_channel();

	(void) self;
	if (ch == NULL) {
		throw_io(env, "rdma_create_event_channel", errno);
		return -1;
	}
	return OBJ(ch);
}

JNIEXPORT jint JNICALL NATIVE(destroyEventChannel)(JNIEnv *env, jobject self, jlong channel)
{
	(void) env; (void) self;
	rdma_destroy_event_channel(PTR(struct rdma_event_channel, channel));
	return 0;
}

JNIEXPORT jlong JNICALL NATIVE(createId)(JNIEnv *env, jobject self, jlong channel, jshort ps)
{
	struct rdma_cm_id *id = NULL;

	(void) self;
	if (rdma_create_id(PTR(struct rdma_event_channel, channel), &id, NULL,
			   (enum rdma_port_space) (uint16_t) ps) != 0) {
		throw_io(env, "rdma_create_id", errno);
		return -1;
	}
	return OBJ(id);
}

JNIEXPORT jint JNICALL NATIVE(destroyCmId)(JNIEnv *env, jobject self, jlong id)
{
	(void) env; (void) self;
	return rdma_destroy_id(PTR(struct rdma_cm_id, id)) == 0 ? 0 : -errno;
}

/* addr: a struct sockaddr_in the Java side wrote (family, port and address in network order). */
JNIEXPORT void JNICALL NATIVE(bindAddr)(JNIEnv *env, jobject self, jlong id, jlong addr)
{
	(void) self;
	if (rdma_bind_addr(PTR(struct rdma_cm_id, id), PTR(struct sockaddr, addr)) != 0)
		throw_io(env, "rdma_bind_addr", errno);
}

JNIEXPORT void JNICALL NATIVE(listen)(JNIEnv *env, jobject self, jlong id, jint backlog)
{
	(void) self;
	if (rdma_listen(PTR(struct rdma_cm_id, id), backlog) != 0)
		throw_io(env, "rdma_listen", errno);
}

JNIEXPORT void JNICALL NATIVE(resolveAddr)(JNIEnv *env, jobject self, jlong id, jlong src, jlong dst,
					   jint timeout_ms)
{
	(void) self;
	if (rdma_resolve_addr(PTR(struct rdma_cm_id, id), src == 0 ? NULL : PTR(struct sockaddr, src),
			      PTR(struct sockaddr, dst), timeout_ms) != 0)
		throw_io(env, "rdma_resolve_addr", errno);
}

JNIEXPORT void JNICALL NATIVE(resolveRoute)(JNIEnv *env, jobject self, jlong id, jint timeout_ms)
{
	(void) self;
	if (rdma_resolve_route(PTR(struct rdma_cm_id, id), timeout_ms) != 0)
		throw_io(env, "rdma_resolve_route", errno);
}

/*
 * Returns the event type (RdmaCmEvent.EventType's ordinal is rdma_cm_event_type's value), or -1
 * when nothing arrived within timeout_ms or reading failed. Writes the listening id (0 unless the
 * event is a connect request) and the event's id to the two addresses.
 */
JNIEXPORT jint JNICALL NATIVE(getCmEvent)(JNIEnv *env, jobject self, jlong channel, jlong listen_out,
					  jlong id_out, jint timeout_ms)
{
	struct rdma_event_channel *ch = PTR(struct rdma_event_channel, channel);
	struct rdma_cm_event *event;
	jint type;

	(void) env; (void) self;
	if (wait_readable(ch->fd, timeout_ms) <= 0)
		return -1;
	if (rdma_get_cm_event(ch, &event) != 0)
		return -1;
	*PTR(jlong, listen_out) = OBJ(event->listen_id);
	*PTR(jlong, id_out) = OBJ(event->id);
	type = (jint) event->event;
	rdma_ack_cm_event(event);
	return type;
}

/* The event was acknowledged when it was read (see the top of this file). */
JNIEXPORT jint JNICALL NATIVE(ackCmEvent)(JNIEnv *env, jobject self, jint event)
{
	(void) env; (void) self; (void) event;
	return 0;
}

static struct rdma_conn_param conn_param(jint retry, jint rnr_retry, jlong private_data, jbyte private_len)
{
	struct rdma_conn_param p;

	memset(&p, 0, sizeof p);
	p.private_data = private_data == 0 ? NULL : PTR(const void, private_data);
	p.private_data_len = private_data == 0 ? 0 : (uint8_t) private_len;
	p.retry_count = (uint8_t) retry;
	p.rnr_retry_count = (uint8_t) rnr_retry;
	p.initiator_depth = RDMA_READ_DEPTH;
	p.responder_resources = RDMA_READ_DEPTH;
	return p;
}

JNIEXPORT void JNICALL NATIVE(connect)(JNIEnv *env, jobject self, jlong id, jint retry, jint rnr_retry,
				       jlong private_data, jbyte private_len)
{
	struct rdma_conn_param p = conn_param(retry, rnr_retry, private_data, private_len);

	(void) self;
	if (rdma_connect(PTR(struct rdma_cm_id, id), &p) != 0)
		throw_io(env, "rdma_connect", errno);
}

JNIEXPORT void JNICALL NATIVE(accept)(JNIEnv *env, jobject self, jlong id, jint retry, jint rnr_retry)
{
	struct rdma_conn_param p = conn_param(retry, rnr_retry, 0, 0);

	(void) self;
	if (rdma_accept(PTR(struct rdma_cm_id, id), &p) != 0)
		throw_io(env, "rdma_accept", errno);
}

JNIEXPORT jint JNICALL NATIVE(disconnect)(JNIEnv *env, jobject self, jlong id)
{
	(void) env; (void) self;
	return rdma_disconnect(PTR(struct rdma_cm_id, id)) == 0 ? 0 : -errno;
}

/* The device a bound or resolved id reached, or -1 when it reached none (bound to a wildcard). */
JNIEXPORT jlong JNICALL NATIVE(getContext)(JNIEnv *env, jobject self, jlong id)
{
	struct ibv_context *verbs = PTR(struct rdma_cm_id, id)->verbs;

	(void) env; (void) self;
	return verbs == NULL ? -1 : OBJ(verbs);
}

JNIEXPORT jlong JNICALL NATIVE(createQP)(JNIEnv *env, jobject self, jlong id, jlong pd, jlong send_cq,
					 jlong recv_cq, jint qp_type, jint max_send_wr, jint max_recv_wr,
					 jint max_inline)
{
	struct rdma_cm_id *cm_id = PTR(struct rdma_cm_id, id);
	struct ibv_qp_init_attr attr;

	(void) self;
	memset(&attr, 0, sizeof attr);
	attr.send_cq = PTR(struct ibv_cq, send_cq);
	attr.recv_cq = PTR(struct ibv_cq, recv_cq);
	attr.qp_type = (enum ibv_qp_type) qp_type;
	attr.cap.max_send_wr = (uint32_t) max_send_wr;
	attr.cap.max_recv_wr = (uint32_t) max_recv_wr;
	attr.cap.max_send_sge = QP_MAX_SGE;
	attr.cap.max_recv_sge = QP_MAX_SGE;
	attr.cap.max_inline_data = (uint32_t) max_inline;
	if (rdma_create_qp(cm_id, PTR(struct ibv_pd, pd), &attr) != 0) {
		throw_io(env, "rdma_create_qp", errno);
		return -1;
	}
	return OBJ(cm_id->qp);
}

/* id: the rdma_cm id that owns the QP (DiSNI passes the id, not the QP). */
JNIEXPORT jint JNICALL NATIVE(destroyQP)(JNIEnv *env, jobject self, jlong id)
{
	(void) env; (void) self;
	rdma_destroy_qp(PTR(struct rdma_cm_id, id));
	return 0;
}

JNIEXPORT jint JNICALL NATIVE(getQpNum)(JNIEnv *env, jobject self, jlong qp)
{
	(void) env; (void) self;
	return (jint) PTR(struct ibv_qp, qp)->qp_num;
}

/* ---- verbs ------------------------------------------------------------------------------ */

JNIEXPORT jint JNICALL NATIVE(getContextFd)(JNIEnv *env, jobject self, jlong context)
{
	(void) env; (void) self;
	return PTR(struct ibv_context, context)->cmd_fd;
}

JNIEXPORT jlong JNICALL NATIVE(allocPd)(JNIEnv *env, jobject self, jlong context)
{
	struct ibv_pd *pd = ibv_alloc_pd(PTR(struct ibv_context, context));

	(void) self;
	if (pd == NULL) {
		throw_io(env, "ibv_alloc_pd", errno);
		return -1;
	}
	return OBJ(pd);
}

/* DiSNI's deallocPd logs the handle first, so teardown needs this one. */
JNIEXPORT jint JNICALL NATIVE(getPdHandle)(JNIEnv *env, jobject self, jlong pd)
{
	(void) env; (void) self;
	return (jint) PTR(struct ibv_pd, pd)->handle;
}

JNIEXPORT jint JNICALL NATIVE(deallocPd)(JNIEnv *env, jobject self, jlong pd)
{
	(void) env; (void) self;
	return ibv_dealloc_pd(PTR(struct ibv_pd, pd)) == 0 ? 0 : -1;
}

JNIEXPORT jlong JNICALL NATIVE(createCompChannel)(JNIEnv *env, jobject self, jlong context)
{
	struct ibv_comp_channel *ch = ibv_create_comp_channel(PTR(struct ibv_context, context));

	(void) self;
	if (ch == NULL) {
		throw_io(env, "ibv_create_comp_channel", errno);
		return -1;
	}
	return OBJ(ch);
}

JNIEXPORT jint JNICALL NATIVE(destroyCompChannel)(JNIEnv *env, jobject self, jlong channel)
{
	(void) env; (void) self;
	return ibv_destroy_comp_channel(PTR(struct ibv_comp_channel, channel)) == 0 ? 0 : -1;
}

JNIEXPORT jlong JNICALL NATIVE(createCQ)(JNIEnv *env, jobject self, jlong context, jlong channel,
					 jint entries, jint comp_vector)
{
	struct ibv_cq *cq = ibv_create_cq(PTR(struct ibv_context, context), entries, NULL,
					  PTR(struct ibv_comp_channel, channel), comp_vector);

	(void) self;
	if (cq == NULL) {
		throw_io(env, "ibv_create_cq", errno);
		return -1;
	}
	return OBJ(cq);
}

JNIEXPORT jint JNICALL NATIVE(destroyCQ)(JNIEnv *env, jobject self, jlong cq)
{
	(void) env; (void) self;
	return ibv_destroy_cq(PTR(struct ibv_cq, cq)) == 0 ? 0 : -1;
}

/* Registers [addr, addr+len); writes lkey, rkey and the kernel handle as three 32-bit values. */
JNIEXPORT jlong JNICALL NATIVE(regMr)(JNIEnv *env, jobject self, jlong pd, jlong addr, jint len,
				      jint access, jlong lkey_out, jlong rkey_out, jlong handle_out)
{
	struct ibv_mr *mr = ibv_reg_mr(PTR(struct ibv_pd, pd), PTR(void, addr), (size_t) (uint32_t) len,
				       access);

	(void) self;
	if (mr == NULL) {
		throw_io(env, "ibv_reg_mr", errno);
		return -1;
	}
	*PTR(uint32_t, lkey_out) = mr->lkey;
	*PTR(uint32_t, rkey_out) = mr->rkey;
	*PTR(uint32_t, handle_out) = mr->handle;
	return OBJ(mr);
}

JNIEXPORT void JNICALL NATIVE(deregMr)(JNIEnv *env, jobject self, jlong mr)
{
	int err = ibv_dereg_mr(PTR(struct ibv_mr, mr));

	(void) self;
	if (err != 0)
		throw_io(env, "ibv_dereg_mr", err);
}

/* ibv_post_send/recv return the errno value itself, not -1. */
JNIEXPORT void JNICALL NATIVE(postSend)(JNIEnv *env, jobject self, jlong qp, jlong wr)
{
	struct ibv_send_wr *bad = NULL;
	int err = ibv_post_send(PTR(struct ibv_qp, qp), PTR(struct ibv_send_wr, wr), &bad);

	(void) self;
	if (err != 0)
		throw_io(env, "ibv_post_send", err);
}

JNIEXPORT void JNICALL NATIVE(postRecv)(JNIEnv *env, jobject self, jlong qp, jlong wr)
{
	struct ibv_recv_wr *bad = NULL;
	int err = ibv_post_recv(PTR(struct ibv_qp, qp), PTR(struct ibv_recv_wr, wr), &bad);

	(void) self;
	if (err != 0)
		throw_io(env, "ibv_post_recv", err);
}

/* Number of completions written to wc (0..ne), or a negative value when polling failed. */
JNIEXPORT jint JNICALL NATIVE(pollCQ)(JNIEnv *env, jobject self, jlong cq, jint ne, jlong wc)
{
	(void) env; (void) self;
	return ibv_poll_cq(PTR(struct ibv_cq, cq), ne, PTR(struct ibv_wc, wc));
}

JNIEXPORT jint JNICALL NATIVE(reqNotifyCQ)(JNIEnv *env, jobject self, jlong cq, jint solicited_only)
{
	(void) env; (void) self;
	return ibv_req_notify_cq(PTR(struct ibv_cq, cq), solicited_only);
}

/* 0 when a completion event was taken off the channel, -1 on timeout (Java acks it later). */
JNIEXPORT jint JNICALL NATIVE(getCqEvent)(JNIEnv *env, jobject self, jlong channel, jint timeout_ms)
{
	struct ibv_comp_channel *ch = PTR(struct ibv_comp_channel, channel);
	struct ibv_cq *cq;
	void *cq_context;
	int ready;

	(void) self;
	ready = wait_readable(ch->fd, timeout_ms);
	if (ready < 0) {
		throw_io(env, "poll(completion channel)", errno);
		return -1;
	}
	if (ready == 0)
		return -1;
	if (ibv_get_cq_event(ch, &cq, &cq_context) != 0) {
		throw_io(env, "ibv_get_cq_event", errno);
		return -1;
	}
	return 0;
}

JNIEXPORT jint JNICALL NATIVE(ackCqEvent)(JNIEnv *env, jobject self, jlong cq, jint events)
{
	(void) env; (void) self;
	ibv_ack_cq_events(PTR(struct ibv_cq, cq), (unsigned int) events);
	return 0;
}

/* ---- what the Java side checks in NativeDispatcher's constructor -------------------------- */

JNIEXPORT jint JNICALL NATIVE(getVersion)(JNIEnv *env, jobject self)
{
	(void) env; (void) self;
	return DISNI_JNI_VERSION;
}

JNIEXPORT jint JNICALL NATIVE(getSockAddrInSize)(JNIEnv *env, jobject self)
{
	(void) env; (void) self;
	return (jint) sizeof(struct sockaddr_in);
}

JNIEXPORT jint JNICALL NATIVE(getIbvRecvWRSize)(JNIEnv *env, jobject self)
{
	(void) env; (void) self;
	return (jint) sizeof(struct ibv_recv_wr);
}

JNIEXPORT jint JNICALL NATIVE(getIbvSendWRSize)(JNIEnv *env, jobject self)
{
	(void) env; (void) self;
	return (jint) sizeof(struct ibv_send_wr);
}

JNIEXPORT jint JNICALL NATIVE(getIbvSgeSize)(JNIEnv *env, jobject self)
{
	(void) env; (void) self;
	return (jint) sizeof(struct ibv_sge);
}

JNIEXPORT jint JNICALL NATIVE(getIbvWCSize)(JNIEnv *env, jobject self)
{
	(void) env; (void) self;
	return (jint) sizeof(struct ibv_wc);
}

JNIEXPORT jint JNICALL NATIVE(getRemoteAddressOffset)(JNIEnv *env, jobject self)
{
	(void) env; (void) self;
	return (jint) offsetof(struct ibv_send_wr, wr.rdma.remote_addr);
}

JNIEXPORT jint JNICALL NATIVE(getRKeyOffset)(JNIEnv *env, jobject self)
{
	(void) env; (void) self;
	return (jint) offsetof(struct ibv_send_wr, wr.rdma.rkey);
}
