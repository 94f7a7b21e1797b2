package dev.parley.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;

/** An error reply: HTTP status and the body {@code {"error":{"code","message"}}}. */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(requireNonNull(message, "message is null"));
    this.status = status;
    this.code = requireNonNull(code, "code is null");
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ObjectNode body(String code, String message) {
    ObjectNode body = Json.object();
    body.putObject("error").put("code", code).put("message", message);
    return body;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }
}
