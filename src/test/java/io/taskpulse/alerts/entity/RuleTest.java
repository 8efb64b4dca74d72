package io.taskpulse.alerts.entity;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RuleTest {

    @Test
    void aRuleMatchesItsTransitionsByNameGlobAndTag() {
        Rule nightly = new Rule(1, EnumSet.of(Transition.FAILED, Transition.RECOVERED), "nightly-*", null);
        assertTrue(nightly.matches(Transition.FAILED, "nightly-backup", null));
        assertFalse(nightly.matches(Transition.OVERDUE, "nightly-backup", null));
        assertFalse(nightly.matches(Transition.FAILED, "hourly-export", null));

        Rule db = new Rule(1, EnumSet.of(Transition.FAILED), null, "team:db");
        assertTrue(db.matches(Transition.FAILED, "anything", "nightly team:db"));
        assertFalse(db.matches(Transition.FAILED, "anything", "team:dbx"));
        assertFalse(db.matches(Transition.FAILED, "anything", null));
        assertTrue(db.matches(Transition.FAILED, "anything", "Nightly,TEAM:DB"), "as a SQL writer may store them");
    }

    @Test
    void globCharactersOtherThanStarAndQuestionMarkAreLiteral() {
        assertTrue(NamePattern.matches("a.b?", "a.bc"));
        assertFalse(NamePattern.matches("a.b?", "axbc"));
        assertTrue(NamePattern.matches("[x]*", "[x]yz"));
        assertFalse(NamePattern.matches("backup", "backup-2"));
        assertTrue(NamePattern.matches("*-*-prod", "deploy-web-prod"));
        assertTrue(NamePattern.matches("**", ""));
        assertFalse(NamePattern.matches("?", ""));
        assertTrue(NamePattern.matches("a*b*c", "aXbYbc"));
        assertFalse(NamePattern.matches("a*b*c", "aXbYbcd"));
    }

    @Test
    void aPatternThatWouldBacktrackForeverAsARegexIsMatchedInLinearTime() {
        // As the regex .*a.*a…! this never finished: it ran inside the stamp and froze the feed (review of issue 15).
        String glob = "*a".repeat(40) + "!";
        String name = "a".repeat(200);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> assertFalse(NamePattern.matches(glob, name)));
    }
}
