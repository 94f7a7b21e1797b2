package dev.parley.llm.chat;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A non-2xx provider reply, with the headers LangChain4j's own {@link HttpException} drops: we need
 * {@code retry-after} to honour the provider's back-off request.
 */
final class ProviderHttpException extends HttpException {
  private final Map<String, List<String>> headers;

  ProviderHttpException(int statusCode, String body, Map<String, List<String>> headers) {
    super(statusCode, body);
    this.headers = Map.copyOf(headers);
  }

  String body() {
    return getMessage() == null ? "" : getMessage();
  }

  /** {@code retry-after-ms} (OpenAI) first, then {@code retry-after} as seconds or an HTTP date. */
  Optional<Duration> retryAfter() {
    Optional<String> millis = header("retry-after-ms");
    if (millis.isPresent()) {
      try {
        return Optional.of(Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.get().trim()))));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    return header("retry-after").flatMap(ProviderHttpException::parseRetryAfter);
  }

  static Optional<Duration> parseRetryAfter(String value) {
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  private Optional<String> header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return Optional.of(e.getValue().get(0));
      }
    }
    return Optional.empty();
  }
}
