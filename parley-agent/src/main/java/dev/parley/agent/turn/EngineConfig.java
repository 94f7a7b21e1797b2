package dev.parley.agent.turn;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Orchestrator settings beyond each agent's own limits.
 *
 * @param lockWait how long a post waits for the session's running turn before answering 409
 * @param leaseMargin extra time past an agent's turn timeout before a turn's lease may be taken over
 * @param summaryModel the model that writes rolling summaries, overriding agents' summary_model
 * @param flagTtl how long flag values are cached (changes from other processes show after this)
 * @param modelOverride the model every agent's turns use instead of its own (e.g. when pointing the
 *     agents at another provider)
 */
public record EngineConfig(Duration lockWait, Duration leaseMargin, Optional<String> summaryModel, Duration flagTtl, Optional<String> modelOverride) {
  public EngineConfig {
    requireNonNull(lockWait, "lockWait is null");
    requireNonNull(leaseMargin, "leaseMargin is null");
    requireNonNull(summaryModel, "summaryModel is null");
    requireNonNull(flagTtl, "flagTtl is null");
    requireNonNull(modelOverride, "modelOverride is null");
    if (lockWait.isNegative()) {
      throw new IllegalArgumentException("lockWait must be >= 0, was " + lockWait);
    }
    if (leaseMargin.isNegative()) {
      throw new IllegalArgumentException("leaseMargin must be >= 0, was " + leaseMargin);
    }
  }

  public static EngineConfig defaults() {
    return new EngineConfig(Duration.ofSeconds(60), Duration.ofSeconds(30), Optional.empty(), Duration.ofSeconds(2), Optional.empty());
  }

  public EngineConfig withLockWait(Duration wait) {
    return new EngineConfig(wait, leaseMargin, summaryModel, flagTtl, modelOverride);
  }

  public EngineConfig withSummaryModel(String model) {
    return new EngineConfig(lockWait, leaseMargin, Optional.of(model), flagTtl, modelOverride);
  }

  public EngineConfig withModelOverride(String model) {
    return new EngineConfig(lockWait, leaseMargin, summaryModel, flagTtl, Optional.of(model));
  }

  public EngineConfig withFlagTtl(Duration ttl) {
    return new EngineConfig(lockWait, leaseMargin, summaryModel, ttl, modelOverride);
  }
}
