package io.taskpulse.it;

import java.time.Duration;

/**
 * Issue 12 as a test: {@value FeedChurn#READERS} readers and raw clients dropping in every way a network does (TCP
 * resets without close frame, half-open sockets, close frames in the middle of a multi-part snapshot, clients that
 * stop reading, normal closes), hundreds of connections in all, while two writers report as fast as the API answers
 * and long-pollers follow {@code /api/feed}. Afterwards the feed must still work and every client must hold the
 * database's state (see {@link FeedChurnChecks}). The churn lasts {@code -Dchurn.seconds} (default 75); the whole
 * class takes about two and a half minutes.
 */
class FeedChurnIT extends FeedChurnChecks {

    private static final Duration LENGTH = Duration.ofSeconds(Long.getLong("churn.seconds", 75));

    @Override
    void during(FeedChurn churn) {
        churn.run(LENGTH, LENGTH, () -> { });
    }
}
