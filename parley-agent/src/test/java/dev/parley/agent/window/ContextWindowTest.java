package dev.parley.agent.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.StoredMessage;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class ContextWindowTest {
  private static final UUID SESSION = UUID.fromString("00000000-0000-0000-0000-000000000001");

  /** A history of turns; each turn is a user message, then zero or more tool rounds, then an answer. */
  private static List<StoredMessage> history(long seed, int turns) {
    SplittableRandom random = new SplittableRandom(seed);
    List<StoredMessage> out = new ArrayList<>();
    for (int t = 0; t < turns; t++) {
      add(out, MessageKind.USER, List.of(new ContentBlock.Text("question " + t)), 20 + random.nextInt(80));
      int rounds = random.nextInt(3);
      for (int r = 0; r < rounds; r++) {
        String id = "toolu_" + t + "_" + r;
        add(out, MessageKind.ASSISTANT, List.of(new ContentBlock.Text("let me record"), new ContentBlock.ToolUse(id, "tool", Json.object())),
            30 + random.nextInt(50));
        add(out, MessageKind.TOOL_RESULT, List.of(new ContentBlock.ToolResult(id, "ok", false)), 10 + random.nextInt(20));
      }
      add(out, MessageKind.ASSISTANT, List.of(new ContentBlock.Text("answer " + t)), 40 + random.nextInt(100));
    }
    return out;
  }

  private static void add(List<StoredMessage> out, MessageKind kind, List<ContentBlock> blocks, int tokens) {
    out.add(new StoredMessage(SESSION, out.size() + 1, UUID.randomUUID(), Optional.empty(), kind, blocks, tokens, "p", Instant.EPOCH));
  }

  @Test
  void plan_underBudget_foldsNothing() {
    List<StoredMessage> h = history(1, 3);
    assertThat(ContextWindow.plan(h, 100, 100_000, 1_000, h.size())).isEmpty();
  }

  @Test
  void plan_overBudget_keepsRecentAndCutsBeforeAUserMessage() {
    List<StoredMessage> h = history(2, 40);
    ContextWindow.Fold fold = ContextWindow.plan(h, 500, 2_000, 600, h.size()).orElseThrow();
    assertThat(fold.kept().get(0).kind()).isEqualTo(MessageKind.USER);
    assertThat(fold.folded().size() + fold.kept().size()).isEqualTo(h.size());
    assertThat(fold.throughSeq()).isEqualTo(fold.folded().get(fold.folded().size() - 1).seq());
    assertThat(fold.kept().stream().mapToInt(StoredMessage::tokens).sum()).isGreaterThanOrEqualTo(600);
  }

  @Test
  void plan_seededHistories_neverSeparateToolUseFromToolResult() {
    for (long seed = 0; seed < 300; seed++) {
      List<StoredMessage> h = history(seed, 5 + (int) (seed % 30));
      int protect = h.size() - 1;
      while (protect > 0 && h.get(protect).kind() != MessageKind.USER) {
        protect--;
      }
      Optional<ContextWindow.Fold> fold = ContextWindow.plan(h, 300, 1_000, 100 + (int) (seed * 7 % 900), protect);
      if (fold.isEmpty()) {
        continue;
      }
      assertThat(fold.get().folded().size()).isLessThanOrEqualTo(protect);
      assertThat(ids(fold.get().kept(), true)).as("seed %d: tool_use ids of kept part", seed).isEqualTo(ids(fold.get().kept(), false));
      assertThat(ids(fold.get().folded(), true)).as("seed %d: tool_use ids of folded part", seed).isEqualTo(ids(fold.get().folded(), false));
    }
  }

  @Test
  void plan_onlyToolRoundsAfterFirstMessage_foldsNothing() {
    List<StoredMessage> h = new ArrayList<>();
    add(h, MessageKind.USER, List.of(new ContentBlock.Text("q")), 500);
    for (int r = 0; r < 5; r++) {
      add(h, MessageKind.ASSISTANT, List.of(new ContentBlock.ToolUse("t" + r, "tool", Json.object())), 500);
      add(h, MessageKind.TOOL_RESULT, List.of(new ContentBlock.ToolResult("t" + r, "ok", false)), 500);
    }
    assertThat(ContextWindow.plan(h, 0, 1_000, 500, 0)).isEmpty();
  }

  private static Set<String> ids(List<StoredMessage> messages, boolean uses) {
    Set<String> ids = new HashSet<>();
    for (StoredMessage m : messages) {
      for (ContentBlock b : m.blocks()) {
        if (uses && b instanceof ContentBlock.ToolUse u) {
          ids.add(u.id());
        } else if (!uses && b instanceof ContentBlock.ToolResult r) {
          ids.add(r.toolUseId());
        }
      }
    }
    return ids;
  }
}
