package io.taskpulse.alerts.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.sql.Timestamp;

/**
 * Where alerts go: a webhook (JSON, signed with the channel's secret), a Slack incoming webhook, or e-mail over SMTP.
 * The secret is written once and never read back through the API.
 */
@Entity
@Table(name = "alert_channel")
@NamedQuery(name = Channel.ALL, query = "SELECT c FROM Channel c ORDER BY c.id")
public class Channel {

    public static final String ALL = "Channel.all";

    public enum Kind { WEBHOOK, SLACK, EMAIL }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 100)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Kind kind;

    @Column(length = 2000)
    private String url;

    @Column(length = 200)
    private String secret;

    @Column(name = "smtp_host")
    private String smtpHost;

    @Column(name = "smtp_port")
    private Integer smtpPort;

    @Column(name = "mail_from", length = 320)
    private String mailFrom;

    @Column(name = "mail_to", length = 2000)
    private String mailTo;

    @Column(name = "created_at", insertable = false, updatable = false)
    private Timestamp createdAt;

    protected Channel() {
    }

    public static Channel webhook(String name, Kind kind, String url, String secret) {
        Channel channel = new Channel();
        channel.name = name;
        channel.kind = kind;
        channel.url = url;
        channel.secret = secret;
        return channel;
    }

    public static Channel email(String name, String host, int port, String from, String to) {
        Channel channel = new Channel();
        channel.name = name;
        channel.kind = Kind.EMAIL;
        channel.smtpHost = host;
        channel.smtpPort = port;
        channel.mailFrom = from;
        channel.mailTo = to;
        return channel;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public Kind getKind() {
        return kind;
    }

    public String getUrl() {
        return url;
    }

    /** For signing only: never put it in a response. */
    public String secret() {
        return secret;
    }

    public String getSmtpHost() {
        return smtpHost;
    }

    public Integer getSmtpPort() {
        return smtpPort;
    }

    public String getMailFrom() {
        return mailFrom;
    }

    public String getMailTo() {
        return mailTo;
    }
}
