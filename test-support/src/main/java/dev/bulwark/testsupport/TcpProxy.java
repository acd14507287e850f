package dev.bulwark.testsupport;

import java.io.IOException;
import java.net.ServerSocket;

import dev.bulwark.stack.FaultProxy;

/**
 * A TCP forwarder on a fixed local port, for making a dependency unreachable and reachable
 * again from a client's point of view: before {@link #start} and after {@link #close} the port
 * refuses connections; {@link #close} also cuts the open ones. The stack's {@link FaultProxy}
 * does the forwarding; use it directly for latency, bandwidth limits and half-open links.
 */
public final class TcpProxy implements AutoCloseable {

    private final FaultProxy proxy;

    private TcpProxy(FaultProxy proxy) {
        this.proxy = proxy;
    }

    /** Listens on {@code port} of the loopback address and forwards to the target. */
    public static TcpProxy start(int port, String targetHost, int targetPort) throws IOException {
        return new TcpProxy(FaultProxy.start("tcp-proxy-" + port, port, targetHost, targetPort));
    }

    /** A port that is free now, to configure a client with before the proxy starts. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        proxy.close();
    }
}
