package io.taskpulse.bench.driver;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the statements embedded Derby executed, from its own log: the server runs with
 * {@code derby.language.logStatementText=true}, which writes one "Executing prepared statement" line per
 * execution to {@code derby.log}. (Embedded Derby lives inside the server's JVM: no wire to read, no other
 * process may open the database.) Reads only what was appended since the last call.
 */
final class DerbyLog implements Bench.Queries {

    private static final byte[] EXECUTING = "Executing prepared statement".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private long offset;
    private long statements;

    DerbyLog(Path file) {
        this.file = file;
    }

    /** The Derby settings that make the server log its statements to this file. */
    static java.util.List<String> settings(Path home) {
        return java.util.List.of("-Dtaskpulse.db.url=", "-Dderby.system.home=" + home,
                "-Dderby.language.logStatementText=true", "-Dderby.stream.error.file=" + home.resolve("derby.log"));
    }

    @Override
    public synchronized Database.Counters counters() throws IOException {
        if (Files.exists(file)) {
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long length = in.length();
                if (length < offset) {
                    offset = 0; // rewritten at boot
                }
                in.seek(offset);
                byte[] chunk = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - offset)];
                in.readFully(chunk);
                // count whole lines only: a line still being written is read next time
                int end = chunk.length;
                while (end > 0 && chunk[end - 1] != '\n') {
                    end--;
                }
                statements += occurrences(chunk, end);
                offset += end;
            }
        }
        return new Database.Counters(statements, 0, 0);
    }

    private static long occurrences(byte[] text, int end) {
        long found = 0;
        outer:
        for (int i = 0; i + EXECUTING.length <= end; i++) {
            for (int j = 0; j < EXECUTING.length; j++) {
                if (text[i + j] != EXECUTING[j]) {
                    continue outer;
                }
            }
            found++;
            i += EXECUTING.length - 1;
        }
        return found;
    }
}
