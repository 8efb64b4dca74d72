package io.taskpulse.tasks.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TagsTest {

    @Test
    void tagsAreStoredSortedWithoutDuplicatesOneSpaceApart() {
        assertEquals("nightly team:db", Tags.stored(List.of("team:db", "nightly", "team:db")));
        assertEquals("a b/c x-1.2_y", Tags.stored(List.of("x-1.2_y", "b/c", "a")));
    }

    @Test
    void noTagsAreStoredAsNull() {
        assertNull(Tags.stored(List.of()));
        assertNull(Tags.stored(null));
    }

    @Test
    void aTagThatBreaksTheRuleIsRefusedWithTheRule() {
        for (String bad : new String[]{"Nightly", "", " nightly", "team db", "-leading", ":x", "a".repeat(51), "ü", "a,b"}) {
            TaskRejected rejected = assertThrows(TaskRejected.class, () -> Tags.stored(List.of("ok", bad)), bad);
            assertEquals(TaskRejected.Reason.INVALID, rejected.reason());
            assertTrue(rejected.getMessage().contains("lower-case letters, digits and : . _ / -"), rejected.getMessage());
        }
        assertEquals("a".repeat(50), Tags.stored(List.of("a".repeat(50))));
    }

    @Test
    void aNullTagIsRefused() {
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(TaskRejected.class, () -> Tags.stored(withNull));
    }

    @Test
    void atMostTwentyTagsCountedAfterDuplicatesGo() {
        List<String> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add("t" + i);
        }
        List<String> withRepeats = new ArrayList<>(twenty);
        withRepeats.addAll(twenty);
        assertEquals(20, Tags.read(Tags.stored(withRepeats)).size());
        twenty.add("t20");
        TaskRejected rejected = assertThrows(TaskRejected.class, () -> Tags.stored(twenty));
        assertTrue(rejected.getMessage().contains("at most 20 tags"), rejected.getMessage());
    }

    @Test
    void aColumnWrittenByAnotherProgramIsReadAsTheTagsItNames() {
        assertEquals(List.of("nightly", "team:db"), Tags.read("  Team:DB,nightly  nightly\tteam:db "));
        assertEquals(List.of(), Tags.read(null));
        assertEquals(List.of(), Tags.read(" , "));
    }

    @Test
    void aTaskShowsItsTagsAsAListAlwaysEmptyWhenNone() {
        Task task = new Task("backup", null);
        assertEquals(List.of(), task.getTags());
        task.tag(List.of("team:db", "nightly"));
        assertEquals(List.of("nightly", "team:db"), task.getTags());
        task.tag(null);
        assertEquals(List.of(), task.getTags());
    }
}
