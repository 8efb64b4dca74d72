package io.taskpulse.bench.baseline;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** What both tutorial designs do on every tick: read every task and serialize the whole list. */
@ApplicationScoped
public class AllTasks {

    @Resource(lookup = "java:app/jdbc/bench")
    DataSource dataSource;

    public String listJson() throws SQLException {
        StringBuilder json = new StringBuilder(8192).append("{\"tasks\":[");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT id, name, status, status_message, changed_at FROM task ORDER BY id");
             ResultSet rows = query.executeQuery()) {
            boolean first = true;
            while (rows.next()) {
                json.append(first ? "{" : ",{").append("\"id\":").append(rows.getLong(1))
                        .append(",\"name\":");
                string(json, rows.getString(2));
                json.append(",\"status\":\"").append(rows.getString(3)).append('"');
                String message = rows.getString(4);
                if (message != null) {
                    json.append(",\"message\":");
                    string(json, message);
                }
                json.append(",\"changedAt\":\"").append(rows.getTimestamp(5).toInstant()).append("\"}");
                first = false;
            }
        }
        return json.append("]}").toString();
    }

    private static void string(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
