package dev.parley.llm.chat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import dev.parley.core.chat.LlmException;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Why one attempt failed, classified from what the transport saw and the exception chain. Internal: the
 * caller turns the last one into an {@link LlmException} with attempts and elapsed time.
 */
final class AttemptFailure extends RuntimeException {
  private final LlmException.Kind kind;
  private final boolean retryable;
  private final Optional<Duration> retryAfter;

  /** {@code cause} may be null, as for {@link RuntimeException}. */
  AttemptFailure(LlmException.Kind kind, String detail, boolean retryable, Optional<Duration> retryAfter,
      @Nullable Throwable cause) {
    super(detail, cause, false, false);
    this.kind = requireNonNull(kind, "kind is null");
    this.retryable = retryable;
    this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
  }

  /** A copy of {@code other} with another retry decision. */
  private AttemptFailure(AttemptFailure other, boolean retryable) {
    super(other.getMessage(), other.getCause(), false, false);
    this.kind = other.kind;
    this.retryable = retryable;
    this.retryAfter = other.retryAfter;
  }

  LlmException.Kind kind() {
    return kind;
  }

  boolean retryable() {
    return retryable;
  }

  Optional<Duration> retryAfter() {
    return retryAfter;
  }

  AttemptFailure notRetryable() {
    return new AttemptFailure(this, false);
  }

  /** Failures that say the provider is unhealthy count towards opening the circuit breaker. */
  boolean countsAgainstProvider() {
    return switch (kind) {
      case SERVER_ERROR, TIMEOUT, MALFORMED_RESPONSE, OTHER -> true;
      case RATE_LIMITED, CLIENT_ERROR, CIRCUIT_OPEN -> false;
    };
  }

  static AttemptFailure timeout(Duration timeout) {
    return new AttemptFailure(LlmException.Kind.TIMEOUT, "no complete reply within " + timeout.toMillis() + " ms",
        true, Optional.empty(), null);
  }

  static AttemptFailure malformed(String detail, Throwable cause) {
    return new AttemptFailure(LlmException.Kind.MALFORMED_RESPONSE, "malformed response: " + detail, false,
        Optional.empty(), cause);
  }

  /** A malformed reply found by our own checks, with no exception underneath. */
  static AttemptFailure malformed(String detail) {
    return new AttemptFailure(LlmException.Kind.MALFORMED_RESPONSE, "malformed response: " + detail, false,
        Optional.empty(), null);
  }

  /** Classifies a failed attempt. */
  static AttemptFailure classify(Throwable error, AttemptContext context) {
    if (error instanceof AttemptFailure f) {
      return f;
    }
    Optional<ProviderHttpException> http = context.httpError().or(() -> find(error, ProviderHttpException.class));
    if (http.isPresent()) {
      return fromStatus(http.get().statusCode(), http.get().body(), http.get().retryAfter(), error);
    }
    if (find(error, HttpTimeoutException.class).isPresent()
        || find(error, java.net.SocketTimeoutException.class).isPresent()
        || find(error, dev.langchain4j.exception.TimeoutException.class).isPresent()) {
      return new AttemptFailure(LlmException.Kind.TIMEOUT, "HTTP timeout: " + rootMessage(error), true, Optional.empty(), error);
    }
    // An error event inside a 200 stream: Anthropic sends overloaded_error this way once streaming began.
    Optional<AnthropicStreamingException> streamError = find(error, AnthropicStreamingException.class);
    if (streamError.isPresent()) {
      return fromErrorType(String.valueOf(streamError.get().type()), String.valueOf(streamError.get().getMessage()), error);
    }
    String text = chainText(error);
    for (String type : List.of("overloaded_error", "rate_limit_error", "api_error")) {
      if (text.contains(type)) {
        return fromErrorType(type, rootMessage(error), error);
      }
    }
    if (find(error, JsonProcessingException.class).isPresent() || context.gotSuccessStatus()) {
      // The provider said 200 but we could not read what followed: a body problem, not a transport one.
      return malformed(abbreviate(rootMessage(error)), error);
    }
    if (find(error, IOException.class).isPresent()) {
      return new AttemptFailure(LlmException.Kind.OTHER, "connection failed: " + abbreviate(rootMessage(error)), true,
          Optional.empty(), error);
    }
    return new AttemptFailure(LlmException.Kind.OTHER, abbreviate(rootMessage(error)), false, Optional.empty(), error);
  }

  /** An error named by type only (Anthropic's error event inside a stream). */
  static AttemptFailure fromErrorType(String type, String message, Throwable cause) {
    String detail = "error event in stream: " + type + ": " + abbreviate(message);
    return switch (type) {
      case "overloaded_error", "api_error" -> new AttemptFailure(LlmException.Kind.SERVER_ERROR, detail, true, Optional.empty(), cause);
      case "rate_limit_error" -> new AttemptFailure(LlmException.Kind.RATE_LIMITED, detail, true, Optional.empty(), cause);
      case "timeout_error" -> new AttemptFailure(LlmException.Kind.TIMEOUT, detail, true, Optional.empty(), cause);
      default -> new AttemptFailure(LlmException.Kind.CLIENT_ERROR, detail, false, Optional.empty(), cause);
    };
  }

  static AttemptFailure fromStatus(int status, String body, Optional<Duration> retryAfter, Throwable cause) {
    String detail = "HTTP " + status + describeErrorBody(body);
    if (status == 429) {
      return new AttemptFailure(LlmException.Kind.RATE_LIMITED, detail, true, retryAfter, cause);
    }
    if (status == 408) {
      return new AttemptFailure(LlmException.Kind.TIMEOUT, detail, true, retryAfter, cause);
    }
    if (status >= 500) {
      // 529 is Anthropic's overloaded_error; 500/502/503/504 are transient on every provider.
      return new AttemptFailure(LlmException.Kind.SERVER_ERROR, detail, true, retryAfter, cause);
    }
    return new AttemptFailure(LlmException.Kind.CLIENT_ERROR, detail, false, retryAfter, cause);
  }

  /** {@code ": <type>: <message>"} from Anthropic's or OpenAI's error JSON, else the body's start. */
  static String describeErrorBody(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode root = Json.mapper().readTree(body);
      JsonNode error = root.path("error");
      if (error.isObject()) {
        String type = error.path("type").asText("");
        if (type.isEmpty()) {
          type = error.path("code").asText("");
        }
        String message = error.path("message").asText("");
        return ": " + (type.isEmpty() ? "" : type + ": ") + abbreviate(message);
      }
      if (error.isTextual()) {
        return ": " + abbreviate(error.asText());
      }
    } catch (IOException | RuntimeException notJson) {
      // fall through
    }
    return ": " + abbreviate(body.strip());
  }

  static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String chainText(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null && sb.length() < 10_000; c = c.getCause() == c ? null : c.getCause()) {
      sb.append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }

  private static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return Optional.of(type.cast(c));
      }
    }
    return Optional.empty();
  }
}
