package io.smcvertx.handlers.internal.splice;

import io.netty.channel.ChannelConfig;
import io.smcvertx.handlers.Connect;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A splice whose target does not exist yet holds what arrives and keeps its socket from reading,
 * even when something switches the channel's reads back on meanwhile (Vert.x does, once the queue
 * of a socket that was bound paused has drained): otherwise what it holds grows for as long as the
 * upstream connection takes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SpliceTest {

    private final List<Object> keep = new ArrayList<>();

    @Test
    void readsSwitchedBackOnBeforeTheTargetExistsStopAtTheNextRead(Vertx vertx, VertxTestContext ctx) {
        NetServer server = vertx.createNetServer().connectHandler(s -> {
            Splice splice = new Splice((StreamChannelInternal) s);
            ChannelConfig config = ((StreamChannelInternal) s).channelHandlerContext().channel().config();
            config.setAutoRead(true); // what VertxConnection.checkAutoRead does after such a drain
            // without the splice stopping reads again this never ends: the test times out
            vertx.setPeriodic(10, id -> {
                if (!config.isAutoRead()) {
                    vertx.cancelTimer(id);
                    splice.outGone(); // releases what it held
                    ctx.completeNow();
                }
            });
        }).listen(0, "127.0.0.1").await();
        keep.add(server);
        NetClient client = vertx.createNetClient();
        keep.add(client);
        Connect.onLoop(vertx, client, server.actualPort(), ctx, socket -> socket.write(Buffer.buffer("hello")));
    }
}
