package dev.parley.llm.chat;

import static java.util.Objects.requireNonNull;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The Resilience4j retry and circuit-breaker settings a {@link ResilienceConfig} stands for, shared by the
 * chat adapters ({@link ResilientCaller}) and the OpenAI embedding adapter, which differ only in the
 * exception type that carries an attempt's classification.
 */
public final class ResiliencePolicies {
  private ResiliencePolicies() {}

  /**
   * Exponential backoff with jitter, lengthened to the provider's {@code retry-after} (capped at
   * {@link ResilienceConfig#maxRetryAfter()}); failures are returned, not thrown, after the last attempt.
   *
   * @param retryable whether a failed attempt may be retried
   * @param retryAfter the wait a failed attempt's reply asked for, if any
   */
  public static RetryConfig retry(ResilienceConfig c, Predicate<Throwable> retryable,
      Function<Throwable, Optional<Duration>> retryAfter) {
    requireNonNull(c, "c is null");
    requireNonNull(retryable, "retryable is null");
    requireNonNull(retryAfter, "retryAfter is null");
    IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
        c.initialBackoff(), c.multiplier(), c.jitter(), c.maxBackoff());
    IntervalBiFunction<Object> interval = (attempt, outcome) -> {
      long wait = backoff.apply(attempt);
      if (outcome.isLeft()) {
        Optional<Duration> asked = retryAfter.apply(outcome.getLeft());
        if (asked.isPresent()) {
          wait = Math.max(wait, Math.min(asked.get().toMillis(), c.maxRetryAfter().toMillis()));
        }
      }
      return wait;
    };
    return RetryConfig.<Object>custom()
        .maxAttempts(c.maxAttempts())
        .intervalBiFunction(interval)
        .retryOnException(retryable)
        .failAfterMaxAttempts(false)
        .build();
  }

  /**
   * A count-based breaker over the last {@link ResilienceConfig#breakerWindow()} attempts.
   *
   * @param countsAgainstProvider whether a failed attempt was the provider's fault (only those open it)
   */
  public static CircuitBreakerConfig breaker(ResilienceConfig c, Predicate<Throwable> countsAgainstProvider) {
    requireNonNull(c, "c is null");
    requireNonNull(countsAgainstProvider, "countsAgainstProvider is null");
    return CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(c.breakerWindow())
        .minimumNumberOfCalls(c.breakerMinimumCalls())
        .failureRateThreshold(c.breakerFailureRatePercent())
        .waitDurationInOpenState(c.breakerOpenFor())
        .permittedNumberOfCallsInHalfOpenState(Math.min(3, c.breakerWindow()))
        .recordException(countsAgainstProvider)
        .build();
  }
}
