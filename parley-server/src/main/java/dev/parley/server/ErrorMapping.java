package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.store.StoreUnavailableException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place exceptions become HTTP statuses and error bodies (STYLE 21). Every reply of the API, and of
 * Jetty below it ({@link JsonErrorHandler}), is {@code {"error":{"code","message"}}} with a stable code.
 */
final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

  /**
   * A Java exception's name in a message from below (a provider client's, a driver's): clients get the
   * words, never the class ({@code java.net.ConnectException: refused} and {@code ConnectException: refused}
   * become {@code refused}); a bare word ending in "Error" without a colon may be the client's own text.
   */
  private static final Pattern CLASS_NAME = Pattern.compile(
      "\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:?\\s*|\\b[A-Z][A-Za-z0-9_$]*(?:Exception|Error):\\s*");

  private ErrorMapping() {}

  static int status(AgentException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> 404;
      case TURN_IN_PROGRESS -> 409;
      case IDEMPOTENCY_MISMATCH -> 422;
      case PROVIDER_ERROR -> 502;
      case TURN_TIMEOUT -> 504;
      case INTERRUPTED -> 503;
      case AGENT_UNAVAILABLE -> 409;
    };
  }

  /** Status and body for any exception a handler threw. */
  static Reply of(Exception e) {
    return switch (e) {
      case ApiError a -> new Reply(a.status(), a.body());
      case AgentException a -> {
        ObjectNode body = ApiError.body(a.code(), clientMessage(a.getMessage()));
        a.turnId().ifPresent(t -> ((ObjectNode) body.get("error")).put("turn_id", t.toString()));
        yield new Reply(status(a.kind()), body);
      }
      // Its constructors take a non-null message; Throwable.getMessage() cannot say so.
      case BadInputException b -> new Reply(400, ApiError.body("bad_request", clientMessage(requireNonNull(b.getMessage(), "message is null"))));
      case HttpResponseException h -> new Reply(h.getStatus(), ApiError.body(code(h.getStatus()), message(h)));
      default -> {
        if (DatabaseHealth.isConnectionFailure(e)) {
          LOG.warn("store unavailable: {}", e.toString());
          long retryAfter = storeOutage(e).map(o -> Math.max(1, o.retryAfter().toSeconds())).orElse(STORE_RETRY_AFTER_SECONDS);
          yield new Reply(503, ApiError.body(STORE_UNAVAILABLE, "the store is unavailable; retry in " + retryAfter + " s"),
              Optional.of(retryAfter));
        }
        // The id ties the reply to the log line without telling the client anything about the server.
        String incident = UUID.randomUUID().toString();
        LOG.error("internal error {}: {}", incident, e.toString(), e);
        yield new Reply(500, ApiError.body("internal_error", "internal error " + incident + "; the server log has the details"));
      }
    };
  }

  /** @param retryAfter seconds for a {@code Retry-After} header, when the client should retry later */
  record Reply(int status, ObjectNode body, Optional<Long> retryAfter) {
    Reply(int status, ObjectNode body) {
      this(status, body, Optional.empty());
    }
  }

  /** The error code of every store outage (DESIGN §5 error shape): the request may be retried as it is. */
  static final String STORE_UNAVAILABLE = "store_unavailable";

  /** Retry-After for an outage seen only as a failed connection (an external server, no supervisor to ask). */
  static final long STORE_RETRY_AFTER_SECONDS = 5;

  /** The store's outage exception anywhere in the cause chain (libraries wrap it). */
  static Optional<StoreUnavailableException> storeOutage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StoreUnavailableException s) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** Statuses Javalin answers itself (a route not found, a body over the limit) in plain text unless told otherwise. */
  private static final int[] OWN_STATUSES = {400, 404, 405, 408, 411, 413, 414, 415, 431, 500, 503};

  static void install(Javalin app, DatabaseHealth database) {
    app.exception(Exception.class, (e, ctx) -> {
      database.observe(e);
      write(ctx, of(e));
    });
    // Javalin maps its own HttpResponseExceptions unless a handler names that class.
    app.exception(HttpResponseException.class, (e, ctx) -> write(ctx, of(e)));
    for (int status : OWN_STATUSES) {
      app.error(status, ctx -> {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith("application/json")) {
          write(ctx, ownReply(ctx, status));
        }
      });
    }
  }

  private static Reply ownReply(Context ctx, int status) {
    String where = ctx.method() + " " + RequestChecks.abbreviated(ctx.path(), 200);
    String message = switch (status) {
      case 404 -> "no route " + where;
      case 405 -> "method " + ctx.method() + " is not allowed on " + RequestChecks.abbreviated(ctx.path(), 200);
      case 413 -> "request body too large (the server takes at most --max-body-bytes)";
      default -> "the request failed (" + status + ")";
    };
    return new Reply(status, ApiError.body(code(status), message));
  }

  static void write(Context ctx, Reply reply) {
    reply.retryAfter().ifPresent(seconds -> ctx.header("Retry-After", Long.toString(seconds)));
    ctx.status(reply.status()).json(reply.body());
  }

  static String json(ObjectNode body) {
    return Json.write(body);
  }

  static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 408 -> "request_timeout";
      case 411 -> "length_required";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 431 -> "request_header_too_large";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal_error" : "http_" + status;
    };
  }

  private static String message(HttpResponseException h) {
    return switch (h.getStatus()) {
      case 413 -> "request body too large (the server takes at most --max-body-bytes)";
      default -> clientMessage(h.getMessage() == null ? "HTTP " + h.getStatus() : h.getMessage());
    };
  }

  static String clientMessage(String message) {
    return CLASS_NAME.matcher(message).replaceAll("");
  }
}
