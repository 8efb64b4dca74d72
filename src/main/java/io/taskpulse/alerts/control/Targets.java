package io.taskpulse.alerts.control;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where alerts may be sent (server-side request forgery): the operator's allowlist
 * ({@code taskpulse.alerts.allow-hosts}) of host names, addresses or networks, and the word {@code public} for any
 * address that is not internal. Internal means loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
 * (169.254/16 with the cloud metadata service, fe80::/10), carrier-grade NAT (100.64/10), 0/8, any-local and
 * multicast. A host is resolved and EVERY address checked, when a channel is created and again before each send.
 */
public final class Targets {

    private final boolean publicAllowed;
    private final List<String> names = new ArrayList<>();
    private final List<Network> networks = new ArrayList<>();

    private Targets(boolean publicAllowed) {
        this.publicAllowed = publicAllowed;
    }

    /** Parses the setting; an entry that is neither a name nor a network is ignored with the rest kept. */
    public static Targets parse(String setting) {
        List<String> entries = new ArrayList<>();
        for (String entry : (setting == null ? "public" : setting).split(",")) {
            if (!entry.isBlank()) {
                entries.add(entry.strip().toLowerCase(Locale.ROOT));
            }
        }
        Targets targets = new Targets(entries.contains("public"));
        for (String entry : entries) {
            if (entry.equals("public")) {
                continue;
            }
            Network network = Network.parse(entry);
            if (network != null) {
                targets.networks.add(network);
            } else {
                targets.names.add(entry);
            }
        }
        return targets;
    }

    /**
     * Why {@code host} must not be reached, or null when it may. Resolves the host (a name the operator listed is
     * allowed as such, whatever it resolves to).
     */
    public String refusal(String host) {
        if (host == null || host.isBlank()) {
            return "the URL has no host";
        }
        String wanted = host.toLowerCase(Locale.ROOT);
        if (wanted.startsWith("[") && wanted.endsWith("]")) {
            wanted = wanted.substring(1, wanted.length() - 1);
        }
        for (String name : names) {
            if (name.equals(wanted) || (name.startsWith("*.") && wanted.endsWith(name.substring(1)))) {
                return null;
            }
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(wanted);
        } catch (UnknownHostException e) {
            return "host " + host + " cannot be resolved";
        }
        for (InetAddress address : addresses) {
            String refused = refusal(host, address);
            if (refused != null) {
                return refused;
            }
        }
        return null;
    }

    String refusal(String host, InetAddress address) {
        for (Network network : networks) {
            if (network.contains(address)) {
                return null;
            }
        }
        String internal = internal(address);
        if (internal == null && publicAllowed) {
            return null;
        }
        return "host " + host + " resolves to " + address.getHostAddress()
                + (internal == null ? ", which is not in taskpulse.alerts.allow-hosts"
                : ", a " + internal + " address, refused unless taskpulse.alerts.allow-hosts lists it");
    }

    /** What kind of internal address this is, or null for a public one. */
    static String internal(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "private";
        }
        if (address.isAnyLocalAddress()) {
            return "wildcard";
        }
        if (address.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "\"this network\"";
            }
            if (first == 100 && second >= 64 && second < 128) {
                return "carrier-grade NAT";
            }
            if (first >= 240) {
                return "reserved";
            }
        } else if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "private (unique local)";
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return internal(InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return "unparseable";
                }
            }
        }
        return null;
    }

    /** An address and prefix length: {@code 10.0.0.0/8}, {@code ::1/128}, or a single address. */
    record Network(byte[] address, int prefix) {

        static Network parse(String text) {
            String[] parts = text.split("/", 2);
            String host = parts[0];
            if (!(host.contains(":") || host.matches("[0-9.]+"))) {
                return null;
            }
            try {
                byte[] address = InetAddress.getByName(host).getAddress(); // a literal: no lookup
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
                if (prefix < 0 || prefix > address.length * 8) {
                    return null;
                }
                return new Network(address, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                return null;
            }
        }

        boolean contains(InetAddress candidate) {
            byte[] other = candidate.getAddress();
            if (other.length != address.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((address[i] & mask) != (other[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
