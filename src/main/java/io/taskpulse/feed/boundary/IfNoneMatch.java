package io.taskpulse.feed.boundary;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code If-None-Match} of a feed request (RFC 9110, section 13.1.2): the revisions a client holds, named by
 * the feed's ETags {@code "R"}. A weak tag {@code W/"R"} names the same revision (If-None-Match compares weakly),
 * {@code *} any revision, and a list names several; tags that are not revisions name none. A header that is not a
 * list of entity tags is ignored as a whole, as if absent: a client's mistake there must not cost it the feed.
 */
final class IfNoneMatch {

    static final IfNoneMatch ABSENT = new IfNoneMatch(false, List.of());

    /** Longer than any revision a feed can reach, short enough never to overflow. */
    private static final int MAX_DIGITS = 18;

    private final boolean any;
    private final List<Long> revisions;

    private IfNoneMatch(boolean any, List<Long> revisions) {
        this.any = any;
        this.revisions = revisions;
    }

    /** @param fields every If-None-Match field of the request (a client may send several; they form one list) */
    static IfNoneMatch parse(List<String> fields) {
        boolean any = false;
        List<Long> revisions = new ArrayList<>();
        for (String field : fields) {
            if (!parseField(field, revisions)) {
                return ABSENT;
            }
            any |= field.strip().equals("*");
        }
        return any || !revisions.isEmpty() ? new IfNoneMatch(any, List.copyOf(revisions)) : ABSENT;
    }

    /** Whether the client says it holds this revision: then it is current, whatever {@code since} says. */
    boolean matches(long revision) {
        return any || revisions.contains(revision);
    }

    /** The revision of a header that names exactly one: it stands for {@code since} when that is absent. */
    OptionalLong only() {
        return !any && revisions.size() == 1 ? OptionalLong.of(revisions.get(0)) : OptionalLong.empty();
    }

    /** Adds the field's revisions; false when the field is not {@code *} or a list of entity tags. */
    private static boolean parseField(String field, List<Long> revisions) {
        String text = field.strip();
        if (text.equals("*")) {
            return true;
        }
        int at = 0;
        boolean tagSeen = false;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == ',' || c == ' ' || c == '\t') {
                at++;
                continue;
            }
            if (text.startsWith("W/", at)) {
                at += 2;
            }
            if (at >= text.length() || text.charAt(at) != '"') {
                return false;
            }
            int close = text.indexOf('"', at + 1);
            if (close < 0) {
                return false;
            }
            String opaque = text.substring(at + 1, close);
            if (!opaque.isEmpty() && opaque.length() <= MAX_DIGITS && opaque.chars().allMatch(d -> d >= '0' && d <= '9')) {
                revisions.add(Long.parseLong(opaque));
            }
            tagSeen = true;
            at = close + 1;
            // a tag ends the element: only whitespace or a comma may follow
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
                at++;
            }
            if (at < text.length() && text.charAt(at) != ',') {
                return false;
            }
        }
        return tagSeen;
    }
}
