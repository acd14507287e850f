package dev.bulwark.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a fixed local port, for making a dependency unreachable and reachable
 * again from a client's point of view: before {@link #start} and after {@link #close} the port
 * refuses connections; {@link #close} also cuts the open ones.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private TcpProxy(ServerSocket server, String targetHost, int targetPort) {
        this.server = server;
        Thread.ofVirtual().name("tcp-proxy-" + server.getLocalPort()).start(() -> accept(targetHost, targetPort));
    }

    /** Listens on {@code port} of the loopback address and forwards to the target. */
    public static TcpProxy start(int port, String targetHost, int targetPort) throws IOException {
        return new TcpProxy(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()), targetHost, targetPort);
    }

    /** A port that is free now, to configure a client with before the proxy starts. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void accept(String targetHost, int targetPort) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(target);
                pipe(client, target);
                pipe(target, client);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection dropped
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // a side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(TcpProxy::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
