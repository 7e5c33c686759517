package io.smcvertx.handlers.internal.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smcvertx.handlers.HandlerConfig;
import io.smcvertx.handlers.ProtocolHandlers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HttpRouterTest {

    private record Reply(int status, String body) {
    }

    private static Future<Reply> call(HttpClient client, int port, HttpMethod method, String uri, String body) {
        return client.request(method, port, "127.0.0.1", uri)
                .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), b.toString())));
    }

    @Test
    void healthEchoAndStaticFiles(Vertx vertx, VertxTestContext ctx, @TempDir Path www) throws Exception {
        Files.writeString(www.resolve("hello.txt"), "static hello");
        Router router = ProtocolHandlers.load().createRouter(HandlerConfig.fromJson(
                new JsonObject().put("name", "http").put("staticDir", www.toString()), vertx));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
        int port = server.actualPort();
        HttpClient client = vertx.createHttpClient();
        call(client, port, HttpMethod.GET, "/health", null)
                .compose(health -> {
                    ctx.verify(() -> {
                        assertThat(health.status()).isEqualTo(200);
                        assertThat(new JsonObject(health.body())).isEqualTo(new JsonObject().put("status", "UP"));
                    });
                    return call(client, port, HttpMethod.POST, "/echo", "{\"a\":[1,2,{\"b\":\"c\"}]}");
                })
                .compose(echo -> {
                    ctx.verify(() -> {
                        assertThat(echo.status()).isEqualTo(200);
                        assertThat(new JsonObject(echo.body())).isEqualTo(new JsonObject("{\"a\":[1,2,{\"b\":\"c\"}]}"));
                    });
                    return call(client, port, HttpMethod.POST, "/echo", "not json");
                })
                .compose(bad -> {
                    ctx.verify(() -> assertThat(bad.status()).isEqualTo(400));
                    return call(client, port, HttpMethod.GET, "/static/hello.txt", null);
                })
                .compose(file -> {
                    ctx.verify(() -> assertThat(file).isEqualTo(new Reply(200, "static hello")));
                    return call(client, port, HttpMethod.GET, "/static/../pom.xml", null);
                })
                .onComplete(ctx.succeeding(escape -> ctx.verify(() -> {
                    assertThat(escape.status()).isNotEqualTo(200);
                    client.close();
                    ctx.completeNow();
                })));
    }

    @Test
    void aMissingStaticDirIsRejectedNamingTheField(Vertx vertx) {
        assertThatThrownBy(() -> ProtocolHandlers.load().createRouter(HandlerConfig.fromJson(
                new JsonObject().put("name", "http").put("staticDir", "/does/not/exist"), vertx)))
                .hasMessageContaining("`handler.staticDir` (handler `http`) must be a directory");
    }
}
