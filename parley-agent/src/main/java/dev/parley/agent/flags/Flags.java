package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.parley.core.error.BadInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The orchestrator's view of feature flags: evaluated through the OpenFeature SDK (so another provider
 * can be swapped in) with {@link ParleyFlagProvider} reading the store, and changed through
 * {@link #set} (admin API, CLI).
 */
public final class Flags {
  private final FlagRepository repository;
  private final ParleyFlagProvider provider;
  private final Client client;

  public Flags(FlagRepository repository, Clock clock, Duration ttl) {
    this.repository = requireNonNull(repository, "repository is null");
    this.provider = new ParleyFlagProvider(repository::list, clock, ttl);
    // A domain per instance: the OpenFeature API is a JVM singleton, and tests run several servers.
    String domain = "parley-" + UUID.randomUUID();
    OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
    this.client = OpenFeatureAPI.getInstance().getClient(domain);
  }

  /** The flags for one turn of session {@code sessionId}. */
  public FlagSet evaluate(String sessionId) {
    requireNonNull(sessionId, "sessionId is null");
    ImmutableContext context = new ImmutableContext(sessionId);
    return new FlagSet(
        client.getBooleanValue(KnownFlag.MODULAR_PROMPTS.key(), KnownFlag.MODULAR_PROMPTS.defaultValue(), context),
        client.getBooleanValue(KnownFlag.CONTEXT_WINDOW.key(), KnownFlag.CONTEXT_WINDOW.defaultValue(), context),
        client.getBooleanValue(KnownFlag.PROMPT_CACHING.key(), KnownFlag.PROMPT_CACHING.defaultValue(), context));
  }

  /** Stores a flag (known names only: a typo must not silently create a flag nobody reads), keeping its guard. */
  public Flag set(String name, boolean enabled, int rollout) {
    return store(name, enabled, rollout, Optional.empty());
  }

  /** Stores a flag with a new guard ({@link FlagGuard#OFF} removes it). */
  public Flag set(String name, boolean enabled, int rollout, FlagGuard guard) {
    return store(name, enabled, rollout, Optional.of(requireNonNull(guard, "guard is null")));
  }

  private Flag store(String name, boolean enabled, int rollout, Optional<FlagGuard> guard) {
    KnownFlag known = known(name);
    if (rollout < 0 || rollout > 100) {
      throw new BadInputException("rollout must be in [0, 100], was " + rollout);
    }
    Flag flag = repository.upsert(known.key(), enabled, rollout, known.description(), guard);
    provider.refresh();
    return flag;
  }

  /** The known flag named {@code name}; a {@link BadInputException} listing the known ones otherwise. */
  public static KnownFlag known(String name) {
    return KnownFlag.find(name).orElseThrow(() -> new BadInputException("unknown flag '" + name + "'; known flags: "
        + Arrays.stream(KnownFlag.values()).map(KnownFlag::key).collect(Collectors.joining(", "))));
  }

  /** The stored (or default) value of one known flag. */
  public Flag get(String name) {
    KnownFlag known = known(name);
    return list().stream().filter(f -> f.name().equals(known.key())).findFirst().orElseThrow();
  }

  /** Makes a change stored by someone else in this process (the {@link RolloutGuard}) visible to evaluations at once. */
  void refresh() {
    provider.refresh();
  }

  FlagRepository repository() {
    return repository;
  }

  /** Every known flag: stored values, or the default for flags never set. */
  public List<Flag> list() {
    List<Flag> stored = repository.list();
    return Arrays.stream(KnownFlag.values())
        .map(k -> stored.stream().filter(f -> f.name().equals(k.key())).findFirst()
            .orElse(new Flag(k.key(), k.defaultValue(), k.defaultValue() ? 100 : 0, k.description(), Instant.EPOCH, FlagGuard.OFF)))
        .toList();
  }
}
