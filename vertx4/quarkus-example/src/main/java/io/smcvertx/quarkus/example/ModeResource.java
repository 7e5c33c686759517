package io.smcvertx.quarkus.example;

import io.smcvertx.quarkus.runtime.SmcConnectionModes;
import io.smcvertx.transport.diag.SmcConnectionInfo;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.concurrent.CompletionStage;

/** Plain Quarkus REST: nothing here knows about SMC except the question it answers. */
@Path("/")
public class ModeResource {

    @Inject
    SmcConnectionModes modes;

    /** Any endpoint: served over SMC or TCP, whichever the connection got. */
    @GET
    @Path("hello")
    @Produces(MediaType.TEXT_PLAIN)
    public String hello() {
        return "hello";
    }

    /** The kernel's word on the connection this request came on, e.g. "accepted ...: SMCD". */
    @GET
    @Path("mode")
    @Produces(MediaType.TEXT_PLAIN)
    public CompletionStage<String> mode(@Context HttpServerRequest request) {
        return modes.of(request).thenApply(SmcConnectionInfo::logLine);
    }
}
