package io.smcvertx.quarkus.deployment;

import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.bootstrap.classloading.QuarkusClassLoader;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.vertx.core.deployment.VertxOptionsConsumerBuildItem;
import io.smcvertx.quarkus.runtime.SmcConnectionModes;
import io.smcvertx.quarkus.runtime.SmcHealthCheck;
import io.smcvertx.quarkus.runtime.SmcMetrics;
import io.smcvertx.quarkus.runtime.SmcRecorder;

/** Build steps of the SMC extension. */
class SmcProcessor {

    private static final String FEATURE = "smc";
    // quarkus-micrometer provides the generic metrics capability (so does smallrye-metrics): ask for Micrometer itself
    private static final String MICROMETER_BINDER = "io.micrometer.core.instrument.binder.MeterBinder";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /** The connection-mode bean always; the health check and the meter binder only with their extensions. */
    @BuildStep
    AdditionalBeanBuildItem beans(Capabilities capabilities) {
        AdditionalBeanBuildItem.Builder beans = AdditionalBeanBuildItem.builder().setUnremovable()
                .addBeanClass(SmcConnectionModes.class);
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            beans.addBeanClass(SmcHealthCheck.class);
        }
        if (capabilities.isPresent(Capability.METRICS) && QuarkusClassLoader.isClassPresentAtRuntime(MICROMETER_BINDER)) {
            beans.addBeanClass(SmcMetrics.class);
        }
        return beans.build();
    }

    /**
     * At run time init, before Vert.x is created (Quarkus' Vert.x step consumes this item): the
     * transport is built from {@code quarkus.smc.*} and Vert.x is told to load it.
     */
    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    VertxOptionsConsumerBuildItem vertxTransport(SmcRecorder recorder) {
        // last, so that it wins over quarkus.vertx.prefer-native-transport=false
        return new VertxOptionsConsumerBuildItem(recorder.installTransport(), Integer.MAX_VALUE);
    }
}
