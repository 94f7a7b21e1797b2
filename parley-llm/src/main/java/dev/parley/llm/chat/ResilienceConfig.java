package dev.parley.llm.chat;

import static java.util.Objects.requireNonNull;

import dev.parley.core.error.BadInputException;
import java.time.Duration;
import java.util.Map;

/**
 * How provider calls are bounded and retried.
 *
 * <p>Retries (on 429, 5xx incl. Anthropic's 529 {@code overloaded_error}, timeouts and connection failures)
 * wait {@code initialBackoff * multiplier^(n-1)}, randomised by {@code ±jitter} and capped at
 * {@code maxBackoff}; a provider's {@code retry-after} lengthens the wait, up to {@code maxRetryAfter}.
 * The circuit breaker (one per provider endpoint) opens when at least {@code breakerFailureRatePercent} of
 * the last {@code breakerWindow} attempts (once {@code breakerMinimumCalls} were made) failed on the
 * provider's side, and stays open for {@code breakerOpenFor}.
 *
 * @param timeout bound on one attempt, from sending the request to the last byte of the reply (or stream)
 * @param maxAttempts attempts per call, the first included (1 = no retries)
 */
public record ResilienceConfig(
    Duration timeout,
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    double jitter,
    Duration maxBackoff,
    Duration maxRetryAfter,
    float breakerFailureRatePercent,
    int breakerWindow,
    int breakerMinimumCalls,
    Duration breakerOpenFor) {

  /** Environment variable: per-attempt timeout in seconds (may be fractional). */
  public static final String ENV_TIMEOUT = "PARLEY_LLM_TIMEOUT_SECONDS";
  /** Environment variable: attempts per call, the first included. */
  public static final String ENV_MAX_ATTEMPTS = "PARLEY_LLM_MAX_ATTEMPTS";

  public ResilienceConfig {
    requireNonNull(timeout, "timeout is null");
    requireNonNull(initialBackoff, "initialBackoff is null");
    requireNonNull(maxBackoff, "maxBackoff is null");
    requireNonNull(maxRetryAfter, "maxRetryAfter is null");
    requireNonNull(breakerOpenFor, "breakerOpenFor is null");
    requirePositive("timeout", timeout);
    requirePositive("initialBackoff", initialBackoff);
    requirePositive("breakerOpenFor", breakerOpenFor);
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new IllegalArgumentException("maxAttempts must be in [1, 20], was " + maxAttempts);
    }
    if (multiplier < 1.0 || multiplier > 10.0) {
      throw new IllegalArgumentException("multiplier must be in [1, 10], was " + multiplier);
    }
    if (jitter < 0.0 || jitter >= 1.0) {
      throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be >= initialBackoff (" + initialBackoff + "), was " + maxBackoff);
    }
    if (maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException("maxRetryAfter must be >= 0, was " + maxRetryAfter);
    }
    if (breakerFailureRatePercent <= 0 || breakerFailureRatePercent > 100) {
      throw new IllegalArgumentException("breakerFailureRatePercent must be in (0, 100], was " + breakerFailureRatePercent);
    }
    if (breakerWindow < 1) {
      throw new IllegalArgumentException("breakerWindow must be >= 1, was " + breakerWindow);
    }
    if (breakerMinimumCalls < 1 || breakerMinimumCalls > breakerWindow) {
      throw new IllegalArgumentException(
          "breakerMinimumCalls must be in [1, breakerWindow=" + breakerWindow + "], was " + breakerMinimumCalls);
    }
  }

  /**
   * Production defaults: 120 s per attempt (long generations stream for a while), 4 attempts, backoff
   * 0.5 s doubling to 20 s with ±50 % jitter, retry-after honoured up to 60 s; breaker opens at 50 %
   * failures of the last 20 attempts (10 at least) for 30 s.
   */
  public static ResilienceConfig defaults() {
    return new ResilienceConfig(Duration.ofSeconds(120), 4, Duration.ofMillis(500), 2.0, 0.5, Duration.ofSeconds(20),
        Duration.ofSeconds(60), 50f, 20, 10, Duration.ofSeconds(30));
  }

  /** Defaults, with {@link #ENV_TIMEOUT} and {@link #ENV_MAX_ATTEMPTS} applied when set. */
  public static ResilienceConfig fromEnv(Map<String, String> env) {
    requireNonNull(env, "env is null");
    ResilienceConfig config = defaults();
    String timeout = env.get(ENV_TIMEOUT);
    if (timeout != null && !timeout.isBlank()) {
      double seconds;
      try {
        seconds = Double.parseDouble(timeout.trim());
      } catch (NumberFormatException e) {
        throw new BadInputException(ENV_TIMEOUT + " must be a number of seconds, was '" + timeout + "'");
      }
      if (!(seconds > 0) || seconds > 3600) {
        throw new BadInputException(ENV_TIMEOUT + " must be in (0, 3600] seconds, was " + timeout);
      }
      config = config.withTimeout(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
    }
    String attempts = env.get(ENV_MAX_ATTEMPTS);
    if (attempts != null && !attempts.isBlank()) {
      int n;
      try {
        n = Integer.parseInt(attempts.trim());
      } catch (NumberFormatException e) {
        throw new BadInputException(ENV_MAX_ATTEMPTS + " must be an integer, was '" + attempts + "'");
      }
      if (n < 1 || n > 20) {
        throw new BadInputException(ENV_MAX_ATTEMPTS + " must be in [1, 20], was " + n);
      }
      config = config.withMaxAttempts(n);
    }
    return config;
  }

  public ResilienceConfig withTimeout(Duration value) {
    return new ResilienceConfig(value, maxAttempts, initialBackoff, multiplier, jitter, maxBackoff, maxRetryAfter,
        breakerFailureRatePercent, breakerWindow, breakerMinimumCalls, breakerOpenFor);
  }

  public ResilienceConfig withMaxAttempts(int value) {
    return new ResilienceConfig(timeout, value, initialBackoff, multiplier, jitter, maxBackoff, maxRetryAfter,
        breakerFailureRatePercent, breakerWindow, breakerMinimumCalls, breakerOpenFor);
  }

  /** Backoff schedule: first wait, growth factor, cap; {@code jitter} stays as it is. */
  public ResilienceConfig withBackoff(Duration initial, double factor, Duration max) {
    return new ResilienceConfig(timeout, maxAttempts, initial, factor, jitter, max, maxRetryAfter,
        breakerFailureRatePercent, breakerWindow, breakerMinimumCalls, breakerOpenFor);
  }

  public ResilienceConfig withMaxRetryAfter(Duration value) {
    return new ResilienceConfig(timeout, maxAttempts, initialBackoff, multiplier, jitter, maxBackoff, value,
        breakerFailureRatePercent, breakerWindow, breakerMinimumCalls, breakerOpenFor);
  }

  public ResilienceConfig withBreaker(float failureRatePercent, int window, int minimumCalls, Duration openFor) {
    return new ResilienceConfig(timeout, maxAttempts, initialBackoff, multiplier, jitter, maxBackoff, maxRetryAfter,
        failureRatePercent, window, minimumCalls, openFor);
  }

  private static void requirePositive(String name, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be > 0, was " + d);
    }
  }
}
