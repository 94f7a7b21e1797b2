package dev.parley.cli.commands;

import dev.parley.agent.definition.AgentCatalog;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.definition.AgentLoader;
import dev.parley.agent.tool.ToolHandlers;
import dev.parley.cli.CommonOptions;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.error.BadInputException;
import dev.parley.llm.chat.ChatModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How the agent commands find agent folders and the chat provider, the same for serve, simulate and bench
 * (public for the development commands in parley-bench).
 */
public final class AgentOptions {
  private AgentOptions() {}

  /** {@code examples/agents} of the Parley checkout (the launcher sets {@code parley.root}), else of the working folder. */
  public static Path defaultAgentsDir() {
    String root = System.getProperty("parley.root");
    return root == null ? Path.of("examples", "agents") : Path.of(root, "examples", "agents");
  }

  public static AgentCatalog catalog(Path dir) {
    return new AgentLoader(ToolHandlers.none()::contains).loadAll(dir);
  }

  /** One agent folder, or the only agent of a folder of agents. */
  public static AgentDefinition agent(Path dir) {
    if (Files.isRegularFile(dir.resolve("agent.yaml"))) {
      return new AgentLoader(ToolHandlers.none()::contains).load(dir);
    }
    AgentCatalog catalog = catalog(dir);
    if (catalog.size() != 1) {
      throw new BadInputException(dir + " holds " + catalog.size() + " agents; name one agent folder");
    }
    return catalog.all().iterator().next();
  }

  /**
   * The provider {@code --llm} names; when {@code --llm} was not given, the one whose API key is set
   * (anthropic first), else none.
   */
  public static String provider(CommonOptions common, CommandSpec spec, Map<String, String> env) {
    boolean explicit = spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption("--llm");
    if (explicit || !common.llm().equals("none")) {
      return common.llm();
    }
    if (notBlank(env.get("ANTHROPIC_API_KEY"))) {
      return "anthropic";
    }
    if (notBlank(env.get("OPENAI_API_KEY"))) {
      return "openai";
    }
    return "none";
  }

  public static ChatModel model(String provider, Map<String, String> env) {
    return ChatModels.fromSpec(provider, env);
  }

  private static boolean notBlank(@Nullable String s) {
    return s != null && !s.isBlank();
  }
}
