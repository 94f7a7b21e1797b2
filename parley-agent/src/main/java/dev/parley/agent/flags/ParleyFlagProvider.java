package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * OpenFeature provider backed by Parley's {@code flags} table. Boolean flags only: a flag is on for an
 * evaluation context when it is enabled and the context's targeting key (the session id) falls in its
 * rollout percentage, bucketed as Unleash does. The table is read at most once per {@code ttl}, so a
 * change made by another process (the CLI) is seen within {@code ttl}; {@link #refresh} makes a
 * change made in this process visible at once.
 */
public final class ParleyFlagProvider implements FeatureProvider {
  private static final Metadata METADATA = () -> "parley-store";

  private final Supplier<List<Flag>> source;
  private final Clock clock;
  private final Duration ttl;
  private final Object lock = new Object();
  private volatile Snapshot snapshot = new Snapshot(Map.of(), Instant.MIN);

  private record Snapshot(Map<String, Flag> flags, Instant readAt) {}

  public ParleyFlagProvider(Supplier<List<Flag>> source, Clock clock, Duration ttl) {
    this.source = requireNonNull(source, "source is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ttl = requireNonNull(ttl, "ttl is null");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be >= 0, was " + ttl);
    }
  }

  @Override
  public Metadata getMetadata() {
    return METADATA;
  }

  /** Re-reads the table now. */
  public void refresh() {
    synchronized (lock) {
      snapshot = new Snapshot(source.get().stream().collect(Collectors.toUnmodifiableMap(Flag::name, Function.identity())), clock.instant());
    }
  }

  private Map<String, Flag> flags() {
    Snapshot current = snapshot;
    if (current.readAt().plus(ttl).isAfter(clock.instant())) {
      return current.flags();
    }
    synchronized (lock) {
      if (snapshot == current) {
        refresh();
      }
      return snapshot.flags();
    }
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
    Flag flag = flags().get(key);
    if (flag == null) {
      return ProviderEvaluation.<Boolean>builder().value(defaultValue).reason(Reason.DEFAULT.name()).build();
    }
    if (!flag.enabled()) {
      return ProviderEvaluation.<Boolean>builder().value(false).reason(Reason.DISABLED.name()).variant("off").build();
    }
    if (flag.rollout() == 100) {
      return ProviderEvaluation.<Boolean>builder().value(true).reason(Reason.STATIC.name()).variant("on").build();
    }
    String targetingKey = ctx == null ? null : ctx.getTargetingKey();
    if (targetingKey == null || targetingKey.isEmpty()) {
      return ProviderEvaluation.<Boolean>builder().value(defaultValue).reason(Reason.ERROR.name())
          .errorCode(ErrorCode.TARGETING_KEY_MISSING).errorMessage("partial rollout of " + key + " needs a targeting key").build();
    }
    boolean on = flag.isOnFor(targetingKey);
    return ProviderEvaluation.<Boolean>builder().value(on).reason(Reason.SPLIT.name()).variant(on ? "on" : "off").build();
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
    return typeMismatch(key, defaultValue);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
    return typeMismatch(key, defaultValue);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
    return typeMismatch(key, defaultValue);
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
    return typeMismatch(key, defaultValue);
  }

  private static <T> ProviderEvaluation<T> typeMismatch(String key, T defaultValue) {
    return ProviderEvaluation.<T>builder().value(defaultValue).reason(Reason.ERROR.name())
        .errorCode(ErrorCode.TYPE_MISMATCH).errorMessage("Parley flags are boolean; " + key + " was asked as another type").build();
  }
}
