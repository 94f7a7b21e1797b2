package dev.parley.insights.label;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.hierarchy.ClusterTree.Node;
import dev.parley.insights.hierarchy.ClusterTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Labels every node of a cluster tree: representatives by farthest-point sampling, keywords by
 * c-TF-IDF among the nodes of the same depth, then either offline labels (keywords, and the most
 * central text as description) or LLM labels (leaves by map-reduce, parents reduced from their
 * children, bottom-up). Offline labels are always computed: they are the fallback and the contrast
 * the LLM is shown.
 *
 * <p>References: see {@link FarthestPointSampler}, {@link ClassTfIdf} and {@link LlmLabeler}.
 */
public final class HierarchyLabeler {
  /** Texts read for keywords per tree level, over all its clusters. */
  static final int MAX_DOCUMENTS_PER_LEVEL = 200_000;
  static final int MIN_DOCUMENTS_PER_CLUSTER = 50;

  private final FarthestPointSampler sampler;
  private final ClassTfIdf tfidf;
  private final LabelParams params;
  private final Optional<LlmLabeler> llm;

  public HierarchyLabeler(FarthestPointSampler sampler, ClassTfIdf tfidf, LabelParams params, Optional<LlmLabeler> llm) {
    this.sampler = requireNonNull(sampler, "sampler is null");
    this.tfidf = requireNonNull(tfidf, "tfidf is null");
    this.params = requireNonNull(params, "params is null");
    this.llm = requireNonNull(llm, "llm is null");
  }

  public static HierarchyLabeler offline() {
    return new HierarchyLabeler(new FarthestPointSampler(SamplingParams.DEFAULTS), ClassTfIdf.defaults(), LabelParams.DEFAULTS, Optional.empty());
  }

  /** Labels every node; {@code seed} drives the random baseline samples only (FPS is deterministic). */
  public Labeling label(LabelingInput input, long seed) {
    requireNonNull(input, "input is null");
    ClusterTree tree = input.tree();
    List<Node> nodes = tree.nodes();
    int n = nodes.size();

    Sample[] samples = new Sample[n];
    Sample[] randomSamples = new Sample[n];
    SplittableRandom root = new SplittableRandom(seed);
    for (Node node : nodes) {
      SplittableRandom random = root.split();
      if (node.size() == 0) {
        continue;
      }
      samples[node.index()] = sampler.sample(input.vectors(), node.memberPoints(), node.centroid());
      randomSamples[node.index()] = sampler.randomSample(
          input.vectors(), node.memberPoints(), node.centroid(), samples[node.index()].size(), random);
    }

    List<List<String>> keywords = keywordsByDepth(tree, input.texts());
    String[] offlineLabel = new String[n];
    String[] offlineDescription = new String[n];
    for (Node node : nodes) {
      offlineLabel[node.index()] = offlineLabel(keywords.get(node.index()), node, input.texts());
    }
    for (Node node : nodes) {
      offlineDescription[node.index()] = node.isLeaf()
          ? centralText(node, input.texts())
          : childrenDescription(tree, node, offlineLabel);
    }

    LabelText[] llmLabels = new LabelText[n];
    boolean[] fellBack = new boolean[n];
    llm.ifPresent(labeler -> labelWithLlm(labeler, input, samples, keywords, offlineLabel, llmLabels, fellBack));

    List<NodeLabel> labels = new ArrayList<>(n);
    double fpsSum = 0;
    double randomSum = 0;
    double fpsLowSum = 0;
    double randomLowSum = 0;
    int fpsWins = 0;
    int sampled = 0;
    int fallbacks = 0;
    for (Node node : nodes) {
      int k = node.index();
      Sample sample = samples[k];
      double fps = sample == null ? Double.NaN : sample.coverage();
      double rnd = randomSamples[k] == null ? Double.NaN : randomSamples[k].coverage();
      if (sample != null) {
        sampled++;
        fpsSum += fps;
        randomSum += rnd;
        fpsLowSum += sample.lowCoverage();
        randomLowSum += randomSamples[k].lowCoverage();
        if (fps >= rnd - 1e-12) {
          fpsWins++;
        }
      }
      int sampleSize = sample == null ? 0 : sample.size();
      if (input.redacted().contains(k)) {
        labels.add(new NodeLabel(k, "Small clusters (details withheld)",
            "Too few distinct users or conversations to show a label or examples.",
            List.of(), List.of(), LabelSource.REDACTED, sampleSize, fps, rnd));
        continue;
      }
      List<String> terms = keywords.get(k);
      List<Integer> examples = examples(sample, input.texts());
      if (llmLabels[k] != null) {
        labels.add(new NodeLabel(k, llmLabels[k].label(), llmLabels[k].description(), terms, examples, LabelSource.LLM, sampleSize, fps, rnd));
      } else {
        LabelSource source = fellBack[k] ? LabelSource.OFFLINE_FALLBACK : LabelSource.OFFLINE;
        if (fellBack[k]) {
          fallbacks++;
        }
        labels.add(new NodeLabel(k, offlineLabel[k], offlineDescription[k], terms, examples, source, sampleSize, fps, rnd));
      }
    }
    LabelingStats stats = new LabelingStats(
        sampled,
        sampled == 0 ? Double.NaN : fpsSum / sampled,
        sampled == 0 ? Double.NaN : randomSum / sampled,
        sampled == 0 ? Double.NaN : fpsLowSum / sampled,
        sampled == 0 ? Double.NaN : randomLowSum / sampled,
        fpsWins,
        llm.map(LlmLabeler::calls).orElse(0),
        llm.map(LlmLabeler::retries).orElse(0),
        fallbacks,
        llm.map(LlmLabeler::inputTokens).orElse(0L),
        llm.map(LlmLabeler::outputTokens).orElse(0L));
    return new Labeling(labels, stats);
  }

  private void labelWithLlm(
      LlmLabeler labeler, LabelingInput input, Sample[] samples, List<List<String>> keywords,
      String[] offlineLabel, LabelText[] llmLabels, boolean[] fellBack) {
    ClusterTree tree = input.tree();
    List<Node> leaves = new ArrayList<>();
    List<LlmLabeler.LeafTask> leafTasks = new ArrayList<>();
    for (Node node : tree.nodes()) {
      if (node.isLeaf() && node.size() > 0 && !input.redacted().contains(node.index())) {
        List<String> texts = new ArrayList<>();
        for (int p : samples[node.index()].points()) {
          texts.add(input.texts().get(p));
        }
        leaves.add(node);
        leafTasks.add(new LlmLabeler.LeafTask(texts, keywords.get(node.index()), contrast(tree, node, offlineLabel, input.redacted())));
      }
    }
    List<Optional<LabelText>> leafResults = labeler.labelLeaves(leafTasks);
    for (int i = 0; i < leaves.size(); i++) {
      record(leaves.get(i).index(), leafResults.get(i), llmLabels, fellBack);
    }
    // Parents bottom-up: a parent's children all sit one level deeper, so deeper levels go first.
    TreeMap<Integer, List<Node>> parentsByDepth = new TreeMap<>(Comparator.reverseOrder());
    for (Node node : tree.nodes()) {
      if (!node.isLeaf() && !input.redacted().contains(node.index())) {
        parentsByDepth.computeIfAbsent(node.depth(), d -> new ArrayList<>()).add(node);
      }
    }
    for (List<Node> parents : parentsByDepth.values()) {
      List<LlmLabeler.ParentTask> tasks = new ArrayList<>();
      for (Node parent : parents) {
        List<LabelText> children = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int child : bySizeDescending(tree, parent.children())) {
          if (input.redacted().contains(child)) {
            continue;
          }
          children.add(llmLabels[child] != null ? llmLabels[child] : new LabelText(offlineLabel[child], ""));
          sizes.add(tree.nodes().get(child).size());
        }
        tasks.add(new LlmLabeler.ParentTask(children, sizes, keywords.get(parent.index()), contrast(tree, parent, offlineLabel, input.redacted())));
      }
      List<Optional<LabelText>> results = labeler.labelParents(tasks);
      for (int i = 0; i < parents.size(); i++) {
        record(parents.get(i).index(), results.get(i), llmLabels, fellBack);
      }
    }
  }

  private static void record(int node, Optional<LabelText> result, LabelText[] llmLabels, boolean[] fellBack) {
    if (result.isPresent()) {
      llmLabels[node] = result.get();
    } else {
      fellBack[node] = true;
    }
  }

  /** Offline labels of the nearest siblings (same parent; top-level nodes are siblings of each other). */
  private List<String> contrast(ClusterTree tree, Node node, String[] offlineLabel, Set<Integer> redacted) {
    List<Integer> siblings = node.parent() == -1
        ? tree.roots().stream().map(Node::index).toList()
        : tree.nodes().get(node.parent()).children();
    List<Integer> others = new ArrayList<>();
    for (int s : siblings) {
      if (s != node.index() && !redacted.contains(s)) {
        others.add(s);
      }
    }
    others.sort(Comparator.comparingDouble((Integer s) -> -FarthestPointSampler.dot(tree.nodes().get(s).centroid(), node.centroid()))
        .thenComparingInt(s -> s));
    return others.stream().limit(params.contrastSiblings()).map(s -> offlineLabel[s]).toList();
  }

  /** c-TF-IDF per depth: each node is scored against the other nodes at its depth. */
  private List<List<String>> keywordsByDepth(ClusterTree tree, List<String> texts) {
    List<List<String>> result = new ArrayList<>(tree.nodes().size());
    for (int k = 0; k < tree.nodes().size(); k++) {
      result.add(List.of());
    }
    TreeMap<Integer, List<Node>> byDepth = new TreeMap<>();
    for (Node node : tree.nodes()) {
      byDepth.computeIfAbsent(node.depth(), d -> new ArrayList<>()).add(node);
    }
    for (List<Node> level : byDepth.values()) {
      List<List<String>> classes = new ArrayList<>(level.size());
      // Thousands of leaves share one budget of texts per level, so keywords stay linear in the input.
      int perCluster = Math.max(MIN_DOCUMENTS_PER_CLUSTER, Math.min(params.maxDocumentsPerCluster(), MAX_DOCUMENTS_PER_LEVEL / level.size()));
      for (Node node : level) {
        classes.add(documents(node, texts, perCluster));
      }
      List<List<Keyword>> keywords = tfidf.keywords(classes, params.keywords());
      for (int i = 0; i < level.size(); i++) {
        result.set(level.get(i).index(), keywords.get(i).stream().map(Keyword::term).toList());
      }
    }
    return result;
  }

  private static List<String> documents(Node node, List<String> texts, int perCluster) {
    int[] members = node.memberPoints();
    int count = Math.min(members.length, perCluster);
    List<String> documents = new ArrayList<>(count);
    double step = (double) members.length / Math.max(1, count);
    for (int i = 0; i < count; i++) {
      documents.add(texts.get(members[(int) (i * step)]));
    }
    return documents;
  }

  private String offlineLabel(List<String> keywords, Node node, List<String> texts) {
    if (keywords.isEmpty()) {
      return node.size() == 0 ? "Empty cluster" : clip(centralText(node, texts), 48);
    }
    String joined = String.join(", ", labelTerms(keywords, params.labelKeywords()));
    return Character.toUpperCase(joined.charAt(0)) + joined.substring(1);
  }

  /**
   * Up to {@code count} keywords that do not repeat each other: a bigram replaces the unigrams it
   * contains ("flight", "seat", "flight seat" -> "flight seat"), and a term sharing a word with a chosen
   * bigram is skipped.
   */
  static List<String> labelTerms(List<String> keywords, int count) {
    List<String> chosen = new ArrayList<>();
    for (String term : keywords) {
      List<String> words = List.of(term.split(" "));
      // "cards" after "card", "verifying" after "verify", "delivery" after "delivered" say nothing new.
      if (words.size() == 1 && chosen.stream().anyMatch(c -> c.indexOf(' ') < 0 && sameWordFamily(c, term))) {
        continue;
      }
      boolean overlapsBigram = chosen.stream()
          .filter(c -> c.indexOf(' ') >= 0)
          .anyMatch(c -> words.stream().anyMatch(w -> List.of(c.split(" ")).contains(w)));
      if (overlapsBigram) {
        continue;
      }
      if (words.size() > 1) {
        int at = -1;
        for (int i = chosen.size() - 1; i >= 0; i--) {
          if (words.contains(chosen.get(i))) {
            chosen.remove(i);
            at = i;
          }
        }
        if (at >= 0) {
          chosen.add(at, term);
          continue;
        }
      }
      if (chosen.size() < count) {
        chosen.add(term);
      } else {
        break;
      }
    }
    return chosen;
  }

  /** A crude stem test: after dropping -ing, -ed or -s, one word is the other or extends it by at most two letters. */
  static boolean sameWordFamily(String a, String b) {
    String x = stem(a);
    String y = stem(b);
    if (x.length() < 4 || y.length() < 4) {
      return x.equals(y);
    }
    String shorter = x.length() <= y.length() ? x : y;
    String longer = x.length() <= y.length() ? y : x;
    return longer.startsWith(shorter) && longer.length() - shorter.length() <= 2;
  }

  private static String stem(String word) {
    for (String suffix : new String[] {"ing", "ed", "s"}) {
      if (word.length() > suffix.length() + 3 && word.endsWith(suffix) && !word.endsWith("ss")) {
        return word.substring(0, word.length() - suffix.length());
      }
    }
    return word;
  }

  private String centralText(Node node, List<String> texts) {
    if (node.size() == 0) {
      return "";
    }
    return clip(texts.get(node.memberPoints()[0]), params.maxDescriptionChars());
  }

  private static String childrenDescription(ClusterTree tree, Node node, String[] offlineLabel) {
    List<Integer> children = bySizeDescending(tree, node.children());
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, children.size() == 1 ? "%d subcluster: " : "%d subclusters: ", children.size()));
    int shown = Math.min(4, children.size());
    for (int i = 0; i < shown; i++) {
      if (i > 0) {
        sb.append("; ");
      }
      sb.append(offlineLabel[children.get(i)]);
    }
    if (children.size() > shown) {
      sb.append("; and ").append(children.size() - shown).append(" more");
    }
    return sb.append('.').toString();
  }

  private static List<Integer> bySizeDescending(ClusterTree tree, List<Integer> nodes) {
    List<Integer> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparingInt((Integer k) -> -tree.nodes().get(k).size()).thenComparingInt(k -> k));
    return sorted;
  }

  /** The first representatives (most central first), skipping repeated texts. */
  private List<Integer> examples(Sample sample, List<String> texts) {
    if (sample == null) {
      return List.of();
    }
    List<Integer> examples = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int p : sample.points()) {
      if (examples.size() == params.examples()) {
        break;
      }
      if (seen.add(texts.get(p).strip().toLowerCase(Locale.ROOT))) {
        examples.add(p);
      }
    }
    return examples;
  }

  private static String clip(String text, int max) {
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= max ? line : line.substring(0, max - 1) + "\u2026";
  }
}
