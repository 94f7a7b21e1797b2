package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.insights.Env;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.segment.SegmentationModel;
import dev.parley.insights.segment.SegmentationModelJson;
import dev.parley.insights.segment.TopicSegmenter;
import dev.parley.insights.summary.ExtractiveSummarizer;
import dev.parley.insights.summary.LlmSummarizer;
import dev.parley.insights.text.LlmCache;
import dev.parley.pipeline.PipelineComponents;
import dev.parley.pipeline.folder.JsonlWriter;
import dev.parley.pipeline.item.ConversationSources;
import dev.parley.pipeline.segment.SegmentationOutput;
import dev.parley.store.TenantId;
import dev.parley.store.insights.LlmReplyCache;
import dev.parley.store.insights.SegmentationRepository;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./parley segment --in IN --out OUT}: topic segmentation with segment and conversation summaries. */
@Command(
    name = "segment",
    mixinStandardHelpOptions = true,
    description = {
        "Topic segmentation of conversations into DESIGN §4 segmentation lines, with summaries.",
        "A summary per segment and per conversation: extractive offline (\"summary_kind\":\"extractive\"), written by the LLM with --llm."})
public final class SegmentCommand implements Callable<Integer> {
  private static final int BATCH = 256;

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "IN", description = "Conversation JSONL file or folder of .jsonl files.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path in;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Segmentation JSONL to write.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path out;

  @Option(names = "--calibration", paramLabel = "FILE", description = "Segmentation calibration JSON (default: the one shipped, see `parley calibrate segmentation`).")
  @Nullable Path calibration;

  @Option(names = "--no-store", description = "Do not store the segmentations (and cache embeddings in memory only).")
  boolean noStore;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    List<Conversation> conversations = ConversationSources.read(in, "jsonl").conversations();
    try (PipelineComponents services = PipelineComponents.open(Pipelines.config(common, !noStore, Env.current()).build())) {
      SegmentationModel model = load(Optional.ofNullable(calibration));
      var embeddings = services.embeddings();
      if (!model.embeddingModel().equals(embeddings.id())) {
        err.println("      note: the segmentation calibration was fitted with " + model.embeddingModel() + "; using it with " + embeddings.id());
      }
      Optional<LlmSummarizer> llm = services.chat().map(chat -> new LlmSummarizer(chat, "", cache(services), 8));
      SegmentationOutput output = new SegmentationOutput(new TopicSegmenter(embeddings, model), new ExtractiveSummarizer(embeddings), llm);
      long segments = 0;
      List<ObjectNode> all = new ArrayList<>();
      try (JsonlWriter writer = new JsonlWriter(out)) {
        for (int from = 0; from < conversations.size(); from += BATCH) {
          List<ObjectNode> lines = output.process(conversations.subList(from, Math.min(conversations.size(), from + BATCH)));
          writer.writeAll(lines);
          all.addAll(lines);
          for (ObjectNode line : lines) {
            segments += line.get("segments").size();
          }
        }
      }
      services.database().ifPresent(db -> new SegmentationRepository(db.jdbi()).upsertAll(TenantId.DEFAULT, all));
      double seconds = (System.nanoTime() - start) / 1e9;
      ObjectNode summary = Json.object();
      summary.put("conversations", conversations.size());
      summary.put("segments", segments);
      summary.put("out", out.toString());
      summary.put("seconds", Math.round(seconds * 100) / 100.0);
      summary.put("conversations_per_second", Math.round(conversations.size() / seconds * 10) / 10.0);
      summary.put("segment_ms", output.segmentMillis());
      summary.put("summary_ms", output.summaryMillis());
      summary.put("summary_kind", llm.isPresent() ? "llm" : "extractive");
      if (llm.isPresent()) {
        ObjectNode tokens = summary.putObject("llm");
        tokens.put("calls", output.llmCalls());
        tokens.put("cache_hits", output.cacheHits());
        tokens.put("input_tokens", output.usage().inputTokens());
        tokens.put("output_tokens", output.usage().outputTokens());
        output.costUsd().ifPresent(c -> tokens.put("cost_usd", c));
      }
      PrintWriter stdout = spec.commandLine().getOut();
      if (json) {
        stdout.println(Json.write(summary));
      } else {
        stdout.printf(Locale.ROOT, "segmented %d conversations into %d segments in %.1f s (%.1f conversations/s) -> %s%n",
            conversations.size(), segments, seconds, conversations.size() / seconds, out);
        if (llm.isPresent()) {
          stdout.printf(Locale.ROOT, "LLM summaries: %d calls, %d cached, %d input + %d output tokens%s%n", output.llmCalls(), output.cacheHits(),
              output.usage().inputTokens(), output.usage().outputTokens(), output.costUsd().map(c -> String.format(Locale.ROOT, ", ~$%.4f", c)).orElse(""));
        }
      }
      stdout.flush();
    }
    return 0;
  }

  /** The calibration of {@code --calibration FILE} when given, else the one shipped. */
  static SegmentationModel load(Optional<Path> file) {
    if (file.isEmpty()) {
      return SegmentationModelJson.bundled();
    }
    Path calibration = file.get();
    if (!Files.isRegularFile(calibration)) {
      throw new BadInputException("no such calibration file: " + calibration);
    }
    try {
      return SegmentationModelJson.read(Files.readString(calibration), calibration.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + calibration, e);
    }
  }

  static LlmCache cache(PipelineComponents services) {
    return services.database().<LlmCache>map(db -> {
      LlmReplyCache store = new LlmReplyCache(db.jdbi());
      return new LlmCache() {
        @Override
        public Optional<String> get(String key) {
          return store.get(key);
        }

        @Override
        public void put(String key, String value) {
          store.put(key, value);
        }
      };
    }).orElseGet(LlmCache::inMemory);
  }
}
