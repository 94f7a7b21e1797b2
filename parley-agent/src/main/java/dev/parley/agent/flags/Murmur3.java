package dev.parley.agent.flags;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby, "MurmurHash3", SMHasher, 2011), as Unleash uses
 * for gradual-rollout buckets. Written here because it is twenty lines and the bucket must match
 * Unleash bit for bit (see {@link Rollout}).
 */
public final class Murmur3 {
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private Murmur3() {}

  /** The hash of the UTF-8 bytes of {@code text}. */
  public static int hash32(String text, int seed) {
    return hash32(requireNonNull(text, "text is null").getBytes(StandardCharsets.UTF_8), seed);
  }

  public static int hash32(byte[] data, int seed) {
    requireNonNull(data, "data is null");
    int h1 = seed;
    int blocks = data.length & ~3;
    for (int i = 0; i < blocks; i += 4) {
      int k1 = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
      h1 ^= mixK1(k1);
      h1 = Integer.rotateLeft(h1, 13);
      h1 = h1 * 5 + 0xe6546b64;
    }
    int tail = data.length & 3;
    if (tail > 0) {
      int k1 = 0;
      if (tail == 3) {
        k1 ^= (data[blocks + 2] & 0xff) << 16;
      }
      if (tail >= 2) {
        k1 ^= (data[blocks + 1] & 0xff) << 8;
      }
      k1 ^= data[blocks] & 0xff;
      h1 ^= mixK1(k1);
    }
    h1 ^= data.length;
    return fmix(h1);
  }

  private static int mixK1(int k1) {
    k1 *= C1;
    k1 = Integer.rotateLeft(k1, 15);
    return k1 * C2;
  }

  private static int fmix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
