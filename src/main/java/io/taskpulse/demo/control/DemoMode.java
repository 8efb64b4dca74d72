package io.taskpulse.demo.control;

import io.taskpulse.configuration.Settings;
import io.taskpulse.tasks.control.TaskRuns;
import io.taskpulse.tasks.control.Tasks;
import io.taskpulse.tasks.entity.Ending;
import io.taskpulse.tasks.entity.Task;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Seeds demo tasks and keeps changing their statuses, so that a newcomer sees the page move.
 * <p>
 * The demo owns only tasks named {@code demo-…}: it never creates, reports on or deletes any other task, so a
 * newcomer's first {@code POST} of {@code nightly-backup} (the README's example) gets 201, and what their script
 * reports there stays theirs. (The demo once used the bare names, which answered that POST with 409 and overwrote
 * the script's report a few seconds later.)
 * <p>
 * Upgrading: a database made by that older demo still holds tasks with the bare names. They are left alone, as user
 * data: nothing tells a row the demo made from one a user made or reports to (the README's scripts report to
 * {@code nightly-backup}), and renaming or deleting a user's task would break their script without a word. They just
 * stop changing; start-up logs which of them exist, so their owner can delete them.
 */
@ApplicationScoped
public class DemoMode {

    private static final Logger LOG = Logger.getLogger(DemoMode.class.getName());

    private static final Map<String, String> DEMO_TASKS = Map.of(
            "demo-nightly-backup", "Dump the orders database to object storage",
            "demo-deploy-web", "Roll the web tier to the newest build",
            "demo-smoke-tests", "Run the smoke suite against staging",
            "demo-rotate-logs", "Compress and ship yesterday's logs",
            "demo-sync-inventory", "Pull stock levels from the warehouse API",
            "demo-renew-certificates", "Renew TLS certificates that expire within 30 days");

    /** The names an older demo used (see the class comment): only looked for, to tell the operator at start. */
    private static final List<String> OLD_DEMO_NAMES = List.of("nightly-backup", "deploy-web", "smoke-tests",
            "rotate-logs", "sync-inventory", "renew-certificates");

    private static final List<String> FAILURES = List.of(
            "timed out after 300 s", "connection refused", "disk full", "assertion failed: 3 tests");

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Settings settings;

    @Inject
    DemoMode self;

    @Inject
    Tasks tasks;

    @Inject
    TaskRuns runs;

    private ScheduledFuture<?> changes;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!settings.demo()) {
            return;
        }
        try {
            self.seed();
            List<String> old = self.oldDemoTasks();
            if (!old.isEmpty()) {
                LOG.log(Level.INFO, "Demo mode: the tasks {0} (named like an older demo''s) are left alone as yours and no "
                        + "longer change; delete any you don''t need: DELETE /api/tasks/by-name/{1}",
                        new Object[]{old, old.get(0)});
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Demo tasks not seeded: {0}", e.toString());
        }
        changes = scheduler.scheduleWithFixedDelay(this::changeOne, 3, 3, TimeUnit.SECONDS);
        LOG.info("Demo mode: a demo task starts or ends a run every 3 s");
    }

    @Transactional
    public void seed() {
        DEMO_TASKS.forEach((name, description) -> {
            if (tasks.findByName(name).isEmpty()) {
                tasks.create(name, description);
            }
        });
    }

    @Transactional
    public List<String> oldDemoTasks() {
        return OLD_DEMO_NAMES.stream().filter(name -> tasks.findByName(name).isPresent()).toList();
    }

    /**
     * Moves one demo task, looked up by its demo name (never any other task): a running one ends (exit code 0, or a
     * failure's code and message), an idle one starts a run half of the time, so the page shows running clocks too,
     * and otherwise reports a result without a start, as a script that only reports does.
     */
    @Transactional
    public void reportSomething() {
        List<String> names = List.copyOf(DEMO_TASKS.keySet());
        String name = names.get(ThreadLocalRandom.current().nextInt(names.size()));
        Task task = tasks.findByName(name).orElse(null);
        if (task == null) {
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (task.getRunningSince() == null && random.nextBoolean()) {
            runs.start(task, null);
            return;
        }
        boolean fails = random.nextInt(4) == 0;
        runs.end(task, fails
                ? new Ending(null, 1 + random.nextInt(3), FAILURES.get(random.nextInt(FAILURES.size())), null, null, null)
                : new Ending(null, 0, "ok", null, null, null));
    }

    private void changeOne() {
        try {
            self.reportSomething();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Demo change failed: {0}", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        if (changes != null) {
            changes.cancel(false);
        }
    }
}
