package dev.bulwark.platform.web;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The key per-address rules count a caller under: the client's IPv4 address, or the /64 prefix
 * of an IPv6 one (a single subscriber gets a whole /64, so counting full IPv6 addresses would
 * give an attacker 2^64 budgets). Behind the cluster's ingress the address is the client's, not
 * the proxy's: {@code server.forward-headers-strategy: native} (platform defaults) lets Tomcat's
 * RemoteIpValve take it from {@code X-Forwarded-For} when, and only when, the request comes from a
 * trusted internal proxy.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServletRequest request) {
        return key(request.getRemoteAddr());
    }

    static String key(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.indexOf(':') < 0) {
            return String.valueOf(remoteAddress);
        }
        try {
            byte[] bytes = InetAddress.getByName(remoteAddress).getAddress();
            if (bytes.length != 16) {
                return remoteAddress;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        catch (UnknownHostException e) {
            return remoteAddress;
        }
    }
}
