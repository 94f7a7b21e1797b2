package dev.parley.insights.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.insights.text.SparseVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class SoftmaxRegressionTrainerTest {
  /** Three well separated Gaussian blobs in 4-D, plus a sparse feature that is noise. */
  private static List<FeatureVector> blobs(int perClass, long seed, int[] labelsOut) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] centres = {{4, 0, 0, 0}, {0, 4, 0, 0}, {0, 0, 4, 0}};
    List<FeatureVector> out = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < perClass; i++) {
        float[] x = new float[4];
        for (int j = 0; j < 4; j++) {
          x[j] = centres[c][j] + (float) (random.nextDouble() - 0.5);
        }
        labelsOut[out.size()] = c;
        out.add(new FeatureVector(x, new SparseVector(new int[] {random.nextInt(5)}, new float[] {1f})));
      }
    }
    return out;
  }

  @Test
  void fit_separableBlobs_classifiesEveryPointAndConverges() {
    int[] y = new int[60];
    List<FeatureVector> x = blobs(20, 7, y);
    var fit = new SoftmaxRegressionTrainer(1e-3, 200, 1e-6).fit(x, y, 3, 5);
    assertThat(fit.converged()).isTrue();
    for (int i = 0; i < x.size(); i++) {
      double[] p = fit.model().predictProbabilities(x.get(i));
      int best = 0;
      for (int c = 1; c < 3; c++) {
        if (p[c] > p[best]) {
          best = c;
        }
      }
      assertThat(best).isEqualTo(y[i]);
      assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }
  }

  @Test
  void fit_sameData_sameModel() {
    int[] y = new int[60];
    List<FeatureVector> x = blobs(20, 11, y);
    var a = new SoftmaxRegressionTrainer(1e-2, 100, 1e-6).fit(x, y, 3, 5);
    var b = new SoftmaxRegressionTrainer(1e-2, 100, 1e-6).fit(x, y, 3, 5);
    assertThat(a.model().logits(x.get(3))).containsExactly(b.model().logits(x.get(3)));
  }

  @Test
  void fit_warmStart_needsFewerIterations() {
    int[] y = new int[90];
    List<FeatureVector> x = blobs(30, 3, y);
    var cold = new SoftmaxRegressionTrainer(1e-2, 300, 1e-7).fit(x, y, 3, 5);
    var warm = new SoftmaxRegressionTrainer(1e-2, 300, 1e-7).fit(x, y, 3, 5, Optional.of(cold.model()));
    assertThat(warm.iterations()).isLessThan(cold.iterations());
  }

  @Test
  void fit_labelOutOfRange_rejectedWithValue() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new SoftmaxRegressionTrainer(0, 10, 1e-6).fit(List.of(FeatureVector.dense(new float[] {1}), FeatureVector.dense(new float[] {2})), new int[] {0, 5}, 2, 0));
    assertThat(e.getMessage()).contains("[0, 2)").contains("5");
  }
}
