package dev.bulwark.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

final class Ports {

    private Ports() {
    }

    /** Fails with a readable message instead of letting a child process die with a bind error in its log. */
    static void requireFree(int port, String neededBy) {
        try (ServerSocket socket = new ServerSocket()) {
            // Sockets in TIME_WAIT from a previous run must not count as taken; the servers bind with SO_REUSEADDR too.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " (" + neededBy + ") is already in use. Is another Bulwark"
                    + " stack still running? See who holds it with: ss -ltnp 'sport = :" + port + "'", e);
        }
    }

    static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
