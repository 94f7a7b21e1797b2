package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

/**
 * Percentage-rollout buckets exactly as Unleash computes them ("normalizedValue"):
 * {@code murmur3_x86_32("<group>:<id>", seed 0) % 100 + 1}, the hash read as unsigned 32 bits.
 * An id is in a rollout of {@code p} percent when its bucket is {@code <= p}, so raising {@code p}
 * only ever adds ids.
 */
public final class Rollout {
  private static final int NORMALIZER = 100;

  private Rollout() {}

  /** The bucket of {@code id} in {@code group}, in [1, 100]. */
  public static int bucket(String group, String id) {
    requireNonNull(group, "group is null");
    requireNonNull(id, "id is null");
    int hash = Murmur3.hash32(group + ":" + id, 0);
    return (int) (Integer.toUnsignedLong(hash) % NORMALIZER) + 1;
  }

  public static boolean includes(String group, String id, int percentage) {
    if (percentage < 0 || percentage > 100) {
      throw new IllegalArgumentException("percentage must be in [0, 100], was " + percentage);
    }
    return percentage > 0 && bucket(group, id) <= percentage;
  }
}
