package io.taskpulse.feed.boundary;

/** Reads a revision a client sent: a whole number from 0 up. */
final class Revisions {

    private Revisions() {
    }

    /** @throws IllegalArgumentException with a message fit for the client */
    static long parse(String name, String text) {
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // same answer as a negative number
        }
        throw new IllegalArgumentException(name + " must be a revision, a whole number from 0 up");
    }
}
