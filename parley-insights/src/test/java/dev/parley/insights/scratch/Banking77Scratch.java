package dev.parley.insights.scratch;

import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.hierarchy.HierarchicalClusterer;
import dev.parley.insights.hierarchy.HierarchyParams;
import dev.parley.insights.hierarchy.HierarchyResult;
import dev.parley.insights.kmeans.KMeansOptions;
import dev.parley.insights.kmeans.KMeansTrainer;
import dev.parley.insights.metrics.ClusteringMetrics;
import dev.parley.insights.vector.VectorizationProvider;
import dev.parley.llm.embed.LocalEmbeddingModels;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Scratch tuning harness (not a test). */
public final class Banking77Scratch {
  public static void main(String[] args) throws Exception {
    String file = args.length > 0 ? args[0] : "/work/shared/data/banking77/train.csv";
    Path cache = Path.of("/tmp/" + Path.of(file).getParent().getFileName() + "_" + Path.of(file).getFileName() + ".f32");
    List<String> texts = new ArrayList<>();
    List<String> cats = new ArrayList<>();
    List<List<String>> rows = csvAll(Files.readString(Path.of(file)));
    for (int i = 1; i < rows.size(); i++) {
      List<String> f = rows.get(i);
      if (f.size() < 2) continue;
      texts.add(f.get(0));
      cats.add(f.get(f.size() - 1));
    }
    Map<String, Integer> ids = new HashMap<>();
    int[] truth0 = cats.stream().mapToInt(c -> ids.computeIfAbsent(c, k -> ids.size())).toArray();
    int[] truth = truth0;
    float[][] x;
    if (Files.exists(cache)) {
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
        int n = in.readInt();
        int d = in.readInt();
        x = new float[n][d];
        for (float[] r : x) {
          for (int j = 0; j < d; j++) {
            r[j] = in.readFloat();
          }
        }
      }
    } else {
      long t0 = System.nanoTime();
      x = LocalEmbeddingModels.bgeSmall().embed(texts);
      System.out.printf("embedded %d in %.1fs%n", x.length, (System.nanoTime() - t0) / 1e9);
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache)))) {
        out.writeInt(x.length);
        out.writeInt(x[0].length);
        for (float[] r : x) {
          for (float v : r) {
            out.writeFloat(v);
          }
        }
      }
    }
    int per = Integer.getInteger("perLabel", 0);
    if (per > 0) {
      int[] seen = new int[ids.size()];
      List<Integer> keep = new ArrayList<>();
      for (int i = 0; i < x.length; i++) {
        if (seen[truth[i]]++ < per) keep.add(i);
      }
      float[][] nx = new float[keep.size()][];
      int[] nt = new int[keep.size()];
      for (int i = 0; i < nx.length; i++) { nx[i] = x[keep.get(i)]; nt[i] = truth[keep.get(i)]; }
      x = nx;
      truth = nt;
    }
    System.out.println("n=" + x.length + " labels=" + ids.size());
    long seed = 42;
    if (!Boolean.getBoolean("skipKmeans")) {
      var km = new KMeansTrainer(KMeansOptions.of(ids.size()).withRestarts(3), VectorizationProvider.ops()).fit(x, seed);
      System.out.println("kmeans " + ClusteringMetrics.score(truth, km.assignments()));
    }
    {
    }
    HierarchyParams params = HierarchyParams.defaults();
    String spec = System.getProperty("levels");
    for (String variant : spec == null ? new String[] {""} : spec.split("\\|")) {
      HierarchyParams p = params;
      if (!variant.isEmpty()) {
        List<dev.parley.insights.hierarchy.LevelParams> levels = new ArrayList<>();
        for (String l : variant.split(";")) {
          if (l.startsWith("attach=")) { p = p.withAttachQuantile(Double.parseDouble(l.substring(7))); continue; }
          String[] f = l.split(",");
          // nn,share,floor,ms,sel,budget,noiseTol
          levels.add(new dev.parley.insights.hierarchy.LevelParams(Integer.parseInt(f[0]), 5, 0.0, 0, Double.parseDouble(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
              f[4].equals("L") ? dev.parley.insights.hdbscan.HdbscanOptions.Selection.LEAF : dev.parley.insights.hdbscan.HdbscanOptions.Selection.EOM,
              Double.parseDouble(f[5]), Double.parseDouble(f[6]), 0.5, 1));
        }
        p = p.withLevels(levels);
      }
      if (System.getProperty("eject") != null) p = p.withEjectFence(Double.parseDouble(System.getProperty("eject")));
      if (System.getProperty("seed") != null) seed = Long.parseLong(System.getProperty("seed"));
      System.out.println("== " + variant);
      HierarchyResult r = new HierarchicalClusterer().fit(x, p, seed);
      report(r, truth);
    }
  }

  static void report(HierarchyResult r, int[] truth) {
    ClusterTree t = r.tree();
    int[] leaf = t.pointLeaf();
    var all = ClusteringMetrics.score(truth, leaf);
    int[][] kept = ClusteringMetrics.withoutNoise(truth, leaf, ClusterTree.NOISE);
    var excl = ClusteringMetrics.score(kept[0], kept[1]);
    System.out.printf("leaves=%d nodes=%d roots=%d noise=%.3f%n", t.leaves().size(), t.nodes().size(), t.roots().size(), t.noiseShare());
    System.out.printf("with-noise  ACC %.3f NMI %.3f ARI %.3f%n", all.acc(), all.nmi(), all.ari());
    System.out.printf("excl-noise  ACC %.3f NMI %.3f ARI %.3f%n", excl.acc(), excl.nmi(), excl.ari());
    System.out.println(r.stageSeconds());
    int[] depthCount = new int[10];
    for (var node : t.nodes()) {
      if (node.isLeaf()) depthCount[node.depth()]++;
    }
    System.out.println("leaves by depth " + java.util.Arrays.toString(depthCount));
  }

  static List<List<String>> csvAll(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean q = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (q) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') { cur.append('"'); i++; } else { q = false; }
        } else { cur.append(c); }
      } else if (c == '"') { q = true; }
      else if (c == ',') { row.add(cur.toString()); cur.setLength(0); }
      else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
        row.add(cur.toString()); cur.setLength(0); rows.add(row); row = new ArrayList<>();
      } else { cur.append(c); }
    }
    if (cur.length() > 0 || !row.isEmpty()) { row.add(cur.toString()); rows.add(row); }
    return rows;
  }

  static List<String> csv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean q = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (q) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            q = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        q = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
