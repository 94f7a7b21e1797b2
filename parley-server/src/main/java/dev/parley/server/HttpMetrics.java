package dev.parley.server;

import static java.util.Objects.requireNonNull;

import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code http.server.requests}: every request's duration by {@code method}, {@code route} (the matched path
 * template, {@code /v1/sessions/{id}/messages}, never the raw path, whose ids would make a series per
 * session) and {@code status}. A request no route matched, or that Jetty refused before routing, is
 * {@code route="unmatched"}; a streamed reply is timed to its last event.
 */
final class HttpMetrics {
  static final String NAME = "http.server.requests";
  static final String UNMATCHED = "unmatched";
  private static final Pattern PARAM = Pattern.compile("\\{[^}/]+}|<[^>/]+>");

  private final MeterRegistry registry;
  /** Endpoint templates as Javalin registers them, for requests that ended before reaching theirs. */
  private final List<Template> templates = new CopyOnWriteArrayList<>();

  private record Template(String path, Pattern pattern) {}

  HttpMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
  }

  /** Javalin's handler-added event: remembers every endpoint's path template. */
  void endpointAdded(HandlerMetaInfo info) {
    if (info.getHttpMethod().isHttpMethod() && templates.stream().noneMatch(t -> t.path().equals(info.getPath()))) {
      templates.add(new Template(info.getPath(), pattern(info.getPath())));
    }
  }

  /** {@code /v1/sessions/{id}/messages} as a regular expression: a {@code {param}} is one segment, a {@code <param>} any rest. */
  static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    Matcher m = PARAM.matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start()))).append(m.group().startsWith("{") ? "[^/]+" : ".+");
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    // Javalin ignores a trailing slash.
    return Pattern.compile(regex + "/?");
  }

  /** Javalin's request logger: called once per request, after every handler, with the time it took. */
  void record(Context ctx, Float millis) {
    requireNonNull(millis, "millis is null");
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

  private String route(Context ctx) {
    String path;
    try {
      path = ctx.endpointHandlerPath();
    } catch (IllegalStateException e) {
      // A before-handler ended the request (a 401 of the auth check, a 400 of the query check): the endpoint
      // it was headed for is still its route.
      path = "";
    }
    if (!path.isEmpty() && !path.equals("*")) {
      return path;
    }
    String requested = ctx.path();
    return templates.stream().filter(t -> t.pattern().matcher(requested).matches()).map(Template::path).findFirst().orElse(UNMATCHED);
  }
}
