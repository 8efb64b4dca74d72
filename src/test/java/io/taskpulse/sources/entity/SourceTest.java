package io.taskpulse.sources.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.tasks.entity.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceTest {

    private final Map<String, String> settings = new HashMap<>(Map.of(
            "taskpulse.sources", "webtask",
            "taskpulse.source.webtask.table", "public.web_webtask",
            "taskpulse.source.webtask.name", "webtask_name",
            "taskpulse.source.webtask.status", "webtask_stu",
            "taskpulse.source.webtask.map", "1=NOT_RUN, 2=SUCCEEDED, 3=FAILED, 4=FAILED"));

    private List<Source> parse() {
        return Source.fromSettings(key -> Optional.ofNullable(settings.get(key)));
    }

    @Test
    void theTutorialsTableIsReadWithItsDefaults() {
        Source source = parse().get(0);
        assertEquals("public", source.schema());
        assertEquals("web_webtask", source.table());
        assertEquals("id", source.key());
        assertEquals(Status.FAILED, source.mapping().get("4"));
        assertEquals("3", source.valueOf(Status.FAILED).orElseThrow(), "the first value listed is the one written");
        assertFalse(source.writable());
        assertEquals(List.of("id", "webtask_name", "webtask_stu"), source.columns());
    }

    @Test
    void noSourcesWhenNoneAreListed() {
        settings.remove("taskpulse.sources");
        assertEquals(List.of(), parse());
    }

    @Test
    void eachMistakeNamesTheSettingToFix() {
        assertMistake("taskpulse.source.webtask.map", "value \"2\" is mapped twice",
                () -> settings.put("taskpulse.source.webtask.map", "1=NOT_RUN,2=SUCCEEDED,2=FAILED"));
        assertMistake("taskpulse.source.webtask.map", "\"DONE\" is not a status",
                () -> settings.put("taskpulse.source.webtask.map", "1=DONE"));
        assertMistake("taskpulse.source.webtask.map", "not VALUE=STATUS",
                () -> settings.put("taskpulse.source.webtask.map", "1"));
        assertMistake("taskpulse.source.webtask.map", "may hold letters",
                () -> settings.put("taskpulse.source.webtask.map", "x'; DROP TABLE task; --=FAILED"));
        assertMistake("taskpulse.source.webtask.status", "is required",
                () -> settings.remove("taskpulse.source.webtask.status"));
        assertMistake("taskpulse.source.webtask.table", "not a plain SQL name",
                () -> settings.put("taskpulse.source.webtask.table", "web_webtask\"; DROP TABLE task"));
        assertMistake("taskpulse.source.webtask.writable", "true or false",
                () -> settings.put("taskpulse.source.webtask.writable", "yes"));
        assertMistake("taskpulse.sources", "is listed twice", () -> settings.put("taskpulse.sources", "webtask, webtask"));
        assertMistake("taskpulse.sources", "lower-case letters", () -> settings.put("taskpulse.sources", "Web-Task"));
    }

    @Test
    void unknownIsNoStatusAnyoneMayMapOrReport() {
        assertTrue(Status.parse("UNKNOWN").isEmpty());
        assertFalse(Status.names().contains("UNKNOWN"));
    }

    private void assertMistake(String setting, String says, Runnable mistake) {
        Map<String, String> good = new HashMap<>(settings);
        mistake.run();
        Source.Invalid invalid = assertThrows(Source.Invalid.class, this::parse);
        assertTrue(invalid.getMessage().startsWith(setting) && invalid.getMessage().contains(says), invalid.getMessage());
        settings.clear();
        settings.putAll(good);
    }
}
