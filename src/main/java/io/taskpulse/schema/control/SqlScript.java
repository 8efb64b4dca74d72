package io.taskpulse.schema.control;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into statements: at a semicolon that ends a line, outside comments, outside
 * dollar-quoted bodies (PostgreSQL functions contain semicolons of their own) and outside compound statements
 * (MariaDB triggers: from a line that is just {@code BEGIN} to a line that is just {@code END;}, nested alike).
 */
final class SqlScript {

    private SqlScript() {
    }

    static List<String> statements(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inDollarBody = false;
        int compoundDepth = 0;
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (!inDollarBody && (trimmed.isEmpty() || trimmed.startsWith("--"))) {
                continue;
            }
            if (countOf("$$", line) % 2 == 1) {
                inDollarBody = !inDollarBody;
            }
            if (!inDollarBody && trimmed.equalsIgnoreCase("BEGIN")) {
                compoundDepth++;
            } else if (!inDollarBody && compoundDepth > 0 && trimmed.equalsIgnoreCase("END;")) {
                compoundDepth--;
            }
            current.append(line).append('\n');
            if (!inDollarBody && compoundDepth == 0 && trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("script ends without ';': " + current.toString().strip());
        }
        return statements;
    }

    private static int countOf(String needle, String line) {
        int count = 0;
        for (int at = line.indexOf(needle); at >= 0; at = line.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }
}
