package dev.parley.llm.chat;

import static java.util.Objects.requireNonNull;

import dev.parley.core.chat.LlmException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs provider calls with Resilience4j: each attempt under a deadline (on its own virtual thread, which is
 * interrupted when the deadline passes), retried with exponential backoff and jitter (lengthened by
 * {@code retry-after}), through a circuit breaker shared by every adapter of the same provider endpoint.
 * Every failure leaves as an {@link LlmException} whose message names what happened, the attempts and the
 * elapsed time, and never the API key.
 */
final class ResilientCaller {
  /** One breaker per provider endpoint: the main and the summariser model of one provider share it. */
  private static final Map<String, CircuitBreaker> BREAKERS = new ConcurrentHashMap<>();

  private final String provider;
  private final ResilienceConfig config;
  private final String apiKey;
  private final CircuitBreaker breaker;
  private final Retry retry;

  /** An attempt body; it runs on its own thread with {@code context} bound for the transport. */
  @FunctionalInterface
  interface Attempt<T> {
    T run(AttemptContext context) throws Exception;
  }

  /** A failure of the caller's own stream listener: rethrown as is, never retried. */
  static final class ListenerFailure extends RuntimeException {
    final RuntimeException original;

    ListenerFailure(RuntimeException original) {
      super(original.getMessage(), original, false, false);
      this.original = original;
    }
  }

  ResilientCaller(String provider, String endpoint, ResilienceConfig config, String apiKey) {
    this.provider = requireNonNull(provider, "provider is null");
    this.config = requireNonNull(config, "config is null");
    this.apiKey = requireNonNull(apiKey, "apiKey is null");
    requireNonNull(endpoint, "endpoint is null");
    this.breaker = BREAKERS.computeIfAbsent(provider + " " + endpoint, name -> CircuitBreaker.of(name, breakerConfig(config)));
    this.retry = Retry.of(provider + " " + endpoint, retryConfig(config));
  }

  CircuitBreaker.State circuitState() {
    return breaker.getState();
  }

  <T> T call(String model, Attempt<T> attempt) {
    long start = System.nanoTime();
    AtomicInteger attempts = new AtomicInteger();
    Supplier<T> one = () -> {
      attempts.incrementAndGet();
      return runWithDeadline(attempt);
    };
    Supplier<T> guarded = CircuitBreaker.decorateSupplier(breaker, one);
    Supplier<T> retried = Retry.decorateSupplier(retry, guarded);
    try {
      return retried.get();
    } catch (AttemptFailure f) {
      throw new LlmException(f.kind(), sanitize(provider + " call failed: " + f.getMessage() + where(model, attempts.get(), start)),
          safeCause(f.getCause()));
    } catch (CallNotPermittedException e) {
      String made = attempts.get() == 0 ? "no call made" : "stopped after " + attempts.get() + " attempt(s)";
      throw new LlmException(LlmException.Kind.CIRCUIT_OPEN,
          provider + " circuit breaker is open after repeated provider failures; " + made + " (it half-opens "
              + config.breakerOpenFor().toSeconds() + " s after opening)" + where(model, attempts.get(), start));
    } catch (ListenerFailure e) {
      throw e.original;
    }
  }

  private <T> T runWithDeadline(Attempt<T> attempt) {
    AttemptContext context = new AttemptContext();
    FutureTask<T> task = new FutureTask<>(() -> {
      context.bindToCurrentThread();
      try {
        return attempt.run(context);
      } finally {
        AttemptContext.unbind();
      }
    });
    Thread.ofVirtual().name("parley-" + provider + "-call").start(task);
    try {
      return task.get(config.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      context.abandon();
      task.cancel(true);
      AttemptFailure timeout = AttemptFailure.timeout(config.timeout());
      throw context.emittedText() ? timeout.notRetryable() : timeout;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      Throwable cause = c != null ? c : e;
      if (cause instanceof ListenerFailure lf) {
        throw lf;
      }
      AttemptFailure failure = AttemptFailure.classify(cause, context);
      throw context.emittedText() ? failure.notRetryable() : failure;
    } catch (InterruptedException e) {
      context.abandon();
      task.cancel(true);
      Thread.currentThread().interrupt();
      throw new AttemptFailure(LlmException.Kind.OTHER, "interrupted while waiting for the provider", false,
          java.util.Optional.empty(), e);
    }
  }

  private String where(String model, int attempts, long startNanos) {
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    return " [model " + model + ", " + attempts + (attempts == 1 ? " attempt" : " attempts") + " in " + ms + " ms]";
  }

  private String sanitize(String message) {
    return apiKey.length() >= 4 ? message.replace(apiKey, "[redacted]") : message;
  }

  /** The original exception is kept for debugging unless something in its chain quotes the key (then null). */
  private @Nullable Throwable safeCause(@Nullable Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (apiKey.length() >= 4 && String.valueOf(c.getMessage()).contains(apiKey)) {
        return null;
      }
    }
    return cause;
  }

  private static CircuitBreakerConfig breakerConfig(ResilienceConfig c) {
    return ResiliencePolicies.breaker(c, t -> t instanceof AttemptFailure f && f.countsAgainstProvider());
  }

  private static RetryConfig retryConfig(ResilienceConfig c) {
    return ResiliencePolicies.retry(c, t -> t instanceof AttemptFailure f && f.retryable(),
        t -> t instanceof AttemptFailure f ? f.retryAfter() : java.util.Optional.empty());
  }

  /** The wait before retry number {@code attempt} (1-based) after a failure with {@code retryAfter}; for tests. */
  static long waitMillis(ResilienceConfig c, int attempt, java.util.Optional<Duration> retryAfter) {
    AttemptFailure f = new AttemptFailure(LlmException.Kind.RATE_LIMITED, "test", true, retryAfter, null);
    return retryConfig(c).getIntervalBiFunction().apply(attempt, io.github.resilience4j.core.functions.Either.left(f));
  }
}
