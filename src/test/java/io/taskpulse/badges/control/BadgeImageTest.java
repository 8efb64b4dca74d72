package io.taskpulse.badges.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class BadgeImageTest {

    @Test
    void aNameWithMarkupAndNewlinesStaysTextInAWellFormedImage() throws Exception {
        String name = "</text><script>alert(1)</script>\n<a href=\"x\">&amp;";
        byte[] svg = BadgeImage.svg(name, "failed", "FAILED");

        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg));

        assertEquals(0, document.getElementsByTagName("script").getLength());
        assertEquals(0, document.getElementsByTagName("a").getLength());
        String title = document.getElementsByTagName("title").item(0).getTextContent();
        assertEquals("</text><script>alert(1)</script> <a href=\"x\">&amp;: failed", title);
        assertTrue(new String(svg, StandardCharsets.UTF_8).contains("#e05d44"), "failed is red");
    }

    @Test
    void aVeryLongNameIsCutAndTheImageStaysNarrow() {
        String svg = new String(BadgeImage.svg("x".repeat(10_000), "succeeded", "SUCCEEDED"), StandardCharsets.UTF_8);

        assertTrue(svg.contains("x".repeat(BadgeImage.MAX_CHARS) + "…"));
        assertFalse(svg.contains("x".repeat(BadgeImage.MAX_CHARS + 1)));
        int width = Integer.parseInt(svg.replaceFirst("(?s).*?width=\"(\\d+)\".*", "$1"));
        assertTrue(width < 1000, "width " + width);
    }

    @Test
    void wideScriptsGetWiderBoxesThanLatin() {
        assertTrue(BadgeImage.width("执行失败") > BadgeImage.width("fail"));
        assertEquals("执行失败", BadgeImage.word("FAILED", "zh"));
        assertEquals("not run", BadgeImage.word("NOT_RUN", null));
    }
}
