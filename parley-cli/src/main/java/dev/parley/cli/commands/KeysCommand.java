package dev.parley.cli.commands;

import dev.parley.cli.CommonOptions;
import dev.parley.cli.Stores;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.store.ApiKey;
import dev.parley.store.ApiKeys;
import dev.parley.store.Database;
import dev.parley.store.TenantId;
import dev.parley.store.Tenants;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./parley keys create|list|revoke}: API keys of the HTTP API (DESIGN §5). */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manages API keys of the HTTP API. Only a key's SHA-256 is stored: a key is shown once, when created.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {
  private static final String DEFAULT_TENANT = "default";

  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Creates an API key for a tenant (created if missing) and prints it as the last line.")
  static final class Create implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Spec CommandSpec spec;

    @Option(names = "--tenant", paramLabel = "NAME", defaultValue = DEFAULT_TENANT, description = "The key's tenant (default ${DEFAULT-VALUE}).")
    String tenant = DEFAULT_TENANT;

    @Option(names = "--json", description = "Print one JSON line: {\"id\",\"tenant\",\"prefix\",\"key\"}.")
    boolean json;

    @Override
    public Integer call() {
      Tenants.validateName(tenant);
      ApiKeys.CreatedKey created;
      try (Database db = Stores.open(common)) {
        created = new ApiKeys(db.jdbi()).create(tenant);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", created.stored().id());
        line.put("tenant", tenant);
        line.put("prefix", created.stored().prefix());
        line.put("key", created.key());
        out.println(Json.write(line));
      } else {
        out.printf("API key %d for tenant %s; it is shown only now (the store keeps its hash):%n", created.stored().id(), tenant);
        out.println(created.key());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists a tenant's API keys (prefixes only).")
  static final class ListKeys implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Spec CommandSpec spec;

    @Option(names = "--tenant", paramLabel = "NAME", defaultValue = DEFAULT_TENANT, description = "The tenant (default ${DEFAULT-VALUE}).")
    String tenant = DEFAULT_TENANT;

    @Option(names = "--json", description = "Print one JSON object per key and line.")
    boolean json;

    @Override
    public Integer call() {
      List<ApiKey> keys;
      try (Database db = Stores.open(common)) {
        TenantId id = new Tenants(db.jdbi()).find(tenant).orElseThrow(() -> new BadInputException("no tenant named '" + tenant + "'"));
        keys = new ApiKeys(db.jdbi()).list(id);
      }
      PrintWriter out = spec.commandLine().getOut();
      for (ApiKey key : keys) {
        if (json) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("id", key.id());
          line.put("prefix", key.prefix());
          line.put("created_at", key.createdAt().toString());
          line.put("revoked_at", key.revokedAt().map(Object::toString).orElse(null));
          out.println(Json.write(line));
        } else {
          out.printf("%-6d %s...  created %s%s%n", key.id(), key.prefix(), key.createdAt(), key.revokedAt().map(r -> "  revoked " + r).orElse(""));
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes an API key by id (see keys list).")
  static final class Revoke implements Callable<Integer> {
    @Mixin CommonOptions common;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The key's id.")
    long id;

    @Option(names = "--tenant", paramLabel = "NAME", defaultValue = DEFAULT_TENANT, description = "The key's tenant (default ${DEFAULT-VALUE}).")
    String tenant = DEFAULT_TENANT;

    @Override
    public Integer call() {
      try (Database db = Stores.open(common)) {
        TenantId tenantId = new Tenants(db.jdbi()).find(tenant).orElseThrow(() -> new BadInputException("no tenant named '" + tenant + "'"));
        if (!new ApiKeys(db.jdbi()).revoke(tenantId, id)) {
          throw new BadInputException("tenant " + tenant + " has no active API key " + id);
        }
      }
      spec.commandLine().getOut().printf("revoked API key %d of tenant %s%n", id, tenant);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
