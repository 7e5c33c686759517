package io.smcvertx.quarkus.example;

import io.quarkus.bootstrap.app.AugmentResult;
import io.quarkus.bootstrap.app.CuratedApplication;
import io.quarkus.bootstrap.app.QuarkusBootstrap;
import java.nio.file.Path;

/**
 * Packages the example as Quarkus' fast-jar (target/quarkus-app/quarkus-run.jar), what
 * quarkus-maven-plugin's build goal does, but in a JDK 25 process: the plugin runs inside Maven's
 * JVM (17 on these machines), which cannot load this project's Java 25 classes. The pom runs it
 * at {@code package} through exec-maven-plugin on the selected JDK toolchain.
 */
public final class PackageApp {

    private PackageApp() {
    }

    /** {@code args[0]}: the module's directory. */
    public static void main(String[] args) throws Exception {
        Path module = Path.of(args[0]).toAbsolutePath();
        Path target = module.resolve("target");
        try (CuratedApplication app = QuarkusBootstrap.builder()
                .setApplicationRoot(target.resolve("classes"))
                .setProjectRoot(module)
                .setTargetDirectory(target)
                .setBaseName("quarkus-example")
                .setMode(QuarkusBootstrap.Mode.PROD)
                .setLocalProjectDiscovery(true)
                .setIsolateDeployment(true)
                .build().bootstrap()) {
            AugmentResult result = app.createAugmentor().createProductionApplication();
            System.out.println("quarkus-package: " + result.getJar().getPath() + " (Java " + Runtime.version() + ")");
        }
    }
}
