package dev.parley.insights.testing;

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

/** Tribuo's HDBSCAN* as the reference implementation (labels: 0 = noise, shifted here to -1). */
public final class TribuoHdbscan {
  private TribuoHdbscan() {}

  public static int[] cluster(double[] coords, int dim, int minClusterSize, int k) {
    ClusteringFactory factory = new ClusteringFactory();
    MutableDataset<ClusterID> ds = new MutableDataset<>(new SimpleDataSourceProvenance("test", factory), factory);
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
