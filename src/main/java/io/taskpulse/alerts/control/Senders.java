package io.taskpulse.alerts.control;

import io.taskpulse.alerts.entity.Alert;
import io.taskpulse.alerts.entity.Channel;
import io.taskpulse.alerts.entity.Outcome;
import io.taskpulse.configuration.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * One attempt to deliver one alert, on the calling (container-managed) thread: a blocking
 * {@link HttpURLConnection} with connect and read timeouts and redirects NOT followed (a 3xx is a failure that is
 * not retried: a redirect could point at a refused address), or one SMTP session through Jakarta Mail. The target is
 * checked against {@link Targets} before every attempt, since what a name resolves to can change.
 */
@ApplicationScoped
public class Senders {

    @Inject
    Settings settings;

    public Outcome send(Channel channel, Alert alert) {
        try {
            return switch (channel.getKind()) {
                case WEBHOOK -> webhook(channel, alert);
                case SLACK -> post(channel.getUrl(), Messages.slack(alert, settings.alertsDampingWindow())
                        .getBytes(StandardCharsets.UTF_8), null, alert);
                case EMAIL -> mail(channel, alert);
            };
        } catch (RuntimeException e) {
            return Outcome.failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    private Outcome webhook(Channel channel, Alert alert) {
        byte[] body = Messages.webhook(alert, settings.alertsDampingWindow()).getBytes(StandardCharsets.UTF_8);
        return post(channel.getUrl(), body, channel.secret() == null ? null : Messages.signature(channel.secret(), body), alert);
    }

    private Outcome post(String url, byte[] body, String signature, Alert alert) {
        URI uri = URI.create(url);
        String refused = Targets.parse(settings.alertsAllowHosts()).refusal(uri.getHost());
        if (refused != null) {
            return new Outcome(0, "refused: " + refused, null);
        }
        HttpURLConnection connection = null;
        try {
            URL target = uri.toURL();
            connection = (HttpURLConnection) target.openConnection(java.net.Proxy.NO_PROXY);
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout((int) settings.alertsConnectTimeout().toMillis());
            connection.setReadTimeout((int) settings.alertsReadTimeout().toMillis());
            connection.setUseCaches(false);
            connection.setDoOutput(true);
            connection.setRequestMethod("POST");
            connection.setRequestProperty("Content-Type", "application/json; charset=utf-8");
            connection.setRequestProperty("User-Agent", "TaskPulse-Alerts");
            connection.setRequestProperty("Idempotency-Key", alert.getKey());
            connection.setRequestProperty("X-TaskPulse-Timestamp", String.valueOf(Instant.now().getEpochSecond()));
            connection.setRequestProperty("X-TaskPulse-Transition", alert.getTransition().name());
            if (signature != null) {
                connection.setRequestProperty("X-TaskPulse-Signature", signature);
            }
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            Duration retryAfter = RetryPolicy.retryAfter(connection.getHeaderField("Retry-After"), Instant.now());
            drain(connection, status);
            if (status >= 300 && status < 400) {
                return new Outcome(status, "HTTP " + status + ": redirects are not followed", null);
            }
            return Outcome.http(status, retryAfter);
        } catch (IOException | IllegalArgumentException e) {
            return Outcome.failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    /** Reads (at most 64 KiB of) the answer so that the connection ends cleanly. */
    private static void drain(HttpURLConnection connection, int status) {
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (in != null) {
                in.readNBytes(64 * 1024);
            }
        } catch (IOException ignored) {
            // the status is what counts
        }
    }

    private Outcome mail(Channel channel, Alert alert) {
        String refused = Targets.parse(settings.alertsAllowHosts()).refusal(channel.getSmtpHost());
        if (refused != null) {
            return new Outcome(0, "refused: " + refused, null);
        }
        Properties properties = new Properties();
        properties.put("mail.smtp.host", channel.getSmtpHost());
        properties.put("mail.smtp.port", String.valueOf(channel.getSmtpPort()));
        properties.put("mail.smtp.connectiontimeout", String.valueOf(settings.alertsConnectTimeout().toMillis()));
        properties.put("mail.smtp.timeout", String.valueOf(settings.alertsReadTimeout().toMillis()));
        properties.put("mail.smtp.writetimeout", String.valueOf(settings.alertsReadTimeout().toMillis()));
        try {
            jakarta.mail.Session session = jakarta.mail.Session.getInstance(properties);
            jakarta.mail.internet.MimeMessage message = new jakarta.mail.internet.MimeMessage(session);
            message.setFrom(new jakarta.mail.internet.InternetAddress(channel.getMailFrom(), true));
            message.setRecipients(jakarta.mail.Message.RecipientType.TO,
                    jakarta.mail.internet.InternetAddress.parse(channel.getMailTo(), true));
            message.setSubject(Messages.subject(alert), "UTF-8");
            message.setHeader("Message-ID", "<" + alert.getKey() + "@taskpulse>");
            message.setHeader("X-TaskPulse-Idempotency-Key", alert.getKey());
            message.setText(Messages.text(alert, settings.alertsDampingWindow()) + "\n\nAlert " + alert.getKey()
                    + ", occurred at " + alert.getOccurredAt() + "\n", "UTF-8");
            message.saveChanges();
            message.setHeader("Message-ID", "<" + alert.getKey() + "@taskpulse>");
            jakarta.mail.Transport.send(message);
            return Outcome.delivered();
        } catch (jakarta.mail.MessagingException e) {
            return Outcome.failed("SMTP: " + e.getMessage());
        } catch (NoClassDefFoundError e) {
            return Outcome.failed("this server provides no Jakarta Mail");
        }
    }
}
