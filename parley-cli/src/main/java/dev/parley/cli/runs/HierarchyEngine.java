package dev.parley.cli.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.hierarchy.ClusterTree.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * INTERIM: a two-level spherical k-means tree standing in for {@code HierarchicalClusterer} (being
 * written in {@code dev.parley.insights.hierarchy}) so the run pipeline can be exercised end to end.
 * Replaced by a thin adapter over the real clusterer once it lands.
 */
public final class HierarchyEngine implements ClusterEngine {
  @Override
  public ObjectNode parameters() {
    ObjectNode node = Json.object();
    node.put("engine", "interim-spherical-kmeans-2-level");
    return node;
  }

  @Override
  public ClusterTree cluster(float[][] vectors, long seed) {
    int n = vectors.length;
    int dim = vectors[0].length;
    SplittableRandom random = new SplittableRandom(seed);
    int[] all = java.util.stream.IntStream.range(0, n).toArray();
    int k1 = Math.max(2, Math.min(12, (int) Math.round(Math.sqrt(n / 20.0))));
    int[][] tops = kmeans(vectors, all, Math.min(k1, n), random.split());
    List<Node> nodes = new ArrayList<>();
    int[] pointLeaf = new int[n];
    Arrays.fill(pointLeaf, ClusterTree.NOISE);
    for (int[] top : tops) {
      if (top.length == 0) {
        continue;
      }
      int[] kept = dropOutliers(vectors, top);
      if (kept.length == 0) {
        continue;
      }
      int topIndex = nodes.size();
      nodes.add(null);
      List<Integer> children = new ArrayList<>();
      if (kept.length > 30) {
        int k2 = Math.max(2, Math.min(8, (int) Math.round(Math.sqrt(kept.length / 10.0))));
        for (int[] leaf : kmeans(vectors, kept, k2, random.split())) {
          if (leaf.length == 0) {
            continue;
          }
          int index = nodes.size();
          children.add(index);
          nodes.add(node(index, topIndex, 1, List.of(), leaf, vectors, dim));
          for (int p : leaf) {
            pointLeaf[p] = index;
          }
        }
      } else {
        for (int p : kept) {
          pointLeaf[p] = topIndex;
        }
      }
      nodes.set(topIndex, node(topIndex, -1, 0, children, kept, vectors, dim));
    }
    return new ClusterTree(nodes, pointLeaf, dim);
  }

  private static int[] dropOutliers(float[][] vectors, int[] members) {
    float[] c = centroid(vectors, members, vectors[0].length);
    double[] sims = Arrays.stream(members).mapToDouble(p -> dot(vectors[p], c)).toArray();
    double mean = Arrays.stream(sims).average().orElse(0);
    double sd = Math.sqrt(Arrays.stream(sims).map(s -> (s - mean) * (s - mean)).average().orElse(0));
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < members.length; i++) {
      if (sims[i] >= mean - 2 * sd) {
        kept.add(members[i]);
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[][] kmeans(float[][] vectors, int[] members, int k, SplittableRandom random) {
    int dim = vectors[0].length;
    float[][] centres = new float[k][];
    for (int j = 0; j < k; j++) {
      centres[j] = vectors[members[random.nextInt(members.length)]].clone();
    }
    int[] assign = new int[members.length];
    for (int iter = 0; iter < 25; iter++) {
      for (int i = 0; i < members.length; i++) {
        int best = 0;
        double bestSim = -2;
        for (int j = 0; j < k; j++) {
          double s = dot(vectors[members[i]], centres[j]);
          if (s > bestSim) {
            bestSim = s;
            best = j;
          }
        }
        assign[i] = best;
      }
      for (int j = 0; j < k; j++) {
        final int jj = j;
        int[] group = java.util.stream.IntStream.range(0, members.length).filter(i -> assign[i] == jj).map(i -> members[i]).toArray();
        if (group.length > 0) {
          centres[j] = centroid(vectors, group, dim);
        }
      }
    }
    int[][] groups = new int[k][];
    for (int j = 0; j < k; j++) {
      final int jj = j;
      groups[j] = java.util.stream.IntStream.range(0, members.length).filter(i -> assign[i] == jj).map(i -> members[i]).toArray();
    }
    return groups;
  }

  private static Node node(int index, int parent, int depth, List<Integer> children, int[] members, float[][] vectors, int dim) {
    float[] c = centroid(vectors, members, dim);
    int[] ordered = Arrays.stream(members).boxed()
        .sorted(Comparator.comparingDouble((Integer p) -> -dot(vectors[p], c)).thenComparingInt(p -> p))
        .mapToInt(Integer::intValue).toArray();
    return new Node(index, parent, depth, ordered.length, children, c, ordered);
  }

  private static float[] centroid(float[][] vectors, int[] members, int dim) {
    double[] sum = new double[dim];
    for (int p : members) {
      for (int d = 0; d < dim; d++) {
        sum[d] += vectors[p][d];
      }
    }
    double norm = Math.sqrt(Arrays.stream(sum).map(x -> x * x).sum());
    float[] out = new float[dim];
    for (int d = 0; d < dim; d++) {
      out[d] = norm == 0 ? 0 : (float) (sum[d] / norm);
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
