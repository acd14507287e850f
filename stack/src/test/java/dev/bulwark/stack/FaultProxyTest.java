package dev.bulwark.stack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault proxy in front of an echo server: each fault measured from the client's side. */
@Timeout(30)
class FaultProxyTest {

    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void echoServerBehindAProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket connection = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (connection; InputStream in = connection.getInputStream();
                             OutputStream out = connection.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException closed) {
                            // the proxy went away
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        proxy = FaultProxy.start("test", freePort(), "127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void aHealthyProxyForwardsBothWaysAndAddsLittleToARoundTrip() throws IOException {
        try (Socket direct = connect(echo.getLocalPort()); Socket proxied = connect(proxy.port())) {
            // Warmed up first, so that neither side pays the JIT's compilation of the other.
            medianRoundTripMicros(direct, 300);
            medianRoundTripMicros(proxied, 300);
            long directMicros = medianRoundTripMicros(direct, 300);
            long proxiedMicros = medianRoundTripMicros(proxied, 300);
            System.out.printf("[fault-proxy] median round trip direct %d µs, through the healthy proxy %d µs%n",
                    directMicros, proxiedMicros);
            assertThat(proxiedMicros - directMicros).as("added by the healthy proxy, µs").isLessThan(5_000);
        }
        assertThat(proxy.faults()).isEqualTo(FaultProxy.Faults.HEALTHY);
    }

    @Test
    void latencyDelaysEachRoundTripByAboutTheLatency() throws IOException {
        proxy.latency(Duration.ofMillis(150), Duration.ZERO);
        try (Socket socket = connect(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                long millis = roundTripMicros(socket, "ping".getBytes()) / 1000;
                assertThat(millis).isBetween(145L, 400L);
            }
        }
        proxy.latency(Duration.ofMillis(100), Duration.ofMillis(80));
        try (Socket socket = connect(proxy.port())) {
            for (int i = 0; i < 10; i++) {
                assertThat(roundTripMicros(socket, "ping".getBytes()) / 1000).isBetween(15L, 400L);
            }
        }
        proxy.heal();
        try (Socket socket = connect(proxy.port())) {
            assertThat(roundTripMicros(socket, "ping".getBytes()) / 1000).isLessThan(50L);
        }
    }

    @Test
    void aBandwidthLimitSlowsABulkTransferToTheRate() throws IOException {
        proxy.bandwidth(200_000);
        byte[] payload = new byte[100_000];
        Arrays.fill(payload, (byte) 7);
        try (Socket socket = connect(proxy.port())) {
            long millis = roundTripMicros(socket, payload) / 1000;
            // 100 kB at 200 kB/s is 0.5 s each way; the directions overlap, so about 0.5 s in all.
            assertThat(millis).isBetween(450L, 3_000L);
        }
    }

    @Test
    void aCutResetsOpenConnectionsAndRefusesNewOnesUntilHealed() throws IOException {
        Socket open = connect(proxy.port());
        roundTripMicros(open, "before".getBytes());
        assertThat(proxy.openConnections()).isEqualTo(1);

        proxy.cut();

        open.setSoTimeout(2_000);
        assertThat(readOrFail(open)).as("the open connection ends").isEqualTo(-1);
        open.close();
        assertThatThrownBy(() -> connect(proxy.port())).isInstanceOf(ConnectException.class);
        assertThat(proxy.openConnections()).isZero();

        proxy.heal();
        try (Socket socket = connect(proxy.port())) {
            roundTripMicros(socket, "after".getBytes());
        }
    }

    @Test
    void halfOpenAcceptsButAnswersNothingAndHealDeliversWhatWasHeld() throws IOException {
        Socket open = connect(proxy.port());
        roundTripMicros(open, "before".getBytes());

        proxy.halfOpen();

        Socket late = connect(proxy.port());
        for (Socket socket : new Socket[] { open, late }) {
            socket.setSoTimeout(700);
            socket.getOutputStream().write("held".getBytes());
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }

        proxy.heal();

        for (Socket socket : new Socket[] { open, late }) {
            socket.setSoTimeout(2_000);
            assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("held".getBytes());
            socket.close();
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static long roundTripMicros(Socket socket, byte[] payload) throws IOException {
        long start = System.nanoTime();
        socket.getOutputStream().write(payload);
        byte[] answer = socket.getInputStream().readNBytes(payload.length);
        assertThat(answer).isEqualTo(payload);
        return (System.nanoTime() - start) / 1000;
    }

    private static long medianRoundTripMicros(Socket socket, int times) throws IOException {
        long[] micros = new long[times];
        for (int i = 0; i < times; i++) {
            micros[i] = roundTripMicros(socket, "x".getBytes());
        }
        Arrays.sort(micros);
        return micros[times / 2];
    }

    /** -1 for an orderly end or a reset: both end the connection for the client. */
    private static int readOrFail(Socket socket) {
        try {
            return socket.getInputStream().read();
        } catch (SocketTimeoutException stillOpen) {
            return -2;
        } catch (IOException reset) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
