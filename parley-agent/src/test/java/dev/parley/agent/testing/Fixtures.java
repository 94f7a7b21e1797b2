package dev.parley.agent.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.agent.definition.AgentDefinition;
import dev.parley.agent.definition.AgentLoader;
import dev.parley.agent.tool.ToolHandlers;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.json.Json;
import dev.parley.fakes.FakeAnthropicServer;
import dev.parley.fakes.FakeOpenAiServer;
import dev.parley.llm.chat.ChatModels;
import dev.parley.llm.chat.ResilienceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Shared test helpers: the shipped example agents, provider adapters pointed at the fake servers. */
public final class Fixtures {
  private Fixtures() {}

  /** {@code examples/agents} of the repository (tests run in a module folder). */
  public static Path agentsDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("examples/agents");
      if (Files.isDirectory(candidate.resolve("coachmira"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("examples/agents/coachmira not found above " + Path.of("").toAbsolutePath());
  }

  public static AgentDefinition coachMira() {
    return new AgentLoader(ToolHandlers.none()::contains).load(agentsDir().resolve("coachmira"));
  }

  /** The real Anthropic adapter against a fake server, one attempt per call (failures surface at once). */
  public static ChatModel anthropic(FakeAnthropicServer server) {
    return ChatModels.fromSpec("anthropic", server.env("test-key"), ResilienceConfig.defaults().withMaxAttempts(1));
  }

  public static ChatModel openAi(FakeOpenAiServer server) {
    return ChatModels.fromSpec("openai", "gpt-4o-mini", server.env("test-key"), ResilienceConfig.defaults().withMaxAttempts(1));
  }

  public static ObjectNode json(String text) {
    return (ObjectNode) Json.parse(text);
  }

  /** Copies {@code source} into a new temporary folder (to break a copy of an agent in a test). */
  public static Path copy(Path source, Path target) {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
        Path dest = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
