package dev.parley.insights.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class LineageMatcherTest {
  private static final double H = Math.sqrt(3) / 2;

  @Test
  void match_knownTransitions_recoveredExactly() {
    float[] a = unit(0);
    float[] u = unit(1);
    float[] v = add(scale(unit(1), 0.5), scale(unit(2), H));
    float[] c1 = unit(3);
    float[] c2 = add(scale(unit(3), 0.5), scale(unit(4), H));
    float[][] old = {a, normalise(add(u, v)), c1, c2, unit(6)};
    float[] aNext = normalise(add(a, scale(unit(7), 0.1)));
    float[][] next = {normalise(add(c1, c2)), aNext, unit(5), u, v};

    List<Transition> t = LineageMatcher.withDefaults().match(old, next);

    assertThat(t).extracting(Transition::kind, Transition::from, Transition::to).containsExactly(
        org.assertj.core.groups.Tuple.tuple(TransitionKind.CONTINUATION, 0, 1),
        org.assertj.core.groups.Tuple.tuple(TransitionKind.SPLIT, 1, 3),
        org.assertj.core.groups.Tuple.tuple(TransitionKind.SPLIT, 1, 4),
        org.assertj.core.groups.Tuple.tuple(TransitionKind.MERGE, 2, 0),
        org.assertj.core.groups.Tuple.tuple(TransitionKind.MERGE, 3, 0),
        org.assertj.core.groups.Tuple.tuple(TransitionKind.BIRTH, -1, 2),
        org.assertj.core.groups.Tuple.tuple(TransitionKind.DEATH, 4, -1));
    assertThat(t.get(0).similarity()).isCloseTo(1 / Math.sqrt(1.01), within(1e-6));
    assertThat(t.get(1).similarity()).isCloseTo(Math.sqrt(0.75), within(1e-6));
    assertThat(t.get(5).similarity()).isCloseTo(0, within(1e-6));
  }

  @Test
  void match_sameCentroids_allContinuationsAtOne() {
    float[][] c = random(new SplittableRandom(1), 7, 16);

    List<Transition> t = LineageMatcher.withDefaults().match(c, c);

    assertThat(t).hasSize(7).allSatisfy(x -> {
      assertThat(x.kind()).isEqualTo(TransitionKind.CONTINUATION);
      assertThat(x.from()).isEqualTo(x.to());
      assertThat(x.similarity()).isCloseTo(1.0, within(1e-6));
    });
  }

  @Test
  void match_emptySides_birthsOrDeaths() {
    float[][] c = random(new SplittableRandom(2), 3, 4);

    assertThat(LineageMatcher.withDefaults().match(new float[0][], c)).extracting(Transition::kind).containsOnly(TransitionKind.BIRTH).hasSize(3);
    assertThat(LineageMatcher.withDefaults().match(c, new float[0][])).extracting(Transition::kind).containsOnly(TransitionKind.DEATH).hasSize(3);
  }

  @Test
  void match_randomInputs_deterministicAndEveryLeafCovered() {
    SplittableRandom rng = new SplittableRandom(9);
    for (int trial = 0; trial < 50; trial++) {
      float[][] old = random(rng, 1 + rng.nextInt(12), 4);
      float[][] next = random(rng, 1 + rng.nextInt(12), 4);
      LineageMatcher m = new LineageMatcher(0.8, 0.5);

      List<Transition> first = m.match(old, next);

      assertThat(m.match(old, next)).isEqualTo(first);
      assertThat(first).isSortedAccordingTo(LineageMatcher.ORDER);
      assertThat(first.stream().filter(Transition::hasFrom).map(Transition::from).distinct().count()).isEqualTo(old.length);
      assertThat(first.stream().filter(Transition::hasTo).map(Transition::to).distinct().count()).isEqualTo(next.length);
      // A continuation's two leaves appear in no other line.
      for (Transition c : first.stream().filter(x -> x.kind() == TransitionKind.CONTINUATION).toList()) {
        assertThat(first.stream().filter(x -> x.from() == c.from() || x.to() == c.to())).containsExactly(c);
      }
    }
  }

  @Test
  void matching_random6x6_equalsBruteForce() {
    SplittableRandom rng = new SplittableRandom(6);
    for (int trial = 0; trial < 100; trial++) {
      double[][] s = LineageMatcher.cosines(random(rng, 6, 5), random(rng, 6, 5));

      int[] match = LineageMatcher.matching(s);

      assertThat(Arrays.stream(match).distinct().count()).isEqualTo(6);
      double total = 0;
      for (int i = 0; i < 6; i++) {
        total += s[i][match[i]];
      }
      assertThat(total).as("trial " + trial).isCloseTo(bruteForce(s, 0, new boolean[6]), within(1e-9));
    }
  }

  @Test
  void constructor_badThresholds_throwNamingValue() {
    assertThatThrownBy(() -> new LineageMatcher(1.5, 0.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
    assertThatThrownBy(() -> new LineageMatcher(0.8, 0.9)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.9");
  }

  private static double bruteForce(double[][] s, int i, boolean[] used) {
    if (i == s.length) {
      return 0;
    }
    double best = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < used.length; j++) {
      if (!used[j]) {
        used[j] = true;
        best = Math.max(best, s[i][j] + bruteForce(s, i + 1, used));
        used[j] = false;
      }
    }
    return best;
  }

  private static float[][] random(SplittableRandom rng, int n, int dim) {
    float[][] out = new float[n][dim];
    for (float[] row : out) {
      for (int d = 0; d < dim; d++) {
        row[d] = (float) (rng.nextDouble() * 2 - 1);
      }
    }
    return out;
  }

  private static float[] unit(int axis) {
    float[] v = new float[8];
    v[axis] = 1;
    return v;
  }

  private static float[] scale(float[] v, double k) {
    float[] out = new float[v.length];
    for (int d = 0; d < v.length; d++) {
      out[d] = (float) (v[d] * k);
    }
    return out;
  }

  private static float[] add(float[] a, float[] b) {
    float[] out = new float[a.length];
    for (int d = 0; d < a.length; d++) {
      out[d] = a[d] + b[d];
    }
    return out;
  }

  private static float[] normalise(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    return scale(v, 1 / Math.sqrt(n));
  }
}
