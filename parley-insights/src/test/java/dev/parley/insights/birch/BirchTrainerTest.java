package dev.parley.insights.birch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.metrics.ClusteringMetrics;
import dev.parley.insights.testing.Blobs;
import dev.parley.insights.vector.VectorizationProvider;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class BirchTrainerTest {
  private static BirchTrainer trainer(int budget, int partitions) {
    return new BirchTrainer(BirchOptions.defaults(budget).withPartitions(partitions), VectorizationProvider.ops(),
        ComputePool.sequential());
  }

  @Test
  void fit_respectsTheBudgetAndEveryCfIsTheSumOfItsPoints() {
    float[][] x = Blobs.sphere(5000, 64, 20, 0.06, 0.05, 1).rows();
    BirchModel m = trainer(400, 1).fit(x);
    assertThat(m.size()).isBetween(50, 400);
    assertCfsMatchPoints(m, x);
  }

  @Test
  void fit_partitionsMergedEqualTheTotalsOfOnePass() {
    float[][] x = Blobs.sphere(20_000, 32, 10, 0.5, 0.05, 2).rows();
    BirchModel single = trainer(1000, 1).fit(x);
    BirchModel parts = trainer(1000, 2).fit(x);
    assertCfsMatchPoints(parts, x);
    assertThat(parts.totalCount()).isEqualTo(single.totalCount()).isEqualTo(x.length);
    double[] a = total(single);
    double[] b = total(parts);
    for (int d = 0; d < a.length; d++) {
      assertThat(b[d]).isCloseTo(a[d], within(1e-6 * x.length));
    }
  }

  @Test
  void merge_ofModelsBuiltApartKeepsEveryPointAndSum() {
    float[][] x = Blobs.sphere(6000, 16, 8, 0.4, 0, 3).rows();
    BirchTrainer t = trainer(300, 1);
    BirchModel left = t.fit(Arrays.copyOfRange(x, 0, 2500));
    BirchModel right = t.fit(Arrays.copyOfRange(x, 2500, 6000));
    BirchModel merged = t.merge(List.of(left, right));
    assertThat(merged.pointCount()).isEqualTo(6000);
    assertThat(merged.size()).isLessThanOrEqualTo(300);
    assertCfsMatchPoints(merged, x);
  }

  @Test
  void fit_separatedClustersNeverShareAMicroCluster() {
    Blobs.Data data = Blobs.sphere(4000, 48, 8, 0.03, 0, 4);
    BirchModel m = trainer(200, 1).fit(data.rows());
    int[] owner = new int[m.size()];
    Arrays.fill(owner, -1);
    for (int i = 0; i < data.n(); i++) {
      int mc = m.assignment(i);
      assertThat(owner[mc] == -1 || owner[mc] == data.labels()[i]).as("micro-cluster " + mc).isTrue();
      owner[mc] = data.labels()[i];
    }
    assertThat(ClusteringMetrics.nmi(data.labels(), m.assignments())).isGreaterThan(0.5);
  }

  @Test
  void fit_isDeterministic() {
    float[][] x = Blobs.sphere(3000, 24, 6, 0.5, 0.1, 5).rows();
    assertThat(trainer(200, 2).fit(x).assignments()).isEqualTo(trainer(200, 2).fit(x).assignments());
  }

  @Test
  void fit_twoThreads_sameCoresetAsOne() {
    float[][] x = Blobs.sphere(6000, 24, 6, 0.5, 0.1, 6).rows();
    BirchOptions options = BirchOptions.defaults(300).withPartitions(3);
    BirchModel one = new BirchTrainer(options, VectorizationProvider.ops(), ComputePool.sequential()).fit(x);
    BirchModel two;
    try (ComputePool pool = ComputePool.of(2)) {
      two = new BirchTrainer(options, VectorizationProvider.ops(), pool).fit(x);
    }
    assertThat(two.assignments()).isEqualTo(one.assignments());
    assertThat(two.counts()).isEqualTo(one.counts());
    for (int c = 0; c < one.size(); c++) {
      assertThat(two.linearSum(c)).isEqualTo(one.linearSum(c));
    }
  }

  @Test
  void options_invalid_nameParameterAndValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> BirchOptions.defaults(1));
    assertThat(e.getMessage()).contains("maxMicroClusters").contains("1");
    assertThat(BirchOptions.budgetFor(10_000, 20_000, 0.05, 1_000_000)).isEqualTo(10_000);
    assertThat(BirchOptions.budgetFor(1_000_000, 20_000, 0.05, 1_000_000)).isEqualTo(50_000);
    assertThat(BirchOptions.budgetFor(100_000_000, 20_000, 0.05, 1_000_000)).isEqualTo(1_000_000);
  }

  private static double[] total(BirchModel m) {
    double[] t = new double[m.dimension()];
    for (int c = 0; c < m.size(); c++) {
      double[] ls = m.linearSum(c);
      for (int d = 0; d < t.length; d++) {
        t[d] += ls[d];
      }
    }
    return t;
  }

  /** For every micro-cluster, n, LS and SS equal the sums over the points assigned to it. */
  private static void assertCfsMatchPoints(BirchModel m, float[][] x) {
    int dim = m.dimension();
    long[] n = new long[m.size()];
    double[][] ls = new double[m.size()][dim];
    double[] ss = new double[m.size()];
    for (int i = 0; i < x.length; i++) {
      int c = m.assignment(i);
      n[c]++;
      for (int d = 0; d < dim; d++) {
        ls[c][d] += x[i][d];
        ss[c] += (double) x[i][d] * x[i][d];
      }
    }
    for (int c = 0; c < m.size(); c++) {
      assertThat(m.count(c)).isEqualTo(n[c]);
      assertThat(m.squaredSum(c)).isCloseTo(ss[c], within(1e-6 * Math.max(1, n[c])));
      double[] got = m.linearSum(c);
      for (int d = 0; d < dim; d++) {
        assertThat(got[d]).isCloseTo(ls[c][d], within(1e-6 * Math.max(1, n[c])));
      }
    }
  }
}
