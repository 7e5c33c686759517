package io.smcvertx.transport.diag;

import io.smcvertx.transport.SmcNativeException;
import io.smcvertx.transport.internal.ffm.LibC;
import io.smcvertx.transport.system.SmcKernel;
import io.smcvertx.transport.system.Ueid;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Lab helpers: the SMC precondition check of the IT contract, loopback SMC pairs, UEID save/restore. */
public final class SmcLabSockets {

    private SmcLabSockets() {
    }

    /** Fails inside the lab, skips elsewhere, when the kernel has no AF_SMC or smc_diag. */
    public static void requireKernelSmc() {
        String missing = null;
        try {
            LibC.close(LibC.socket("socket(AF_SMC)", LibC.AF_SMC, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0));
            try (SmcDiag d = SmcDiag.open()) {
                d.dump();
            }
        } catch (IOException e) {
            missing = "needs kernel SMC: " + e.getMessage();
        }
        if (missing != null) {
            if (Boolean.getBoolean("smcvertx.lab")) {
                Assertions.fail("the lab guest has no working SMC: " + missing);
            }
            Assumptions.abort(missing);
        }
    }

    /** An AF_SMC listener on 127.0.0.1 plus, per {@link #connect}, client and accepted ends. */
    public static final class Pair implements AutoCloseable {
        public final int listenFd;
        public final int port;
        public int clientFd = -1;
        public int acceptedFd = -1;
        private Socket tcpClient;

        public Pair() throws SmcNativeException {
            listenFd = LibC.socket("socket(AF_SMC)", LibC.AF_SMC, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, LibC.SMCPROTO_SMC);
            LibC.bindInet("bind", listenFd, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            LibC.listen(listenFd, 16);
            port = LibC.localPort(listenFd);
        }

        /** Connects an AF_SMC client (or a plain JDK TCP socket) and moves {@code bytes} each way. */
        public Pair connect(boolean smcClient, int bytes) throws Exception {
            CompletableFuture<Integer> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return LibC.accept4(listenFd, LibC.SOCK_CLOEXEC);
                } catch (SmcNativeException e) {
                    throw new IllegalStateException(e);
                }
            });
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (smcClient) {
                clientFd = LibC.socket("socket(AF_SMC)", LibC.AF_SMC, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, LibC.SMCPROTO_SMC);
                LibC.connectInet("connect", clientFd, target);
            } else {
                tcpClient = new Socket(target.getAddress(), port);
            }
            acceptedFd = accepted.get(2, TimeUnit.MINUTES);
            byte[] data = new byte[bytes];
            java.util.Arrays.fill(data, (byte) 'x');
            if (bytes > 0) {
                // write from another thread: an SMC-D buffer is smaller than what a test may send
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        if (smcClient) {
                            LibC.writeFully("write", clientFd, data);
                        } else {
                            tcpClient.getOutputStream().write(data);
                            tcpClient.getOutputStream().flush();
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                int got = 0;
                while (got < bytes) {
                    byte[] r = LibC.readBytes("read", acceptedFd, Math.min(65536, bytes - got));
                    if (r.length == 0) {
                        throw new IOException("peer closed after " + got + " bytes");
                    }
                    got += r.length;
                }
                writer.get(2, TimeUnit.MINUTES);
            }
            return this;
        }

        public long clientInode() throws SmcNativeException {
            return LibC.inode(clientFd);
        }

        public long acceptedInode() throws SmcNativeException {
            return LibC.inode(acceptedFd);
        }

        @Override
        public void close() throws IOException {
            if (tcpClient != null) {
                tcpClient.close();
            }
            LibC.closeQuietly(clientFd);
            LibC.closeQuietly(acceptedFd);
            LibC.closeQuietly(listenFd);
        }
    }

    /** Runs {@code body} with exactly {@code ueids} configured, then restores the previous table. */
    public static void withUeids(SmcKernel k, List<Ueid> ueids, ThrowingRunnable body) throws Exception {
        List<Ueid> saved = k.ueids();
        try {
            k.flushUeids();
            for (Ueid u : ueids) {
                k.addUeid(u);
            }
            body.run();
        } finally {
            k.flushUeids();
            for (Ueid u : saved) {
                k.addUeid(u);
            }
        }
    }

    /** A block that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
