package dev.parley.core.conversation;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Lenient ISO-8601 parsing: an instant, an offset date-time, or a local date-time taken as UTC. */
public final class Timestamps {
  private Timestamps() {}

  public static Instant parse(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notInstant) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notOffset) {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      }
    }
  }
}
