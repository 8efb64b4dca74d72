package io.taskpulse.tasks.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/**
 * One write, one transaction of its own. A bean apart from {@link TasksResource} so that the transaction begins
 * and ends inside each attempt of {@link io.taskpulse.tasks.control.WriteRetry}, never around the retries.
 */
@ApplicationScoped
public class WriteTransaction {

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public <T> T run(Supplier<T> write) {
        return write.get();
    }
}
