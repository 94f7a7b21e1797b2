package dev.parley.insights.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.insights.hierarchy.ClusterTree.Node;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.pipeline.TestTrees;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class FarthestPointSamplerTest {
  private final FarthestPointSampler sampler = new FarthestPointSampler(SamplingParams.DEFAULTS);

  @Test
  void sample_seededMixture_coversAtLeastAsWellAsRandomOfSameSize() {
    int[] sizes = {400, 250, 160, 120, 90, 60, 40, 30, 25, 20};
    TestTrees.Points points = TestTrees.mixture(7, 64, sizes, 5, 0.6, 0);
    ClusterTree tree = TestTrees.tree(points, new int[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4});
    SplittableRandom random = new SplittableRandom(11);
    double fps = 0;
    double rnd = 0;
    double fpsLow = 0;
    double rndLow = 0;
    int wins = 0;
    List<Node> leaves = tree.leaves();
    for (Node leaf : leaves) {
      Sample sample = sampler.sample(points.vectors(), leaf.memberPoints(), leaf.centroid());
      // Average several random draws so the comparison is against the random baseline, not one lucky draw.
      double leafRandom = 0;
      for (int draw = 0; draw < 5; draw++) {
        Sample r = sampler.randomSample(points.vectors(), leaf.memberPoints(), leaf.centroid(), sample.size(), random.split());
        leafRandom += r.coverage();
        rndLow += r.lowCoverage() / 5;
      }
      leafRandom /= 5;
      fpsLow += sample.lowCoverage();
      fps += sample.coverage();
      rnd += leafRandom;
      if (sample.coverage() >= leafRandom) {
        wins++;
      }
    }
    System.out.printf("FPS coverage %.4f vs random %.4f, 10th percentile %.4f vs %.4f, over %d leaves (FPS >= random on %d)%n",
        fps / leaves.size(), rnd / leaves.size(), fpsLow / leaves.size(), rndLow / leaves.size(), leaves.size(), wins);
    assertThat(fps / leaves.size()).isGreaterThanOrEqualTo(rnd / leaves.size());
    assertThat(fpsLow / leaves.size()).isGreaterThanOrEqualTo(rndLow / leaves.size());
    assertThat(wins).isGreaterThanOrEqualTo(leaves.size() * 7 / 10);
  }

  @Test
  void sample_threeSeparatedGroups_picksOneFromEach() {
    // 30 points in three tight, far-apart groups of unequal size; the centroid is nearest the big group.
    float[][] vectors = new float[30][];
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 30; i++) {
      int group = i < 20 ? 0 : i < 26 ? 1 : 2;
      float[] v = new float[3];
      v[group] = 1;
      v[(group + 1) % 3] = (float) (random.nextDouble() * 0.05);
      vectors[i] = unit(v);
    }
    int[] members = java.util.stream.IntStream.range(0, 30).toArray();
    float[] centroid = unit(new float[] {20, 6, 4});
    members = sortByCentroid(vectors, members, centroid);
    SamplingParams exactlyThree = new SamplingParams(3, 3, 1.5, 0.25, 0.0, 0.0, 4000);

    Sample sample = new FarthestPointSampler(exactlyThree).sample(vectors, members, centroid);

    assertThat(Arrays.stream(sample.points()).map(p -> p < 20 ? 0 : p < 26 ? 1 : 2).distinct().count()).isEqualTo(3);
    assertThat(sample.points()[0]).isLessThan(20);
  }

  @Test
  void sample_sameInput_sameSample() {
    TestTrees.Points points = TestTrees.mixture(5, 32, new int[] {300}, 4, 0.7, 0);
    ClusterTree tree = TestTrees.tree(points, new int[] {0});
    Node leaf = tree.leaves().get(0);

    Sample a = sampler.sample(points.vectors(), leaf.memberPoints(), leaf.centroid());
    Sample b = sampler.sample(points.vectors(), leaf.memberPoints(), leaf.centroid());

    assertThat(a.points()).containsExactly(b.points());
    assertThat(a.points()[0]).isEqualTo(leaf.memberPoints()[0]);
  }

  @Test
  void budget_growsWithSizeAndSpread() {
    SamplingParams params = SamplingParams.DEFAULTS;

    assertThat(params.budget(1000, 0.3)).isGreaterThan(params.budget(20, 0.3));
    assertThat(params.budget(100, 0.5)).isGreaterThan(params.budget(100, 0.1));
    assertThat(params.budget(2, 0.5)).isEqualTo(2);
    assertThat(params.budget(1_000_000, 0.9)).isEqualTo(params.maxSamples());
  }

  @Test
  void sample_stopsWhenCoverageStopsImproving() {
    // 200 identical points: after the first representative nothing improves coverage.
    float[][] vectors = new float[200][];
    for (int i = 0; i < 200; i++) {
      vectors[i] = unit(new float[] {1, 2, 3});
    }
    int[] members = java.util.stream.IntStream.range(0, 200).toArray();

    Sample sample = sampler.sample(vectors, members, vectors[0]);

    assertThat(sample.size()).isLessThanOrEqualTo(SamplingParams.DEFAULTS.minSamples() + 1);
    assertThat(sample.coverage()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  void params_badValue_rejectedNamingParameterAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SamplingParams(3, 2, 1.5, 0.25, 0.002, 0.05, 4000));
    assertThat(e).hasMessageContaining("maxSamples").hasMessageContaining("2");
  }

  private static int[] sortByCentroid(float[][] vectors, int[] members, float[] centroid) {
    return Arrays.stream(members).boxed()
        .sorted((a, b) -> Double.compare(TestTrees.dot(vectors[b], centroid), TestTrees.dot(vectors[a], centroid)))
        .mapToInt(Integer::intValue).toArray();
  }

  private static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }
}
