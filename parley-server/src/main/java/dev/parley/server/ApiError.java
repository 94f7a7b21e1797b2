package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import java.util.Optional;

/**
 * An error reply: HTTP status and the body {@code {"error":{"code","message"}}}, plus {@code "field"} when
 * one request field (body field, query parameter or header) is at fault, so that a client can point at it
 * without parsing the message.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final Optional<String> field;
  /** The message as given: {@link #getMessage()} is nullable in {@link Throwable}, this is not. */
  private final String message;

  public ApiError(int status, String code, String message) {
    this(status, code, message, Optional.empty());
  }

  public ApiError(int status, String code, String message, Optional<String> field) {
    super(requireNonNull(message, "message is null"));
    this.status = status;
    this.code = requireNonNull(code, "code is null");
    this.field = requireNonNull(field, "field is null");
    this.message = message;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Optional<String> field() {
    return field;
  }

  public ObjectNode body() {
    ObjectNode body = body(code, message);
    field.ifPresent(f -> ((ObjectNode) body.get("error")).put("field", f));
    return body;
  }

  public static ObjectNode body(String code, String message) {
    ObjectNode body = Json.object();
    body.putObject("error").put("code", code).put("message", message);
    return body;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }

  /** A field of the wrong type, out of range, too long or too large. */
  public static ApiError invalidField(String field, String message) {
    return new ApiError(400, "invalid_field", message, Optional.of(field));
  }

  /** A string PostgreSQL cannot store or UTF-8 cannot encode (a NUL character, a lone surrogate). */
  public static ApiError invalidText(String field, String message) {
    return new ApiError(400, "invalid_text", message, Optional.of(field));
  }

  /** A body field the route does not take (a typo, or a field the client must not set). */
  public static ApiError unknownField(String field, String message) {
    return new ApiError(400, "unknown_field", message, Optional.of(field));
  }
}
