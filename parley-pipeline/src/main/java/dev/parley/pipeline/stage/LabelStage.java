package dev.parley.pipeline.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.label.ClassTfIdf;
import dev.parley.insights.label.FarthestPointSampler;
import dev.parley.insights.label.HierarchyLabeler;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.label.LabelingInput;
import dev.parley.insights.label.LlmLabeler;
import dev.parley.insights.privacy.PrivacyGuard;
import dev.parley.insights.privacy.PrivacyOutcome;
import dev.parley.pipeline.config.ClusterSettings;
import dev.parley.pipeline.folder.Artefacts;
import dev.parley.pipeline.item.ClusterItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Labels for every cluster the privacy rule lets be shown: farthest-point samples, c-TF-IDF keywords and the
 * most central text offline, or LLM map-reduce when an LLM labeller is configured.
 */
public final class LabelStage implements Stage<Labeling> {
  private final PrivacyOutcome privacy;
  private final List<ClusterItem> items;
  private final float[][] vectors;
  private final ClusterSettings settings;
  private final Optional<LlmLabeler> llm;

  public LabelStage(PrivacyOutcome privacy, List<ClusterItem> items, float[][] vectors, ClusterSettings settings, Optional<LlmLabeler> llm) {
    this.privacy = requireNonNull(privacy, "privacy is null");
    this.items = List.copyOf(requireNonNull(items, "items is null"));
    this.vectors = requireNonNull(vectors, "vectors is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.llm = requireNonNull(llm, "llm is null");
  }

  /** The privacy rule applied to a tree: small clusters merged upward or withheld. */
  public static PrivacyOutcome privacy(ClusterTree tree, List<ClusterItem> items, float[][] vectors, ClusterSettings settings) {
    String[] users = items.stream().map(ClusterItem::user).toArray(String[]::new);
    String[] conversations = items.stream().map(ClusterItem::conversation).toArray(String[]::new);
    return new PrivacyGuard(settings.privacy()).apply(tree, vectors, users, conversations);
  }

  @Override
  public String name() {
    return "label";
  }

  @Override
  public String artefact() {
    return "labels.json";
  }

  @Override
  public JsonNode parameters() {
    return settings.toJson().put("llm", llm.map(LlmLabeler::provider).orElse("none"));
  }

  @Override
  public Labeling compute(Path artefact) throws IOException {
    Labeling result = label();
    Artefacts.writeLabeling(artefact, result);
    return result;
  }

  /** The labels, without writing an artefact (for jobs that do not resume). */
  public Labeling label() {
    HierarchyLabeler labeler = new HierarchyLabeler(new FarthestPointSampler(settings.sampling()), ClassTfIdf.defaults(), settings.labels(), llm);
    List<String> texts = items.stream().map(ClusterItem::text).toList();
    return labeler.label(new LabelingInput(privacy.tree(), vectors, texts, privacy.redacted()), settings.seed());
  }

  @Override
  public Labeling read(Path artefact) throws IOException {
    return Artefacts.readLabeling(artefact);
  }

  @Override
  public String describe(Labeling result) {
    return result.labels().size() + " clusters labelled (" + llm.map(LlmLabeler::provider).orElse("none") + ")";
  }
}
