package io.taskpulse.tasks.boundary;

import io.taskpulse.tasks.entity.RunOutput;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the tail of a run's output: the last {@code limit} bytes of a body of any size up to
 * {@link #MAX_BODY_BYTES}, read once, in constant memory. A log is not always clean UTF-8 (a tool printed binary,
 * a cut fell inside a character): such bytes become U+FFFD rather than a refusal, and NUL (which PostgreSQL cannot
 * store) too. A body larger than the limit is not refused: its end is kept and marked as cut.
 */
final class OutputTail {

    /** Beyond this, even a log is a mistake: 413 (BodyLimit refuses a declared length at once). */
    static final long MAX_BODY_BYTES = 64L * 1024 * 1024;
    static final String TOO_LARGE = "output is larger than " + MAX_BODY_BYTES + " bytes";

    private OutputTail() {
    }

    static RunOutput read(InputStream in, int limit) {
        byte[] ring = new byte[limit];
        byte[] chunk = new byte[8192];
        long total = 0;
        try {
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                total += n;
                if (total > MAX_BODY_BYTES) {
                    throw new WebApplicationException(TOO_LARGE, Response.Status.REQUEST_ENTITY_TOO_LARGE);
                }
                for (int i = Math.max(0, n - limit); i < n; i++) {
                    ring[(int) ((total - n + i) % limit)] = chunk[i];
                }
            }
        } catch (IOException e) {
            throw TaskRejected.invalid("request body could not be read to its end");
        }
        int kept = (int) Math.min(total, limit);
        byte[] tail = new byte[kept];
        long first = total - kept;
        for (int i = 0; i < kept; i++) {
            tail[i] = ring[(int) ((first + i) % limit)];
        }
        return of(tail, total);
    }

    /** The tail of output sent as a JSON string. */
    static RunOutput of(String text, int limit) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int kept = Math.min(utf8.length, limit);
        byte[] tail = new byte[kept];
        System.arraycopy(utf8, utf8.length - kept, tail, 0, kept);
        return of(tail, utf8.length);
    }

    private static RunOutput of(byte[] tail, long received) {
        int start = 0;
        if (received > tail.length) {
            // the cut may have fallen inside a character: start at the next one
            while (start < tail.length && start < 3 && (tail[start] & 0xC0) == 0x80) {
                start++;
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(tail, start, tail.length - start)).toString();
        } catch (java.nio.charset.CharacterCodingException impossible) {
            throw new IllegalStateException(impossible);
        }
        return new RunOutput(text.replace('\u0000', '\uFFFD'), received, received > tail.length);
    }
}
