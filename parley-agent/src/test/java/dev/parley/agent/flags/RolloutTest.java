package dev.parley.agent.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class RolloutTest {
  @Test
  void bucket_unleashVectors_match() {
    // The vectors Unleash's client specifications use for normalizedValue(id, groupId).
    assertThat(Rollout.bucket("gr1", "123")).isEqualTo(73);
    assertThat(Rollout.bucket("groupX", "999")).isEqualTo(25);
  }

  @Test
  void hash32_referenceVectors_match() {
    // Published MurmurHash3_x86_32 test values (SMHasher / Wikipedia), covering every tail length.
    assertThat(Murmur3.hash32("", 0)).isEqualTo(0);
    assertThat(Murmur3.hash32("", 1)).isEqualTo(0x514E28B7);
    assertThat(Murmur3.hash32(new byte[] {0, 0, 0, 0}, 0)).isEqualTo(0x2362F9DE);
    assertThat(Murmur3.hash32(new byte[] {0x21, 0x43, 0x65, (byte) 0x87}, 0)).isEqualTo(0xF55B516B);
    assertThat(Murmur3.hash32(new byte[] {0x21, 0x43, 0x65}, 0)).isEqualTo(0x7E4A8634);
    assertThat(Murmur3.hash32(new byte[] {0x21, 0x43}, 0)).isEqualTo(0xA0F7B07A);
    assertThat(Murmur3.hash32(new byte[] {0x21}, 0)).isEqualTo(0x72661CF4);
    assertThat(Murmur3.hash32("Hello, world!", 0x9747b28c)).isEqualTo(0x24884CBA);
    assertThat(Murmur3.hash32("The quick brown fox jumps over the lazy dog", 0x9747b28c)).isEqualTo(0x2FA826CD);
  }

  @Test
  void bucket_seededIds_areInRangeAndRoughlyUniform() {
    SplittableRandom random = new SplittableRandom(42);
    int[] counts = new int[101];
    for (int i = 0; i < 20_000; i++) {
      int b = Rollout.bucket("modular_prompts", Long.toHexString(random.nextLong()));
      assertThat(b).isBetween(1, 100);
      counts[b]++;
    }
    for (int b = 1; b <= 100; b++) {
      assertThat(counts[b]).isBetween(120, 290); // 200 expected
    }
  }

  @Test
  void includes_raisingRollout_onlyAddsIds() {
    for (int i = 0; i < 500; i++) {
      String id = "session-" + i;
      boolean at25 = Rollout.includes("context_window", id, 25);
      if (at25) {
        assertThat(Rollout.includes("context_window", id, 26)).isTrue();
      }
      assertThat(Rollout.includes("context_window", id, 0)).isFalse();
      assertThat(Rollout.includes("context_window", id, 100)).isTrue();
    }
  }

  @Test
  void includes_percentageOutOfRange_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rollout.includes("f", "x", 101));
    assertThat(e).hasMessageContaining("[0, 100]").hasMessageContaining("101");
  }
}
