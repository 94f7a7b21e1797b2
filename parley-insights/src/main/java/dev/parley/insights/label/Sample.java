package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

/**
 * Representatives drawn from one cluster.
 *
 * @param points input point indexes, in the order they were picked (the most central first for
 *     farthest-point sampling)
 * @param coverage mean over the scanned members of their best cosine similarity to a representative
 * @param spread one minus the scanned members' mean cosine similarity to the centroid
 * @param lowCoverage the 10th percentile of the members' best similarity to a representative: how well the
 *     worst-served members are represented (the k-center view, which farthest-point sampling targets)
 */
public record Sample(int[] points, double coverage, double spread, double lowCoverage) {
  public Sample {
    requireNonNull(points, "points is null");
  }

  public int size() {
    return points.length;
  }
}
