package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A stored feature flag: off when {@code enabled} is false; otherwise on for the sessions whose
 * {@link Rollout} bucket is within {@code rollout} percent (100 = everyone).
 *
 * @param guard what steps the rollout back to 0 % when the flag's turns fail ({@link FlagGuard#OFF}: nothing)
 */
public record Flag(String name, boolean enabled, int rollout, String description, Instant updatedAt, FlagGuard guard) {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public Flag {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(updatedAt, "updatedAt is null");
    requireNonNull(guard, "guard is null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("flag name must match " + NAME.pattern() + ", was '" + name + "'");
    }
    if (rollout < 0 || rollout > 100) {
      throw new IllegalArgumentException("rollout must be in [0, 100], was " + rollout);
    }
  }

  /** Whether the flag is on for targeting key {@code id} (a session id). */
  public boolean isOnFor(String id) {
    return enabled && Rollout.includes(name, id, rollout);
  }
}
