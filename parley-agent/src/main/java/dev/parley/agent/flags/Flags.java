package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.parley.core.error.BadInputException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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

  /** Stores a flag (known names only: a typo must not silently create a flag nobody reads). */
  public Flag set(String name, boolean enabled, int rollout) {
    KnownFlag known = KnownFlag.find(name).orElseThrow(() -> new BadInputException("unknown flag '" + name + "'; known flags: "
        + Arrays.stream(KnownFlag.values()).map(KnownFlag::key).collect(Collectors.joining(", "))));
    if (rollout < 0 || rollout > 100) {
      throw new BadInputException("rollout must be in [0, 100], was " + rollout);
    }
    Flag flag = repository.upsert(known.key(), enabled, rollout, known.description());
    provider.refresh();
    return flag;
  }

  /** Every known flag: stored values, or the default for flags never set. */
  public List<Flag> list() {
    List<Flag> stored = repository.list();
    return Arrays.stream(KnownFlag.values())
        .map(k -> stored.stream().filter(f -> f.name().equals(k.key())).findFirst()
            .orElse(new Flag(k.key(), k.defaultValue(), k.defaultValue() ? 100 : 0, k.description(), java.time.Instant.EPOCH)))
        .toList();
  }
}
