package io.taskpulse.access.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.access.control.AccessRules.ReadRefusal;
import io.taskpulse.access.control.AccessRules.Refusal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static final Optional<String> TOKEN = Optional.of("s3cret");

    @Test
    void withoutATokenOnlyLoopbackClientsMayWrite() {
        assertEquals(Optional.empty(), AccessRules.write(Optional.empty(), null, "127.0.0.1"));
        assertEquals(Optional.empty(), AccessRules.write(Optional.empty(), null, "0:0:0:0:0:0:0:1"));
        assertEquals(Optional.empty(), AccessRules.write(Optional.empty(), null, "::1"));
        assertEquals(Optional.of(Refusal.NOT_LOCAL), AccessRules.write(Optional.empty(), null, "192.0.2.10"));
        assertEquals(Optional.of(Refusal.NOT_LOCAL), AccessRules.write(Optional.empty(), null, "localhost.evil.example"));
        assertEquals(Optional.of(Refusal.NOT_LOCAL), AccessRules.write(Optional.empty(), null, null));
    }

    @Test
    void withATokenEveryWriteNeedsIt() {
        assertEquals(Optional.empty(), AccessRules.write(TOKEN, "Bearer s3cret", "192.0.2.10"));
        assertEquals(Optional.empty(), AccessRules.write(TOKEN, "bearer s3cret", "192.0.2.10"));
        assertEquals(Optional.of(Refusal.NO_TOKEN), AccessRules.write(TOKEN, null, "127.0.0.1"));
        assertEquals(Optional.of(Refusal.NO_TOKEN), AccessRules.write(TOKEN, "Basic czNjcmV0", "127.0.0.1"));
        assertEquals(Optional.of(Refusal.WRONG_TOKEN), AccessRules.write(TOKEN, "Bearer s3cre", "127.0.0.1"));
        assertEquals(Optional.of(Refusal.WRONG_TOKEN), AccessRules.write(TOKEN, "Bearer s3cret2", "127.0.0.1"));
    }

    @Test
    void pageOfTheSameOriginMayOpenTheSocket() {
        assertTrue(AccessRules.originAllowed("http://localhost:8080", "localhost:8080", ""));
        assertTrue(AccessRules.originAllowed("https://board.example", "board.example", ""));
        assertTrue(AccessRules.originAllowed("http://board.example", "board.example:80", ""));
        assertTrue(AccessRules.originAllowed(null, "localhost:8080", ""), "not a browser: no Origin");
    }

    @Test
    void pageOfAnotherOriginNeedsToBeListed() {
        assertFalse(AccessRules.originAllowed("http://evil.example", "localhost:8080", ""));
        assertFalse(AccessRules.originAllowed("http://localhost:9090", "localhost:8080", ""));
        assertFalse(AccessRules.originAllowed("null", "localhost:8080", ""));
        assertTrue(AccessRules.originAllowed("https://Wall.Example", "localhost:8080", "https://ops.example, https://wall.example"));
    }

    private static final Optional<String> VIEWER = Optional.of("viewer");

    @Test
    void withoutAReadRoleAnyoneMayRead() {
        for (String path : new String[]{"/", "/index.html", "/api/tasks", "/api/feed", "/ws/tasks"}) {
            assertEquals(Optional.empty(), AccessRules.read(Optional.empty(), "GET", path, false, false), path);
        }
    }

    @Test
    void withAReadRoleThePageAsksForTheContainersLogin() {
        assertEquals(Optional.of(ReadRefusal.LOGIN), AccessRules.read(VIEWER, "GET", "/", false, false));
        assertEquals(Optional.of(ReadRefusal.LOGIN), AccessRules.read(VIEWER, "GET", "/index.html", false, false));
        assertEquals(Optional.of(ReadRefusal.LOGIN), AccessRules.read(VIEWER, "GET", "/js/main.js", false, false));
    }

    @Test
    void withAReadRoleProgramsGetAChallengeNotALoginPage() {
        assertEquals(Optional.of(ReadRefusal.CHALLENGE), AccessRules.read(VIEWER, "GET", "/api/tasks", false, false));
        assertEquals(Optional.of(ReadRefusal.CHALLENGE), AccessRules.read(VIEWER, "HEAD", "/api/tasks/1/history", false, false));
        assertEquals(Optional.of(ReadRefusal.CHALLENGE), AccessRules.read(VIEWER, "GET", "/api/feed", false, false));
        assertEquals(Optional.of(ReadRefusal.CHALLENGE), AccessRules.read(VIEWER, "GET", "/api/viewer", false, false));
        assertEquals(Optional.of(ReadRefusal.CHALLENGE), AccessRules.read(VIEWER, "GET", "/ws/tasks", false, false));
    }

    @Test
    void aUserOutsideTheRoleIsForbiddenAndOneInsideReads() {
        assertEquals(Optional.of(ReadRefusal.NOT_IN_ROLE), AccessRules.read(VIEWER, "GET", "/api/tasks", true, false));
        assertEquals(Optional.of(ReadRefusal.NOT_IN_ROLE), AccessRules.read(VIEWER, "GET", "/", true, false));
        assertEquals(Optional.empty(), AccessRules.read(VIEWER, "GET", "/api/tasks", true, true));
        assertEquals(Optional.empty(), AccessRules.read(VIEWER, "GET", "/ws/tasks", true, true));
    }

    @Test
    void healthTheLoginPagesTheWrapperAndLogoutStayOpen() {
        for (String path : new String[]{"/health", "/login.html", "/login-failed.html", "/css/app.css", "/img/favicon.svg",
            "/img/favicon-alert.svg", "/taskpulse-run", "/logout", "/j_security_check"}) {
            assertEquals(Optional.empty(), AccessRules.read(VIEWER, "GET", path, false, false), path);
        }
        assertEquals(Optional.empty(), AccessRules.read(VIEWER, "POST", "/logout", false, false));
    }

    @Test
    void writesKeepTheirOwnRuleButNothingElseSlipsThrough() {
        assertEquals(Optional.empty(), AccessRules.read(VIEWER, "POST", "/api/tasks", false, false));
        assertEquals(Optional.empty(), AccessRules.read(VIEWER, "PUT", "/api/tasks/by-name/x/status", false, false));
        assertEquals(Optional.empty(), AccessRules.read(VIEWER, "DELETE", "/api/tasks/1", false, false));
        assertEquals(Optional.of(ReadRefusal.CHALLENGE), AccessRules.read(VIEWER, "POST", "/api/feed", false, false));
        // Bulk reports, channels and rules are writes too: the token, no login (review: a token could not write them).
        assertEquals(Optional.empty(), AccessRules.read(VIEWER, "POST", "/api/reports", false, false));
        assertEquals(Optional.empty(), AccessRules.read(VIEWER, "DELETE", "/api/channels/1", false, false));
        assertEquals(Optional.of(ReadRefusal.LOGIN), AccessRules.read(VIEWER, "PUT", "/index.html", false, false));
        assertEquals(Optional.of(ReadRefusal.LOGIN), AccessRules.read(VIEWER, "GET", "/health/../index.html", false, false),
                "paths arrive normalized; an odd one is not open");
    }

    @Test
    void aLoggedInOperatorMayOnlyAcknowledgePauseOrResumeAndOnlyFromThePageItself() {
        Optional<String> role = Optional.of("operator");
        String page = "http://board.example:8080";
        String host = "board.example:8080";
        assertTrue(AccessRules.operatorMay(role, true, "POST", "/api/tasks/7/acknowledge", page, host, ""));
        assertTrue(AccessRules.operatorMay(role, true, "DELETE", "/api/tasks/by-name/backup/acknowledge", page, host, ""));
        assertTrue(AccessRules.operatorMay(role, true, "POST", "/api/tasks/pause", page, host, ""));
        assertTrue(AccessRules.operatorMay(role, true, "POST", "/api/tasks/by-name/backup/resume", page, host, ""));

        assertFalse(AccessRules.operatorMay(role, true, "PUT", "/api/tasks/by-name/backup/status", page, host, ""), "a report");
        assertFalse(AccessRules.operatorMay(role, true, "DELETE", "/api/tasks/7", page, host, ""), "a delete");
        assertFalse(AccessRules.operatorMay(role, true, "POST", "/api/tasks/7/acknowledge/x", page, host, ""));
        assertFalse(AccessRules.operatorMay(role, true, "POST", "/api/tasks/by-name/a/b/pause", page, host, ""));
        assertFalse(AccessRules.operatorMay(role, true, "POST", "/api/tasks/7/pause", null, host, ""), "no Origin");
        assertFalse(AccessRules.operatorMay(role, true, "POST", "/api/tasks/7/pause", "http://evil.example", host, ""));
        assertFalse(AccessRules.operatorMay(role, false, "POST", "/api/tasks/7/pause", page, host, ""), "not an operator");
        assertFalse(AccessRules.operatorMay(Optional.empty(), true, "POST", "/api/tasks/7/pause", page, host, ""), "no role set");
        assertTrue(AccessRules.operatorMay(role, true, "POST", "/api/tasks/7/pause", "https://ops.example", host, "https://ops.example"),
                "a configured origin");
    }
}
