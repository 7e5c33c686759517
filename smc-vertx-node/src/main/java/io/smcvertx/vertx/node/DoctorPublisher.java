package io.smcvertx.vertx.node;

import com.hazelcast.core.HazelcastInstance;
import io.smcvertx.cluster.hazelcast.HazelcastDoctorReports;
import io.smcvertx.transport.doctor.SmcDoctor;
import io.smcvertx.transport.system.SmcKernel;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Examines this host on its own thread every re-check period and publishes the report beside
 * the host status, where {@code smcctl cluster doctor} reads every node's. A failed examination
 * or publish is retried at the next period; it never stops the node.
 */
final class DoctorPublisher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DoctorPublisher.class.getName());

    private final ScheduledExecutorService timer;

    private DoctorPublisher(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static DoctorPublisher start(String host, HazelcastInstance hz, Duration period) {
        SmcDoctor doctor = SmcDoctor.of(host, SmcKernel.netlink());
        HazelcastDoctorReports reports = HazelcastDoctorReports.on(hz);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "smc-doctor-publisher");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                reports.publish(doctor.run()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            } catch (Exception | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "doctor report not published (next try in " + period.toSeconds()
                        + " s): " + e);
            }
        }, 0, Math.max(1, period.toSeconds()), TimeUnit.SECONDS);
        return new DoctorPublisher(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
