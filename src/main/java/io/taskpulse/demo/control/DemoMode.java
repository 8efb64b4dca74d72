package io.taskpulse.demo.control;

import io.taskpulse.configuration.Settings;
import io.taskpulse.tasks.control.Tasks;
import io.taskpulse.tasks.entity.Status;
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

/** Seeds demo tasks and keeps changing their statuses, so that a newcomer sees the page move. */
@ApplicationScoped
public class DemoMode {

    private static final Logger LOG = Logger.getLogger(DemoMode.class.getName());

    private static final Map<String, String> DEMO_TASKS = Map.of(
            "nightly-backup", "Dump the orders database to object storage",
            "deploy-web", "Roll the web tier to the newest build",
            "smoke-tests", "Run the smoke suite against staging",
            "rotate-logs", "Compress and ship yesterday's logs",
            "sync-inventory", "Pull stock levels from the warehouse API",
            "renew-certificates", "Renew TLS certificates that expire within 30 days");

    private static final List<String> FAILURES = List.of(
            "exit code 1", "timed out after 300 s", "connection refused", "disk full", "assertion failed: 3 tests");

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Settings settings;

    @Inject
    DemoMode self;

    @Inject
    Tasks tasks;

    private ScheduledFuture<?> changes;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!settings.demo()) {
            return;
        }
        try {
            self.seed();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Demo tasks not seeded: {0}", e.toString());
        }
        changes = scheduler.scheduleWithFixedDelay(this::changeOne, 3, 3, TimeUnit.SECONDS);
        LOG.info("Demo mode: a demo task changes status every 3 s");
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
    public void reportSomething() {
        List<String> names = List.copyOf(DEMO_TASKS.keySet());
        String name = names.get(ThreadLocalRandom.current().nextInt(names.size()));
        Task task = tasks.findByName(name).orElse(null);
        if (task == null) {
            return;
        }
        boolean fails = ThreadLocalRandom.current().nextInt(4) == 0;
        tasks.report(task.getId(), fails ? Status.FAILED : Status.SUCCEEDED,
                fails ? FAILURES.get(ThreadLocalRandom.current().nextInt(FAILURES.size())) : "ok");
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
