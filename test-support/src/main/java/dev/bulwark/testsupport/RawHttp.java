package dev.bulwark.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A request written byte for byte on a socket, for what HTTP clients refuse to send or quietly
 * normalise ({@code //}, {@code /./}, {@code %00} in the path, oversized headers): what the
 * server itself answers to an attacker's raw request.
 */
public final class RawHttp {

    private RawHttp() {
    }

    public record Answer(int status, String contentType, String body) {
    }

    /** Sends {@code method target} with {@code extraHeaders} (each line ending in CRLF) and reads the whole answer. */
    public static Answer send(int port, String method, String target, String extraHeaders) {
        String request = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + extraHeaders
                + "\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int headEnd = text.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? text : text.substring(0, headEnd);
            String body = headEnd < 0 ? "" : text.substring(headEnd + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            String contentType = null;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).trim();
                }
            }
            return new Answer(status, contentType, body);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
