package io.taskpulse.tasks.boundary;

import io.taskpulse.page.boundary.SecurityHeaders;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A body whose Content-Length is over {@link JsonBody#LIMIT_BYTES} (a run's output: {@link OutputTail#MAX_BODY_BYTES})
 * gets the 413 problem before anything reads
 * it, on every {@code /api} path and before any other check (a token, a Content-Type).
 * <p>
 * The refused body is then read to its end and dropped, asynchronously (no thread waits for the client) through an
 * 8 KiB scratch array, because over HTTP/2 a client may otherwise never see the answer: Payara's HTTP/2 layer
 * (Grizzly) neither resets a stream whose body the application left unread (RST_STREAM NO_ERROR, RFC 9113
 * section 8.1) nor gives the client flow-control credit for it, and the JDK's {@code HttpClient} hands out a
 * response only once it has sent the whole body, so it waited for its own timeout. Tomcat (TomEE) resets the stream
 * itself; reading costs it nothing more than the upload. On HTTP/1.1 the read keeps the connection usable
 * instead of leaving the servers to swallow or close (Tomcat swallows 2 MiB, then closes while the client
 * still writes).
 * <p>
 * Only {@link #DRAIN_LIMIT_BYTES} are read that way, for {@link #DRAIN_TIMEOUT_MILLIS} at most; see
 * {@link Decision} for the bodies refused without reading. A body without a Content-Length (chunked) is limited
 * where it is read, in {@link JsonBody}.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class BodyLimit extends HttpFilter {

    /** 256 times the limit: a client that sent that much by mistake still gets its answer. */
    static final long DRAIN_LIMIT_BYTES = 256L * JsonBody.LIMIT_BYTES;
    static final long DRAIN_TIMEOUT_MILLIS = 30_000;

    private static final Logger LOG = Logger.getLogger(BodyLimit.class.getName());

    /** What to do with a request, by its declared length and how its body arrives. */
    enum Decision {
        /** Within the limit, or of unknown length (-1): JsonBody counts what it reads. */
        PASS,
        /** Answer, then read the body to its end and drop it. */
        REFUSE_AND_DRAIN,
        /**
         * Answer without reading, and end an HTTP/1.1 connection after the answer: the body is too large to read
         * for nothing, or the client holds it back until it hears 100 Continue and will not send it now.
         */
        REFUSE_AND_CLOSE,
        /**
         * Answer without reading: the request that asks for an h2c upgrade carries its body over HTTP/1.1, before
         * the switch, and the server reads that itself (Payara's upgraded stream breaks the connection when
         * given a ReadListener; Tomcat buffers up to maxSavePostSize and refuses larger bodies itself).
         */
        REFUSE;

        static Decision of(long contentLength, boolean expectsContinue, boolean upgrading) {
            return of(contentLength, JsonBody.LIMIT_BYTES, expectsContinue, upgrading);
        }

        static Decision of(long contentLength, long limit, boolean expectsContinue, boolean upgrading) {
            if (contentLength <= limit) {
                return PASS;
            }
            if (upgrading) {
                return REFUSE;
            }
            return expectsContinue || contentLength > DRAIN_LIMIT_BYTES ? REFUSE_AND_CLOSE : REFUSE_AND_DRAIN;
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean output = isRunOutput(request);
        boolean bulk = isBulk(request);
        Decision decision = Decision.of(request.getContentLengthLong(),
                output ? OutputTail.MAX_BODY_BYTES : bulk ? ReportsResource.LIMIT_BYTES : JsonBody.LIMIT_BYTES,
                expectsContinue(request), request.getHeader("Upgrade") != null);
        if (decision == Decision.PASS) {
            chain.doFilter(request, response);
            return;
        }
        SecurityHeaders.apply(response);
        if (decision == Decision.REFUSE_AND_CLOSE && request.getProtocol().startsWith("HTTP/1")) {
            // HTTP/2 forbids the header; a stream ends by itself there
            response.setHeader("Connection", "close");
        }
        Problems.write(response, 413, output ? OutputTail.TOO_LARGE : bulk ? ReportsResource.TOO_LARGE : JsonBody.TOO_LARGE);
        if (decision == Decision.REFUSE_AND_DRAIN) {
            response.flushBuffer();
            drain(request);
        }
    }

    /**
     * A run's output sent as text ({@code PUT …/status} with {@code text/plain}): a log may be larger than a JSON
     * body, and its last part is kept (see {@link OutputTail}), so its limit is {@link OutputTail#MAX_BODY_BYTES}.
     */
    static boolean isRunOutput(HttpServletRequest request) {
        String type = request.getContentType();
        return "PUT".equals(request.getMethod()) && type != null
                && type.strip().toLowerCase(java.util.Locale.ROOT).startsWith("text/plain");
    }

    /** A bulk report ({@code POST /api/reports}): up to {@link ReportsResource#MAX_REPORTS} reports in one body. */
    static boolean isBulk(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && "/reports".equals(request.getPathInfo());
    }

    private static boolean expectsContinue(HttpServletRequest request) {
        String expect = request.getHeader("Expect");
        return expect != null && expect.strip().equalsIgnoreCase("100-continue");
    }

    private static void drain(HttpServletRequest request) throws IOException {
        AsyncContext async = request.startAsync();
        async.setTimeout(DRAIN_TIMEOUT_MILLIS);
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                LOG.log(Level.FINE, "A refused body was still arriving after {0} ms", DRAIN_TIMEOUT_MILLIS);
                async.complete();
            }

            @Override
            public void onError(AsyncEvent event) {
                async.complete();
            }

            @Override
            public void onComplete(AsyncEvent event) {
                // nothing held
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not re-started
            }
        });
        ServletInputStream in = request.getInputStream();
        in.setReadListener(new Drain(in, async));
    }

    /** Reads whatever has arrived, keeps none of it, and ends the exchange at the body's end. */
    private static final class Drain implements ReadListener {

        private final ServletInputStream in;
        private final AsyncContext async;
        private final byte[] scratch = new byte[8 * 1024];

        Drain(ServletInputStream in, AsyncContext async) {
            this.in = in;
            this.async = async;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady() && in.read(scratch) >= 0) {
                // dropped
            }
        }

        @Override
        public void onAllDataRead() {
            async.complete();
        }

        @Override
        public void onError(Throwable failure) {
            // the client went away or broke off: nothing to answer any more
            LOG.log(Level.FINE, "A refused body broke off: {0}", failure.toString());
            async.complete();
        }
    }
}
