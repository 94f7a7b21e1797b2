package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guard of one flag's rollout ({@link RolloutGuard}): when {@code enabled}, and at least
 * {@code minTurns} turn attempts that ran with the flag on finished within {@code window} (and since the
 * flag last changed), an error rate above {@code maxErrorRate} sets the flag's rollout to 0 %.
 *
 * <p>Stored in {@code flags.guard}, versioned (STYLE 24):
 * {@code {"v": 1, "enabled": true, "max_error_rate": 0.01, "min_turns": 50, "window_seconds": 900}}.
 *
 * @param maxErrorRate the highest error rate tolerated, in [0, 1]; 0.01 (1 %) is the seed's error-rate alert
 * @param minTurns the fewest turn attempts the guard judges on, in [1, 1000000]
 * @param window how far back turns count, in [1 s, 30 days]
 */
public record FlagGuard(boolean enabled, double maxErrorRate, int minTurns, Duration window) {
  public static final int VERSION = 1;
  public static final double DEFAULT_MAX_ERROR_RATE = 0.01;
  public static final int DEFAULT_MIN_TURNS = 50;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);
  static final int MAX_MIN_TURNS = 1_000_000;
  static final Duration MAX_WINDOW = Duration.ofDays(30);
  private static final Pattern WINDOW = Pattern.compile("(\\d{1,9})([smhd]?)");
  private static final Set<String> KEYS = Set.of("v", "enabled", "max_error_rate", "min_turns", "window_seconds");

  /** No guard: what a flag has until one is set (the flag is never rolled back by itself). */
  public static final FlagGuard OFF = new FlagGuard(false, DEFAULT_MAX_ERROR_RATE, DEFAULT_MIN_TURNS, DEFAULT_WINDOW);

  public FlagGuard {
    requireNonNull(window, "window is null");
    if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) { // also refuses NaN
      throw new IllegalArgumentException("max error rate must be in [0, 1], was " + maxErrorRate);
    }
    if (minTurns < 1 || minTurns > MAX_MIN_TURNS) {
      throw new IllegalArgumentException("min turns must be in [1, " + MAX_MIN_TURNS + "], was " + minTurns);
    }
    if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException("window must be in [1 s, 30 days] (whole seconds), was " + window);
    }
    if (!window.truncatedTo(ChronoUnit.SECONDS).equals(window)) {
      throw new IllegalArgumentException("window must be whole seconds, was " + window);
    }
  }

  /**
   * This guard with the given settings changed and the rest kept. Changing a threshold without saying
   * whether the guard is on turns it on: asking for a threshold means wanting it enforced.
   */
  public FlagGuard with(Optional<Boolean> newEnabled, OptionalDouble newMaxErrorRate, OptionalInt newMinTurns, Optional<Duration> newWindow) {
    boolean anySetting = newMaxErrorRate.isPresent() || newMinTurns.isPresent() || newWindow.isPresent();
    return new FlagGuard(newEnabled.orElse(anySetting || enabled), newMaxErrorRate.orElse(maxErrorRate), newMinTurns.orElse(minTurns),
        newWindow.orElse(window));
  }

  /** The stored form: {@link #settings} with its version. */
  public ObjectNode toJson() {
    ObjectNode json = Json.object().put("v", VERSION);
    json.setAll(settings());
    return json;
  }

  /** The settings as the admin API and {@code flags list --json} show them: {@code {"enabled","max_error_rate","min_turns","window_seconds"}}. */
  public ObjectNode settings() {
    return Json.object()
        .put("enabled", enabled)
        .put("max_error_rate", maxErrorRate)
        .put("min_turns", minTurns)
        .put("window_seconds", window.toSeconds());
  }

  /**
   * A window as the command line and docs write it: whole seconds ({@code 900}), with a unit
   * ({@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT15M}).
   *
   * @throws BadInputException naming {@code what} when {@code text} is none of these
   */
  public static Duration parseWindow(String text, String what) {
    requireNonNull(text, "text is null");
    String t = text.strip().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      Matcher m = WINDOW.matcher(t);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofSeconds(n);
        };
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new BadInputException(what + " must be a duration such as 900, 90s, 15m, 2h or PT15M, was '" + text + "'");
  }

  /**
   * Reads the stored form; an unknown version, a missing or unknown key or a value out of range is an
   * {@link IllegalStateException} naming {@code source} (a corrupt row must not silently disable a guard).
   */
  public static FlagGuard fromJson(JsonNode node, String source) {
    requireNonNull(node, "node is null");
    requireNonNull(source, "source is null");
    if (!node.isObject()) {
      throw new IllegalStateException(source + ": expected a guard object, found " + node.getNodeType());
    }
    JsonNode v = node.path("v");
    if (!v.isInt() || v.intValue() != VERSION) {
      throw new IllegalStateException(source + ": expected guard version " + VERSION + ", found " + v);
    }
    Set<String> unknown = new TreeSet<>();
    node.fieldNames().forEachRemaining(k -> {
      if (!KEYS.contains(k)) {
        unknown.add(k);
      }
    });
    if (!unknown.isEmpty()) {
      throw new IllegalStateException(source + ": unknown guard keys " + unknown + "; expected " + new TreeSet<>(KEYS));
    }
    JsonNode enabled = node.path("enabled");
    JsonNode rate = node.path("max_error_rate");
    JsonNode turns = node.path("min_turns");
    JsonNode seconds = node.path("window_seconds");
    if (!enabled.isBoolean() || !rate.isNumber() || !turns.canConvertToInt() || !turns.isIntegralNumber() || !seconds.isIntegralNumber()) {
      throw new IllegalStateException(source + ": expected enabled (boolean), max_error_rate (number), min_turns and window_seconds (integers), found "
          + Json.write(node));
    }
    try {
      return new FlagGuard(enabled.booleanValue(), rate.doubleValue(), turns.intValue(), Duration.ofSeconds(seconds.longValue()));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(source + ": " + e.getMessage(), e);
    }
  }
}
