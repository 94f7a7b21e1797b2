package dev.parley.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.cli.CommonOptions;
import dev.parley.cli.Pipelines;
import dev.parley.cli.insights.Env;
import dev.parley.cli.intercom.IntercomClient;
import dev.parley.cli.runs.Progress;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.triage.TriageJson;
import dev.parley.insights.triage.TriageResult;
import dev.parley.pipeline.PipelineComponents;
import dev.parley.pipeline.folder.JsonlWriter;
import dev.parley.pipeline.item.ConversationSources;
import dev.parley.pipeline.triage.TriageSetup;
import dev.parley.store.ConversationRepository;
import dev.parley.store.TenantId;
import dev.parley.store.insights.TriageRepository;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./parley triage}: two-stage classification of support conversations. */
@Command(
    name = "triage",
    mixinStandardHelpOptions = true,
    subcommands = TriageStatsCommand.class,
    description = {
        "Two-stage triage of support conversations into DESIGN §4 triage lines.",
        "Stage 1 classifies the customer's messages before any support reply; stage 2 (only when a human agent, speaker 'support', replied) re-classifies with the whole thread and adds what changed, support insights and the resolution.",
        "Offline: logistic regression trained on --examples (else zero-shot on the taxonomy), confidence calibrated on held-out examples. With --llm: the model, its JSON validated against a schema.",
        "Results are stored (upsert) unless --dry-run or --no-store."})
public final class TriageCommand implements Callable<Integer> {
  private static final int BATCH = 512;
  private static final String DEFAULT_SOURCE = "auto";

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--taxonomy", paramLabel = "FILE", description = "Taxonomy YAML (default: built-in support taxonomy, or the examples' labels).")
  @Nullable Path taxonomy;

  @Option(names = "--examples", paramLabel = "FILE", description = "Labelled text items {\"id\",\"text\",\"label\"} to train the offline classifier.")
  @Nullable Path examples;

  @Option(names = "--in", paramLabel = "IN", description = "Input file or folder (conversations or text items).")
  @Nullable Path in;

  @Option(names = "--out", paramLabel = "OUT", description = "Triage JSONL to write (required unless --dry-run).")
  @Nullable Path out;

  @Option(names = "--source", defaultValue = DEFAULT_SOURCE, paramLabel = "SOURCE",
      description = "auto (default: by content), jsonl (conversations), items (text items), store (stored conversations) or intercom.")
  String source = DEFAULT_SOURCE;

  @Option(names = "--days", defaultValue = "7", paramLabel = "N", description = "Intercom: conversations updated in the last N days (default ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--max", defaultValue = "100", paramLabel = "N", description = "Intercom: at most N conversations (default ${DEFAULT-VALUE}).")
  int max;

  @Option(names = "--intercom-url", paramLabel = "URL", description = "Intercom API base URL (else INTERCOM_BASE_URL, else https://api.intercom.io).")
  @Nullable String intercomUrl;

  @Option(names = "--dry-run", description = "Classify and print the results on stdout; store nothing.")
  boolean dryRun;

  @Option(names = "--no-store", description = "Do not store results (embeddings cached in memory only).")
  boolean noStore;

  @Option(names = "--json", description = "Print a JSON summary on stdout.")
  boolean json;

  @Override
  public Integer call() {
    if (out == null && !dryRun) {
      throw new BadInputException("--out is required (or --dry-run to print without storing)");
    }
    if (days < 1 || max < 1) {
      throw new BadInputException("--days and --max must be >= 1, were " + days + " and " + max);
    }
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    boolean store = !dryRun && !noStore;
    Map<String, String> env = Env.current();
    try (PipelineComponents services = PipelineComponents.open(Pipelines.config(common, store || source.equals("store"), env).build())) {
      ConversationSources.Loaded loaded = load(services, env);
      List<Conversation> conversations = loaded.conversations();
      err.printf(Locale.ROOT, "      %d conversations from %s%n", conversations.size(), source.equals("auto") ? in : source);
      long setupStart = System.nanoTime();
      TriageSetup.Built built = TriageSetup.build(Optional.ofNullable(taxonomy), Optional.ofNullable(examples), services.chat(),
          SegmentCommand.cache(services), services.embeddings(), common.seed(), Progress.notes(err));
      long setupMillis = (System.nanoTime() - setupStart) / 1_000_000;
      built.classifier().ifPresent(c -> err.printf(Locale.ROOT, "      classifier: %s over %d types (%d ms)%n", c.method(), c.labels().size(), setupMillis));
      long classifyStart = System.nanoTime();
      List<TriageResult> results = new ArrayList<>(conversations.size());
      for (int from = 0; from < conversations.size(); from += BATCH) {
        results.addAll(built.engine().triage(conversations.subList(from, Math.min(conversations.size(), from + BATCH))));
      }
      long classifyMillis = (System.nanoTime() - classifyStart) / 1_000_000;
      List<ObjectNode> lines = results.stream().map(TriageJson::toJson).toList();
      if (out != null) {
        try (JsonlWriter writer = new JsonlWriter(out)) {
          writer.writeAll(lines);
        }
      }
      if (dryRun) {
        PrintWriter stdout = spec.commandLine().getOut();
        lines.forEach(l -> stdout.println(Json.write(l)));
        stdout.flush();
      } else if (store) {
        services.database().ifPresent(db -> new TriageRepository(db.jdbi()).upsertAll(TenantId.DEFAULT, lines));
      }
      report(results, loaded.labels(), built, (System.nanoTime() - start) / 1e9, setupMillis, classifyMillis);
    }
    return 0;
  }

  private static String top(Map<String, Integer> counts, int n) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(n).map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", ", "{", "}"));
  }

  private ConversationSources.Loaded load(PipelineComponents services, Map<String, String> env) {
    return switch (source) {
      case "auto", "jsonl", "items" -> {
        if (in == null) {
          throw new BadInputException("--in is required for --source " + source);
        }
        yield ConversationSources.read(in, source);
      }
      case "store" -> {
        List<Conversation> all = new ConversationRepository(services.database().orElseThrow().jdbi()).all(TenantId.DEFAULT);
        if (all.isEmpty()) {
          throw new BadInputException("the store holds no conversations (import some with `parley import`)");
        }
        yield new ConversationSources.Loaded(all, Map.of());
      }
      case "intercom" -> {
        IntercomClient client = IntercomClient.fromEnv(env, Optional.ofNullable(intercomUrl));
        List<Conversation> pulled = client.recentConversations(Instant.now().minus(Duration.ofDays(days)), max);
        if (pulled.isEmpty()) {
          throw new BadInputException("Intercom returned no conversations updated in the last " + days + " days");
        }
        yield new ConversationSources.Loaded(pulled, Map.of());
      }
      default -> throw new BadInputException("unknown --source '" + source + "' (expected auto, jsonl, items, store or intercom)");
    };
  }

  private void report(List<TriageResult> results, Map<String, String> gold, TriageSetup.Built built, double seconds, long setupMillis, long classifyMillis) {
    Map<String, Integer> byType = new TreeMap<>();
    Map<String, Integer> byConfidence = new TreeMap<>();
    int failed = 0;
    int stage2 = 0;
    int changed = 0;
    int labelled = 0;
    int correct = 0;
    for (TriageResult r : results) {
      if (r.stage1().isEmpty()) {
        failed++;
        continue;
      }
      byType.merge(r.stage1().get().type(), 1, Integer::sum);
      byConfidence.merge(r.stage1().get().confidence().wireName(), 1, Integer::sum);
      if (r.stage2().isPresent()) {
        stage2++;
        if (r.stage2().get().classificationChanged()) {
          changed++;
        }
      }
      String label = gold.get(r.conversationId());
      if (label != null) {
        labelled++;
        if (label.equals(r.stage1().get().type())) {
          correct++;
        }
      }
    }
    ObjectNode summary = Json.object();
    summary.put("conversations", results.size());
    summary.put("failed", failed);
    summary.put("stage2", stage2);
    summary.put("changed", changed);
    summary.put("backend", built.engine().backendName());
    summary.set("by_type", Json.mapper().valueToTree(byType));
    summary.set("by_confidence", Json.mapper().valueToTree(byConfidence));
    if (labelled > 0) {
      summary.put("labelled", labelled);
      summary.put("stage1_accuracy", (double) correct / labelled);
    }
    summary.put("seconds", Math.round(seconds * 100) / 100.0);
    summary.put("setup_ms", setupMillis);
    summary.put("classify_ms", classifyMillis);
    summary.put("conversations_per_second", Math.round(results.size() / Math.max(1e-3, classifyMillis / 1000.0) * 10) / 10.0);
    built.llm().ifPresent(l -> {
      summary.put("llm_calls", l.calls());
      summary.put("input_tokens", l.usage().inputTokens());
      summary.put("output_tokens", l.usage().outputTokens());
    });
    if (out != null) {
      summary.put("out", out.toString());
    }
    if (json) {
      PrintWriter stdout = spec.commandLine().getOut();
      stdout.println(Json.write(summary));
      stdout.flush();
      return;
    }
    // Human summary: on stderr under --dry-run so stdout stays the result lines.
    PrintWriter w = dryRun ? spec.commandLine().getErr() : spec.commandLine().getOut();
    w.printf(Locale.ROOT, "triaged %d conversations (%s): %d with stage 2, %d changed type, %d failed; %.1f s total, classification %.0f conversations/s%n",
        results.size(), built.engine().backendName(), stage2, changed, failed, seconds, results.size() / Math.max(1e-3, classifyMillis / 1000.0));
    w.println("by type" + (byType.size() > 12 ? " (12 most frequent of " + byType.size() + ")" : "") + ": " + top(byType, 12));
    w.println("stage-1 confidence: " + byConfidence);
    if (labelled > 0) {
      w.printf(Locale.ROOT, "labelled input: stage-1 accuracy %.4f (%d of %d)%n", (double) correct / labelled, correct, labelled);
    }
    if (out != null) {
      w.println("-> " + out);
    }
    w.flush();
  }
}
