package dev.parley.cli.commands;

import dev.parley.cli.CommonOptions;
import dev.parley.cli.Stores;
import dev.parley.core.conversation.JsonLines;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.store.Database;
import dev.parley.store.Tenants;
import dev.parley.store.importer.ConversationImporter;
import dev.parley.store.importer.ImportProgress;
import dev.parley.store.importer.ImportResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./parley import IN}: stores conversations by id (DESIGN §3, §4). */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
        "Stores conversations by id from a JSON Lines file or a folder of .jsonl files; re-importing the same data changes nothing.",
        "A malformed line rejects its whole file (nothing of it is stored) and exits 2, naming the file and the line."})
public final class ImportCommand implements Callable<Integer> {
  private static final String DEFAULT_FORMAT = "jsonl";
  private static final String DEFAULT_TENANT = "default";

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN", description = "A conversations file (.jsonl) or a folder of them.")
  @SuppressWarnings("NullAway.Init") // required: picocli sets it before call()
  Path in;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = DEFAULT_FORMAT, description = "Input format: jsonl or intercom (default ${DEFAULT-VALUE}).")
  String format = DEFAULT_FORMAT;

  @Option(names = "--tenant", paramLabel = "NAME", defaultValue = DEFAULT_TENANT,
      description = "Tenant of the conversations whose line has no \"tenant\" field (default: the tenant named ${DEFAULT-VALUE}); created if missing.")
  String tenant = DEFAULT_TENANT;

  @Option(names = "--json", description = "Print one JSON line: {\"imported\":N,\"updated\":M,\"unchanged\":K}.")
  boolean json;

  @Override
  public Integer call() {
    switch (format) {
      case "jsonl" -> { }
      case "intercom" -> throw new BadInputException("--format intercom is not supported yet for import; use `triage --source intercom`");
      default -> throw new BadInputException("--format must be jsonl or intercom, was '" + format + "'");
    }
    Tenants.validateName(tenant);
    // Bad paths fail before the store starts.
    long totalBytes = totalSize(JsonLines.inputFiles(in));

    ImportResult result;
    try (Database db = Stores.open(common); Progress progress = Progress.forTerminal(totalBytes)) {
      result = new ConversationImporter(db.jdbi()).importPath(in, tenant, progress);
    }

    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Long> counts = new LinkedHashMap<>();
      counts.put("imported", result.imported());
      counts.put("updated", result.updated());
      counts.put("unchanged", result.unchanged());
      out.println(Json.write(counts));
    } else {
      out.printf("%d imported, %d updated, %d unchanged (%s, tenant %s)%n",
          result.imported(), result.updated(), result.unchanged(), in, tenant);
    }
    out.flush();
    return 0;
  }

  private static long totalSize(List<Path> files) {
    long total = 0;
    for (Path file : files) {
      try {
        total += Files.size(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return total;
  }

  /** A progress bar on stderr when it is a terminal ({@code -Dparley.tty=true}, set by ./parley); else nothing. */
  private static final class Progress implements ImportProgress, AutoCloseable {
    private final @Nullable ProgressBar bar; // null when stderr is not a terminal

    private Progress(@Nullable ProgressBar bar) {
      this.bar = bar;
    }

    static Progress forTerminal(long totalBytes) {
      if (!"true".equals(System.getProperty("parley.tty"))) {
        return new Progress(null);
      }
      boolean large = totalBytes >= 16L << 20;
      return new Progress(new ProgressBarBuilder()
          .setTaskName("import")
          .setInitialMax(totalBytes)
          .setUnit(large ? " MiB" : " KiB", large ? 1L << 20 : 1L << 10)
          .setUpdateIntervalMillis(250)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .clearDisplayOnFinish()
          .build());
    }

    @Override
    public void update(long bytesRead, long totalBytes) {
      if (bar != null) {
        bar.stepTo(bytesRead);
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
