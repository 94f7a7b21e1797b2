package dev.parley.server;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code http.server.requests}: every request's duration by {@code method}, {@code route} (the matched path
 * template, {@code /v1/sessions/{id}/messages}, never the raw path, whose ids would make a series per
 * session) and {@code status}. A request no route matched, or that Jetty refused before routing, is
 * {@code route="unmatched"}; a streamed reply is timed to its last event.
 */
final class HttpMetrics {
  static final String NAME = "http.server.requests";
  static final String UNMATCHED = "unmatched";

  private final MeterRegistry registry;

  HttpMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
  }

  /** Javalin's request logger: called once per request, after every handler, with the time it took. */
  void record(Context ctx, Float millis) {
    record(method(ctx), route(ctx), ctx.statusCode(), (long) (millis * 1_000_000L));
  }

  /** A request Jetty refused before it reached a route (its method is unknown then). */
  void refused(int status) {
    record("UNKNOWN", UNMATCHED, status, 0);
  }

  private void record(String method, String route, int status, long nanos) {
    Timer.builder(NAME)
        .description("HTTP requests served, by route template and status")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(3))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private static String method(Context ctx) {
    // Only the methods Jetty knows reach here, so the tag's values stay a small set.
    return ctx.method().name();
  }

  private static String route(Context ctx) {
    String path;
    try {
      path = ctx.endpointHandlerPath();
    } catch (IllegalStateException e) {
      return UNMATCHED;
    }
    return path == null || path.isEmpty() || path.equals("*") ? UNMATCHED : path;
  }
}
