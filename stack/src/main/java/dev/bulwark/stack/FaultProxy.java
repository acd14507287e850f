package dev.bulwark.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP forwarder on a loopback port that can hurt the link it stands on while clients use it: add latency and
 * jitter, limit the bandwidth, cut it (new connections refused, open ones reset) or hold it half-open (connections
 * accepted, nothing forwarded either way), and heal it. The stack's own stand-in for a Toxiproxy server or
 * {@code tc netem}, which this machine has neither of (docs/decisions.md).
 *
 * <p>Latency delays what flows back from the target (responses), so {@code latency 200ms} adds about 200 ms to
 * each round trip, as Toxiproxy's downstream latency does; bytes keep their order and a stream is not slowed to
 * one chunk per delay. The bandwidth limit applies to each direction.
 */
public final class FaultProxy implements AutoCloseable {

    private static final int CHUNK = 16 * 1024;
    /** Chunks waiting per direction; a full queue stops reading, so a held link pushes back on its sender. */
    private static final int QUEUED_CHUNKS = 64;

    private final String name;
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile Faults faults = Faults.HEALTHY;
    private ServerSocket server;
    private boolean closed;

    private FaultProxy(String name, int port, String targetHost, int targetPort) {
        this.name = name;
        this.port = port;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Listens on {@code port} of the loopback interface and forwards every connection to the target, healthy. */
    public static FaultProxy start(String name, int port, String targetHost, int targetPort) throws IOException {
        FaultProxy proxy = new FaultProxy(name, port, targetHost, targetPort);
        proxy.listen();
        return proxy;
    }

    /** What is wrong with the link now. */
    public record Faults(State state, Duration latency, Duration jitter, long bytesPerSecond) {

        public static final Faults HEALTHY = new Faults(State.FLOWING, Duration.ZERO, Duration.ZERO, 0);

        public enum State { FLOWING, CUT, HALF_OPEN }

        /** Reads like the command that made it: {@code flowing, latency 200ms ± 50ms, bandwidth 65536 B/s}. */
        public String describe() {
            StringBuilder text = new StringBuilder(state.name().toLowerCase().replace('_', '-'));
            if (!latency.isZero() || !jitter.isZero()) {
                text.append(", latency ").append(latency.toMillis()).append("ms");
                if (!jitter.isZero()) {
                    text.append(" ± ").append(jitter.toMillis()).append("ms");
                }
            }
            if (bytesPerSecond > 0) {
                text.append(", bandwidth ").append(bytesPerSecond).append(" B/s");
            }
            return text.toString();
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String target() {
        return targetHost + ":" + targetPort;
    }

    public Faults faults() {
        return faults;
    }

    /** Connections open through the proxy now (each a client socket and its target socket). */
    public int openConnections() {
        return connections.size();
    }

    /** Delays every response by {@code latency}, give or take up to {@code jitter} (uniformly). */
    public synchronized void latency(Duration latency, Duration jitter) {
        if (latency.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("Latency and jitter cannot be negative");
        }
        faults = new Faults(faults.state(), latency, jitter, faults.bytesPerSecond());
    }

    /** Limits each direction to {@code bytesPerSecond}; 0 lifts the limit. */
    public synchronized void bandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("Bandwidth cannot be negative");
        }
        faults = new Faults(faults.state(), faults.latency(), faults.jitter(), bytesPerSecond);
    }

    /** Refuses new connections (the port is closed) and resets the open ones, as a crashed peer or a firewall would. */
    public synchronized void cut() {
        faults = new Faults(Faults.State.CUT, faults.latency(), faults.jitter(), faults.bytesPerSecond());
        closeQuietly(server);
        server = null;
        connections.forEach(Connection::reset);
    }

    /**
     * Accepts connections but forwards nothing in either direction, on new and open connections alike, like a
     * peer that froze or a network that drops every packet: clients wait for their own timeouts. What was sent
     * meanwhile is delivered once the link heals, as TCP retransmission would deliver it.
     */
    public synchronized void halfOpen() throws IOException {
        faults = new Faults(Faults.State.HALF_OPEN, faults.latency(), faults.jitter(), faults.bytesPerSecond());
        listen();
    }

    /** Back to a healthy link: no latency, no limit, connections accepted and forwarded. */
    public synchronized void heal() throws IOException {
        faults = Faults.HEALTHY;
        listen();
        connections.forEach(Connection::wake);
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly(server);
        server = null;
        connections.forEach(Connection::reset);
    }

    private synchronized void listen() throws IOException {
        if (server != null || closed) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        // A port just closed by cut() has connections in TIME_WAIT; they must not keep heal() from binding it again.
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server = socket;
        Thread.ofVirtual().name("fault-proxy-" + name).start(() -> accept(socket));
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException closedByCut) {
                return;
            }
            Thread.ofVirtual().name("fault-proxy-" + name + "-connect").start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket target = new Socket();
        try {
            client.setTcpNoDelay(true);
            target.setTcpNoDelay(true);
            target.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
        } catch (IOException refused) {
            // The target is down: the client sees its connection dropped, as it would without the proxy.
            closeQuietly(client);
            closeQuietly(target);
            return;
        }
        Connection connection = new Connection(client, target);
        connections.add(connection);
        if (faults.state() == Faults.State.CUT) {
            // cut() ran while this one was connecting and did not see it.
            connection.reset();
            return;
        }
        connection.start();
    }

    /** One client connection and its connection to the target, with a reader and a writer thread per direction. */
    private final class Connection {

        private final Socket client;
        private final Socket target;
        private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        Connection(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void start() {
            direction(client, target, false);
            direction(target, client, true);
        }

        private void direction(Socket from, Socket to, boolean delayed) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            Thread reader = Thread.ofVirtual().unstarted(() -> read(from, queue, delayed));
            Thread writer = Thread.ofVirtual().unstarted(() -> write(queue, to));
            threads.add(reader);
            threads.add(writer);
            reader.start();
            writer.start();
        }

        private void read(Socket from, BlockingQueue<Chunk> queue, boolean delayed) {
            long lastRelease = 0;
            try (InputStream in = from.getInputStream()) {
                byte[] buffer = new byte[CHUNK];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    long release = System.nanoTime();
                    if (delayed) {
                        // Never before an earlier chunk: jitter must not reorder the stream.
                        release = Math.max(lastRelease, release + delayNanos(faults));
                        lastRelease = release;
                    }
                    byte[] bytes = new byte[read];
                    System.arraycopy(buffer, 0, bytes, 0, read);
                    queue.put(new Chunk(bytes, release));
                }
                queue.put(Chunk.END);
            } catch (IOException | InterruptedException closed) {
                close();
            }
        }

        private void write(BlockingQueue<Chunk> queue, Socket to) {
            long nextSlot = 0;
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == Chunk.END) {
                        break;
                    }
                    holdWhileHalfOpen();
                    sleepUntil(chunk.releaseAt());
                    int offset = 0;
                    while (offset < chunk.bytes().length) {
                        long rate = faults.bytesPerSecond();
                        // Small slices at a limited rate, so a 16 KB chunk does not leave as one burst.
                        int length = rate > 0
                                ? (int) Math.min(chunk.bytes().length - offset, Math.max(1, rate / 20))
                                : chunk.bytes().length - offset;
                        if (rate > 0) {
                            nextSlot = Math.max(nextSlot, System.nanoTime());
                            sleepUntil(nextSlot);
                            nextSlot += length * 1_000_000_000L / rate;
                        }
                        holdWhileHalfOpen();
                        out.write(chunk.bytes(), offset, length);
                        offset += length;
                    }
                    out.flush();
                }
            } catch (IOException | InterruptedException closed) {
                // a side closed, or the link was cut
            } finally {
                close();
            }
        }

        private void holdWhileHalfOpen() throws InterruptedException {
            while (faults.state() == Faults.State.HALF_OPEN && !client.isClosed()) {
                // wake() unparks early on heal; the timeout only bounds a missed wake-up.
                LockSupport.parkNanos(100_000_000L);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }

        void wake() {
            threads.forEach(LockSupport::unpark);
        }

        /** An abrupt end (RST), as a cut link or a crashed peer gives, rather than an orderly close. */
        void reset() {
            for (Socket socket : new Socket[] { client, target }) {
                try {
                    socket.setSoLinger(true, 0);
                } catch (IOException alreadyClosed) {
                    // nothing left to reset
                }
            }
            close();
        }

        void close() {
            closeQuietly(client);
            closeQuietly(target);
            connections.remove(this);
            // A reader blocked on a full queue, or a writer held by a half-open link, would otherwise wait forever.
            threads.forEach(Thread::interrupt);
        }
    }

    private record Chunk(byte[] bytes, long releaseAt) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    private static long delayNanos(Faults faults) {
        long latency = faults.latency().toNanos();
        long jitter = faults.jitter().toNanos();
        if (jitter > 0) {
            latency += ThreadLocalRandom.current().nextLong(-jitter, jitter + 1);
        }
        return Math.max(0, latency);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception alreadyClosed) {
            // nothing to do
        }
    }
}
