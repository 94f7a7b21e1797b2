package dev.parley.bench.cluster;

import java.util.List;
import org.tribuo.MutableDataset;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.hdbscan.HdbscanModel;
import org.tribuo.clustering.hdbscan.HdbscanTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.DistanceType;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Tribuo 4.3's HDBSCAN* (the library Parley's replaced) behind a minimal facade, with the same
 * semantics as {@code dev.parley.insights.hdbscan}: {@code k} neighbours including the point, min
 * cluster size in points; labels with noise as -1.
 */
public final class TribuoHdbscanBaseline {
  // Tribuo logs "Hdbscan is done." at INFO on every run; keep the benchmark output to its figures.
  private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("org.tribuo");

  static {
    QUIET.setLevel(java.util.logging.Level.WARNING);
  }

  private TribuoHdbscanBaseline() {}

  public static int[] cluster(double[] coords, int dim, int minClusterSize, int k) {
    ClusteringFactory factory = new ClusteringFactory();
    MutableDataset<ClusterID> ds = new MutableDataset<>(new SimpleDataSourceProvenance("bench", factory), factory);
    String[] names = new String[dim];
    for (int d = 0; d < dim; d++) {
      names[d] = "f" + d;
    }
    int n = coords.length / dim;
    for (int i = 0; i < n; i++) {
      double[] v = new double[dim];
      System.arraycopy(coords, i * dim, v, 0, dim);
      ds.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, v));
    }
    HdbscanTrainer trainer = new HdbscanTrainer(minClusterSize, DistanceType.L2.getDistance(), k, 1, NeighboursQueryFactoryType.BRUTE_FORCE);
    HdbscanModel model = trainer.train(ds);
    List<Integer> labels = model.getClusterLabels();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = labels.get(i) == 0 ? -1 : labels.get(i);
    }
    return out;
  }
}
