package io.taskpulse.metrics.entity;

import java.util.Locale;

/** How a client follows the feed; the value of the {@code transport} label. */
public enum Transport {
    WEBSOCKET,
    LONGPOLL;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
