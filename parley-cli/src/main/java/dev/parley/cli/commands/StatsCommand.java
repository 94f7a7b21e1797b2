package dev.parley.cli.commands;

import dev.parley.cli.CommonOptions;
import dev.parley.cli.Stores;
import dev.parley.core.json.Json;
import dev.parley.store.Database;
import dev.parley.store.StoreStats;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./parley stats}: what the store holds, over every tenant. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Prints what the store holds (every tenant): conversations, messages, tenants, cached embeddings, active API keys.")
public final class StatsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON line: {\"conversations\":N,\"messages\":M,\"tenants\":T,\"embeddings_cached\":E,\"api_keys\":K}.")
  boolean json;

  @Override
  public Integer call() {
    StoreStats stats;
    String where;
    try (Database db = Stores.open(common)) {
      stats = StoreStats.read(db.jdbi());
      where = db.description();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(stats.asMap()));
    } else {
      for (Map.Entry<String, Long> entry : stats.asMap().entrySet()) {
        out.printf("%-18s %d%n", entry.getKey().replace('_', ' '), entry.getValue());
      }
      out.printf("%-18s %s%n", "store", where);
    }
    out.flush();
    return 0;
  }
}
