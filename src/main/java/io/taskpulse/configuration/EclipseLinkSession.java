package io.taskpulse.configuration;

import io.taskpulse.tasks.entity.Task;
import org.eclipse.persistence.descriptors.ClassDescriptor;
import org.eclipse.persistence.descriptors.ReturningPolicy;
import org.eclipse.persistence.internal.helper.DatabaseField;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionCustomizer;

/**
 * What TaskPulse changes in EclipseLink's defaults, before the session logs in. Named in persistence.xml. The
 * interface is the one in {@code sessions}: EclipseLink 5 (Payara 7) dropped the old {@code config.SessionCustomizer}.
 * <ul>
 * <li><b>Fail fast.</b> EclipseLink retries a read that failed for a lost connection 3 times, 5 s apart, by default:
 * while the database is down every request (and the poller) would hang for 15 s before failing. The pool checks each
 * connection before handing it out (see {@link Database}), so a retry has nothing left to fix: fail at once, and let
 * the API answer 503 and the poller back off.</li>
 * <li><b>The trigger's columns come back with the UPDATE, on PostgreSQL.</b> A task's {@code changed_at} and
 * {@code revision} are the database's (its trigger sets them on every change), and a report answers with them. On
 * PostgreSQL every UPDATE of a task ends in {@code RETURNING changed_at, revision}, so the answer needs no second
 * read of the row (issue 17: one statement of the six a single report cost). Derby and MariaDB have no
 * {@code UPDATE … RETURNING}; there the report reads the row back (tasks.control.TaskRuns). Decided from the
 * configured URL, as {@link Settings#onPostgresql()} does: EclipseLink detects its platform only after this runs,
 * and a returning policy on a platform without RETURNING fails the deployment.</li>
 * </ul>
 */
public class EclipseLinkSession implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
            login.setQueryRetryAttemptCount(0);
        }
        if (TaskPulseDataSource.postgresql(Settings.databaseUrl())) {
            ClassDescriptor task = session.getClassDescriptor(Task.class);
            ReturningPolicy returning = new ReturningPolicy();
            returning.addFieldForUpdate(returned(task, "changedAt", java.sql.Timestamp.class));
            returning.addFieldForUpdate(returned(task, "revision", Long.class));
            task.setReturningPolicy(returning);
        }
    }

    /**
     * The mapping's own field, typed: a field named anew is not the mapped one to EclipseLink ("unmapped field"), and a
     * returned field needs its type before the descriptor is initialized ("mapped field which requires type").
     */
    private static DatabaseField returned(ClassDescriptor descriptor, String attribute, Class<?> type) {
        DatabaseField field = descriptor.getMappingForAttributeName(attribute).getField();
        field.setType(type);
        return field;
    }
}
