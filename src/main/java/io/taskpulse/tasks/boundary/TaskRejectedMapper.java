package io.taskpulse.tasks.boundary;

import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A broken rule is the client's mistake: 400, 404 or 409, with the rule's own words. */
@Provider
public class TaskRejectedMapper implements ExceptionMapper<TaskRejected> {

    @Override
    public Response toResponse(TaskRejected rejected) {
        int status = switch (rejected.reason()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case DUPLICATE, CONFLICT -> 409;
        };
        return Problems.of(status, rejected.getMessage());
    }
}
