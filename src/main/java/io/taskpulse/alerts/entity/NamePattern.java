package io.taskpulse.alerts.entity;

/**
 * A rule's task-name glob: {@code *} any run of characters, {@code ?} one character, everything else literal.
 * <p>
 * Matched by the greedy two-pointer walk (backtracking only to the last {@code *}), in time linear in the lengths of
 * glob and name. Not a regular expression: {@code .*a.*a.*a…!} backtracks without end in java.util.regex, and rules are
 * matched inside the stamp, under the feed clock's lock, where one such pattern would freeze the feed on every server.
 */
public final class NamePattern {

    private NamePattern() {
    }

    public static boolean matches(String glob, String name) {
        if (glob == null) {
            return true;
        }
        if (name == null) {
            return false;
        }
        int g = 0;
        int n = 0;
        int star = -1;
        int resume = 0;
        while (n < name.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n)) && glob.charAt(g) != '*') {
                g++;
                n++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = n;
            } else if (star >= 0) {
                g = star + 1;
                n = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
