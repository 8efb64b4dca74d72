package io.taskpulse.badges.control;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A badge in shields.io's flat style: a grey label on the left, a coloured value on the right. Text widths are
 * estimated from Verdana 11 px glyph classes (no font on the server), close enough that the text never overflows.
 */
public final class BadgeImage {

    /** Longest label or value drawn, in characters; longer ones end in "…". */
    static final int MAX_CHARS = 60;

    private static final Map<String, String> COLOURS = Map.of(
            "SUCCEEDED", "#4c1", "FAILED", "#e05d44", "RUNNING", "#007ec6", "OVERDUE", "#fe7d37",
            "NOT_RUN", "#9f9f9f", "UNKNOWN", "#9f9f9f");

    private static final Map<String, String> EN = Map.of(
            "SUCCEEDED", "succeeded", "FAILED", "failed", "RUNNING", "running", "OVERDUE", "overdue",
            "NOT_RUN", "not run", "UNKNOWN", "not found");

    /** The product's own words for the three results (未执行 / 执行成功 / 执行失败) and its two states. */
    private static final Map<String, String> ZH = Map.of(
            "SUCCEEDED", "执行成功", "FAILED", "执行失败", "RUNNING", "执行中", "OVERDUE", "逾期",
            "NOT_RUN", "未执行", "UNKNOWN", "未找到");

    private BadgeImage() {
    }

    /** The word for a state in a language ({@code zh} or anything else for English). */
    public static String word(String state, String language) {
        Map<String, String> words = "zh".equals(language) ? ZH : EN;
        return words.getOrDefault(state, state.toLowerCase(Locale.ROOT));
    }

    /** The SVG of a badge; {@code state} picks the colour of the value. */
    public static byte[] svg(String label, String value, String state) {
        String left = shorten(label);
        String right = shorten(value);
        int leftWidth = width(left) + 10;
        int rightWidth = width(right) + 10;
        int total = leftWidth + rightWidth;
        String colour = COLOURS.getOrDefault(state, COLOURS.get("UNKNOWN"));
        String title = escape(left + ": " + right);
        String svg = """
                <svg xmlns="http://www.w3.org/2000/svg" width="%1$d" height="20" role="img" aria-label="%2$s">\
                <title>%2$s</title>\
                <linearGradient id="s" x2="0" y2="100%%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>\
                <stop offset="1" stop-opacity=".1"/></linearGradient>\
                <clipPath id="r"><rect width="%1$d" height="20" rx="3" fill="#fff"/></clipPath>\
                <g clip-path="url(#r)"><rect width="%3$d" height="20" fill="#555"/>\
                <rect x="%3$d" width="%4$d" height="20" fill="%5$s"/><rect width="%1$d" height="20" fill="url(#s)"/></g>\
                <g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">\
                <text x="%6$.1f" y="15" fill="#010101" fill-opacity=".3">%7$s</text><text x="%6$.1f" y="14">%7$s</text>\
                <text x="%8$.1f" y="15" fill="#010101" fill-opacity=".3">%9$s</text><text x="%8$.1f" y="14">%9$s</text>\
                </g></svg>
                """.formatted(total, title, leftWidth, rightWidth, colour, leftWidth / 2.0, escape(left),
                leftWidth + rightWidth / 2.0, escape(right));
        return svg.getBytes(StandardCharsets.UTF_8);
    }

    /** Control characters (a name may hold newlines) become spaces; long text is cut, by code point. */
    static String shorten(String text) {
        StringBuilder shown = new StringBuilder();
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (++count > MAX_CHARS) {
                shown.append('…');
                break;
            }
            shown.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp);
        }
        return shown.toString();
    }

    static int width(String text) {
        double width = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            width += glyph(cp);
        }
        return (int) Math.ceil(width);
    }

    private static double glyph(int cp) {
        if (cp >= 0x2E80) {
            return 11; // CJK and other wide scripts: a full em
        }
        if ("iljtfrI.,:;'|!() ".indexOf(cp) >= 0) {
            return 4;
        }
        if ("mwMW".indexOf(cp) >= 0) {
            return 10.5;
        }
        return Character.isUpperCase(cp) || Character.isDigit(cp) ? 7.5 : 6.8;
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
