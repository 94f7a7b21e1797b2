package dev.parley.pipeline.triage;

import static java.util.Objects.requireNonNull;

import dev.parley.core.chat.ChatModel;
import dev.parley.core.conversation.JsonLines;
import dev.parley.core.conversation.TextItem;
import dev.parley.core.conversation.TextItemCodec;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.core.error.BadInputException;
import dev.parley.insights.text.LlmCache;
import dev.parley.insights.triage.LlmTriageBackend;
import dev.parley.insights.triage.OfflineTriageBackend;
import dev.parley.insights.triage.Taxonomy;
import dev.parley.insights.triage.TaxonomyParser;
import dev.parley.insights.triage.TriageBackend;
import dev.parley.insights.triage.TriageEngine;
import dev.parley.insights.triage.TypeClassifier;
import dev.parley.insights.triage.TypeClassifierTrainer;
import dev.parley.pipeline.stage.StageListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Builds the triage engine the options ask for: the taxonomy ({@code --taxonomy}, else the examples'
 * labels, else the built-in one), the offline classifier (trained on {@code --examples}, else zero-shot),
 * or the LLM backend when {@code --llm} names a provider.
 */
public final class TriageSetup {
  private TriageSetup() {}

  /** What was built, for progress lines. */
  public record Built(TriageEngine engine, Taxonomy taxonomy, Optional<TypeClassifier> classifier, Optional<LlmTriageBackend> llm) {}

  public static Built build(
      Optional<Path> taxonomyFile, Optional<Path> examplesFile, Optional<ChatModel> chat, LlmCache cache, EmbeddingModel embeddings, long seed, StageListener listener) {
    Optional<Taxonomy> fromFile = taxonomyFile.map(TriageSetup::readTaxonomy);
    Optional<List<TextItem>> examples = examplesFile.map(TriageSetup::readExamples);
    Taxonomy taxonomy;
    if (examples.isPresent()) {
      List<String> labels = examples.get().stream().map(i -> i.label().orElseThrow()).distinct().sorted().toList();
      if (fromFile.isPresent()) {
        TreeSet<String> unknown = new TreeSet<>(labels);
        unknown.removeAll(fromFile.get().typeIds());
        if (!unknown.isEmpty()) {
          throw new BadInputException(examplesFile.get() + ": labels not in the taxonomy " + taxonomyFile.get() + ": " + unknown);
        }
        TreeSet<String> missing = new TreeSet<>(fromFile.get().typeIds());
        missing.removeAll(labels);
        if (!missing.isEmpty()) {
          listener.note("note: taxonomy types without examples cannot be predicted offline: " + missing);
        }
      }
      taxonomy = Taxonomy.fromLabels(labels, fromFile);
    } else {
      taxonomy = fromFile.orElseGet(TaxonomyParser::defaultTaxonomy);
    }
    if (chat.isPresent()) {
      LlmTriageBackend llm = new LlmTriageBackend(chat.get(), "", cache);
      return new Built(new TriageEngine(llm, taxonomy), taxonomy, Optional.empty(), Optional.of(llm));
    }
    TypeClassifierTrainer trainer = new TypeClassifierTrainer(TypeClassifierTrainer.Options.defaults(seed));
    TypeClassifier classifier;
    if (examples.isPresent()) {
      List<TextItem> items = examples.get();
      List<String> texts = items.stream().map(TextItem::text).toList();
      float[][] vectors = dev.parley.pipeline.embed.Embedding.embedAll(embeddings, texts, listener);
      classifier = trainer.fit(texts, vectors, items.stream().map(i -> i.label().orElseThrow()).toList());
    } else {
      classifier = trainer.zeroShot(taxonomy, embeddings);
    }
    TriageBackend backend = new OfflineTriageBackend(classifier, embeddings);
    return new Built(new TriageEngine(backend, taxonomy), taxonomy, Optional.of(classifier), Optional.empty());
  }

  static Taxonomy readTaxonomy(Path file) {
    requireNonNull(file, "file is null");
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("no such taxonomy file: " + file);
    }
    try {
      return TaxonomyParser.parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Labelled text items; a line without a label is bad input naming its file and line. */
  public static List<TextItem> readExamples(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("no such examples file: " + file);
    }
    TextItemCodec codec = new TextItemCodec();
    List<TextItem> items = new ArrayList<>();
    JsonLines.forEach(file, line -> {
      TextItem item = codec.parse(line);
      if (item.label().isEmpty() || item.label().get().isBlank()) {
        throw new BadInputException("example '" + item.id() + "' has no 'label'");
      }
      return item;
    }, line -> items.add(line.value()));
    if (items.stream().map(i -> i.label().get()).distinct().count() < 2) {
      throw new BadInputException(file + ": examples need at least 2 distinct labels");
    }
    return items;
  }
}
