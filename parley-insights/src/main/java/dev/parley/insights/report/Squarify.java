package dev.parley.insights.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Squarified treemap layout: lays weights out as rectangles filling a box, row by row, adding an item
 * to the current row while that improves the row's worst aspect ratio.
 *
 * <p>Reference: M. Bruls, K. Huizing, J. J. van Wijk, "Squarified Treemaps", Proceedings of the Joint
 * Eurographics and IEEE TCVG Symposium on Visualization (2000) 33-42.
 */
final class Squarify {
  private Squarify() {}

  record Rect(double x, double y, double w, double h) {}

  /**
   * @param weights non-negative, sorted largest first (the algorithm's precondition for good ratios)
   * @return one rectangle per weight, in input order
   */
  static List<Rect> layout(List<Double> weights, Rect box) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    List<Rect> result = new ArrayList<>(weights.size());
    if (total <= 0 || box.w() <= 0 || box.h() <= 0) {
      for (int i = 0; i < weights.size(); i++) {
        result.add(new Rect(box.x(), box.y(), 0, 0));
      }
      return result;
    }
    double scale = box.w() * box.h() / total;
    double[] areas = new double[weights.size()];
    for (int i = 0; i < areas.length; i++) {
      areas[i] = weights.get(i) * scale;
    }
    double x = box.x();
    double y = box.y();
    double w = box.w();
    double h = box.h();
    int start = 0;
    while (start < areas.length) {
      double side = Math.min(w, h);
      int end = start + 1;
      double rowSum = areas[start];
      double worst = worst(areas, start, end, rowSum, side);
      while (end < areas.length) {
        double nextWorst = worst(areas, start, end + 1, rowSum + areas[end], side);
        if (nextWorst > worst) {
          break;
        }
        rowSum += areas[end];
        worst = nextWorst;
        end++;
      }
      // Lay the row along the shorter side.
      double thickness = side == 0 ? 0 : rowSum / side;
      double offset = 0;
      for (int i = start; i < end; i++) {
        double length = rowSum == 0 ? 0 : areas[i] / rowSum * side;
        if (w >= h) {
          result.add(new Rect(x, y + offset, thickness, length));
        } else {
          result.add(new Rect(x + offset, y, length, thickness));
        }
        offset += length;
      }
      if (w >= h) {
        x += thickness;
        w -= thickness;
      } else {
        y += thickness;
        h -= thickness;
      }
      start = end;
    }
    return result;
  }

  private static double worst(double[] areas, int from, int to, double sum, double side) {
    double max = 0;
    double min = Double.POSITIVE_INFINITY;
    for (int i = from; i < to; i++) {
      max = Math.max(max, areas[i]);
      min = Math.min(min, areas[i]);
    }
    if (sum == 0 || min == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double s2 = side * side;
    double sum2 = sum * sum;
    return Math.max(s2 * max / sum2, sum2 / (s2 * min));
  }
}
