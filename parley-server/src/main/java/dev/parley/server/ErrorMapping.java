package dev.parley.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.AgentException;
import dev.parley.core.error.BadInputException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place exceptions become HTTP statuses and error bodies (STYLE 21). */
final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

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
      case ApiError a -> new Reply(a.status(), ApiError.body(a.code(), a.getMessage()));
      case AgentException a -> {
        ObjectNode body = ApiError.body(a.code(), a.getMessage());
        a.turnId().ifPresent(t -> ((ObjectNode) body.get("error")).put("turn_id", t.toString()));
        yield new Reply(status(a.kind()), body);
      }
      case BadInputException b -> new Reply(400, ApiError.body("bad_request", b.getMessage()));
      case HttpResponseException h -> new Reply(h.getStatus(), ApiError.body(code(h.getStatus()), h.getMessage()));
      default -> {
        LOG.error("internal error: {}", e.toString(), e);
        yield new Reply(500, ApiError.body("internal_error", "internal error (" + e.getClass().getSimpleName() + "); see the server log"));
      }
    };
  }

  record Reply(int status, ObjectNode body) {}

  static void install(Javalin app) {
    app.exception(Exception.class, (e, ctx) -> write(ctx, of(e)));
    app.exception(HttpResponseException.class, (e, ctx) -> write(ctx, of(e)));
    app.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty()) {
        write(ctx, new Reply(404, ApiError.body("not_found", "no route " + ctx.method() + " " + ctx.path())));
      }
    });
    app.error(405, ctx -> write(ctx, new Reply(405, ApiError.body("method_not_allowed", "method " + ctx.method() + " not allowed on " + ctx.path()))));
  }

  static void write(Context ctx, Reply reply) {
    ctx.status(reply.status()).json(reply.body());
  }

  private static String code(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 411 -> "length_required";
      case 413 -> "payload_too_large";
      default -> "http_" + status;
    };
  }
}
