package io.taskpulse.tasks.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.tasks.entity.RunOutput;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {

    @Test
    void outputWithinTheLimitIsKeptWhole() {
        RunOutput output = OutputTail.read(stream("line 1\nline 2\n"), 1024);
        assertEquals("line 1\nline 2\n", output.text());
        assertEquals(14, output.receivedBytes());
        assertFalse(output.cut());
        assertEquals("line 2", output.summary());
    }

    @Test
    void outputOverTheLimitKeepsItsLastBytesAndSaysItWasCut() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            log.append("line ").append(i).append('\n');
        }
        byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
        RunOutput output = OutputTail.read(new ByteArrayInputStream(bytes), 1024);
        assertTrue(output.cut());
        assertEquals(bytes.length, output.receivedBytes());
        assertEquals(1024, output.text().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(output.text().endsWith("line 9999\n"));
        assertEquals("line 9999", output.summary());
    }

    @Test
    void aCutInsideACharacterStartsAtTheNextWholeOne() {
        // Each of these characters is three bytes: the last 4 bytes are the end of "任" and all of "务".
        RunOutput output = OutputTail.read(stream("执行成功任务"), 4);
        assertEquals("务", output.text());
        assertTrue(output.cut());
    }

    @Test
    void bytesThatAreNotUtf8AndNulBecomeReplacementCharactersInsteadOfARefusal() {
        byte[] log = {'o', 'k', (byte) 0xff, 0, '!'};
        assertEquals("ok\uFFFD\uFFFD!", OutputTail.read(new ByteArrayInputStream(log), 1024).text());
    }

    @Test
    void outputSentAsJsonTextIsCutTheSameWay() {
        RunOutput output = OutputTail.of("a".repeat(3000) + "\nlast line", 1024);
        assertTrue(output.cut());
        assertEquals(3010, output.receivedBytes());
        assertTrue(output.text().endsWith("\nlast line"));
    }

    @Test
    void chunksLargerThanTheLimitKeepOnlyTheirEnd() {
        byte[] big = new byte[100_000];
        java.util.Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = 'y';
        InputStream in = new ByteArrayInputStream(big);
        RunOutput output = OutputTail.read(in, 1024);
        assertEquals(1024, output.text().length());
        assertTrue(output.text().endsWith("xy"));
    }

    @Test
    void anEmptyBodyIsEmptyOutput() {
        RunOutput output = OutputTail.read(stream(""), 1024);
        assertEquals("", output.text());
        assertEquals(null, output.summary());
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
