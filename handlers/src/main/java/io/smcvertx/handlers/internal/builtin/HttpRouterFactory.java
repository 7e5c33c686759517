package io.smcvertx.handlers.internal.builtin;

import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.spi.HttpHandlerFactory;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code http}: {@code GET /health} ({@code {"status":"UP"}}), {@code POST /echo} (returns the
 * JSON body it got; 400 for a body that is not JSON) and, when {@code staticDir} is set, the
 * files of that directory under {@code staticPath} (default {@code /static}).
 *
 * <p>Options: {@code staticDir} (absolute or relative to the working directory, must exist),
 * {@code staticPath}, {@code maxBodyBytes} (default 1 MiB).
 */
public final class HttpRouterFactory implements HttpHandlerFactory {

    /** The handler's name. */
    public static final String NAME = "http";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Router create(HandlerConfig config) {
        String staticDir = config.getString("staticDir", null);
        String staticPath = config.getString("staticPath", "/static");
        int maxBodyBytes = config.getInt("maxBodyBytes", 1 << 20, 0, Integer.MAX_VALUE);
        if (!staticPath.startsWith("/")) {
            throw new IllegalArgumentException("`handler.staticPath` (handler `http`) must start with `/`, got: " + staticPath);
        }
        Path dir = null;
        if (staticDir != null) {
            dir = Path.of(staticDir).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("`handler.staticDir` (handler `http`) must be a directory, got: " + dir);
            }
        }
        Router router = Router.router(config.requireVertx());
        router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
        router.post("/echo").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));
        router.post("/echo").handler(ctx -> {
            Object body;
            try {
                body = Json.decodeValue(ctx.body().buffer() == null ? io.vertx.core.buffer.Buffer.buffer() : ctx.body().buffer());
            } catch (DecodeException e) {
                ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", "body is not JSON: " + e.getMessage()).encode());
                return;
            }
            ctx.response().putHeader("content-type", "application/json").end(Json.encode(body));
        });
        if (dir != null) {
            String prefix = staticPath.endsWith("/") ? staticPath : staticPath + "/";
            router.route(prefix + "*").handler(StaticHandler.create(FileSystemAccess.ROOT, dir.toString())
                    .setCachingEnabled(false));
        }
        return router;
    }
}
