package dev.parley.insights.scratch;

import dev.parley.insights.hdbscan.*;
import dev.parley.insights.hierarchy.*;
import dev.parley.insights.knn.*;
import dev.parley.insights.testing.Blobs;
import dev.parley.insights.umap.*;
import dev.parley.insights.vector.*;
import java.util.Arrays;

public final class DetScratch {
  public static void main(String[] a) {
    Blobs.Data data = Blobs.sphere(2500, 24, 8, 0.5, 0.05, 3);
    float[][] x = data.rows();
    var g1 = ExactKnn.build(x, 15, VectorizationProvider.ops());
    var g2 = ExactKnn.build(x, 15, VectorizationProvider.ops());
    System.out.println("knn " + Arrays.equals(g1.indices(), g2.indices()) + " " + Arrays.equals(g1.distances(), g2.distances()));
    var u1 = new UmapTrainer(UmapOptions.forClustering().withEpochs(100)).fit(g1, 5);
    var u2 = new UmapTrainer(UmapOptions.forClustering().withEpochs(100)).fit(g2, 5);
    System.out.println("umap " + Arrays.equals(u1.embedding(), u2.embedding()));
    var h1 = new HdbscanTrainer(HdbscanOptions.of(20, 5)).fit(u1.asDoubles(), 5);
    var h2 = new HdbscanTrainer(HdbscanOptions.of(20, 5)).fit(u1.asDoubles(), 5);
    System.out.println("hdbscan " + Arrays.equals(h1.labels(), h2.labels()) + " " + h1.mstWeight() + " " + h2.mstWeight());
    var r1 = new HierarchicalClusterer().fit(x, HierarchyParams.defaults(), 11);
    var r2 = new HierarchicalClusterer().fit(x, HierarchyParams.defaults(), 11);
    System.out.println("birch " + Arrays.equals(r1.microCluster(), r2.microCluster()) + " leaves " + Arrays.equals(r1.tree().pointLeaf(), r2.tree().pointLeaf()));
  }
}
