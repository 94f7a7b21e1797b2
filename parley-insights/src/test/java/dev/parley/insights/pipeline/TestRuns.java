package dev.parley.insights.pipeline;

import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.label.HierarchyLabeler;
import dev.parley.insights.label.Labeling;
import dev.parley.insights.label.LabelingInput;
import dev.parley.insights.privacy.PrivacyGuard;
import dev.parley.insights.privacy.PrivacyOutcome;
import dev.parley.insights.privacy.PrivacyRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** A small labelled run over synthetic texts whose topics follow the synthetic vectors' leaves. */
public final class TestRuns {
  private TestRuns() {}

  public static final String[][] TOPICS = {
      {"card", "arrive", "delivery", "my new card has not arrived", "tracking the card delivery"},
      {"exchange rate", "euros", "currency", "the exchange rate for euros looks wrong", "which currency exchange rate applies"},
      {"refund", "purchase", "merchant", "refund for a duplicate purchase", "the merchant refund is missing"},
      {"password", "reset", "login", "cannot reset my password", "login fails after the password reset"},
      {"flight", "booking", "seat", "book a flight to Boston", "change the seat on my flight booking"},
      {"restaurant", "table", "reservation", "reserve a table at an italian restaurant", "restaurant reservation for four"},
  };

  /** Everything a test needs: inputs, tree, labels, and the assembled run. */
  public record Fixture(
      List<String> ids, List<String> texts, float[][] vectors, String[] users, String[] conversations,
      List<Optional<Instant>> times, ClusterTree tree, PrivacyOutcome privacy, Labeling labeling, ClusterRun run) {}

  public static Fixture fixture(PrivacyRule rule) {
    int[] sizes = {60, 45, 40, 30, 25, 6};
    TestTrees.Points points = TestTrees.mixture(23, 32, sizes, 3, 0.5, 12);
    ClusterTree tree = TestTrees.tree(points, new int[] {0, 0, 0, 1, 2, 2});
    SplittableRandom random = new SplittableRandom(5);
    int n = points.leaf().length;
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    String[] users = new String[n];
    String[] conversations = new String[n];
    List<Optional<Instant>> times = new ArrayList<>();
    Instant start = Instant.parse("2025-03-01T09:00:00Z");
    for (int p = 0; p < n; p++) {
      int leaf = points.leaf()[p];
      ids.add("item-" + p);
      if (leaf < 0) {
        texts.add("random chatter number " + p + " about the weather and football scores");
      } else {
        String[] topic = TOPICS[leaf];
        texts.add(switch (random.nextInt(4)) {
          case 0 -> topic[3];
          case 1 -> "Hi, " + topic[4] + ", please help";
          case 2 -> "Question about " + topic[0] + " and " + topic[1];
          default -> "I need help with " + topic[0] + " " + topic[2] + " today (see https://example.com/help)";
        });
      }
      users[p] = "user" + (p % 37);
      conversations[p] = "conv" + p;
      // Leaf 0 grows over the period: its items sit later on average.
      long day = leaf == 0 ? 10 + random.nextInt(20) : random.nextInt(30);
      times.add(p % 10 == 9 ? Optional.empty() : Optional.of(start.plusSeconds(day * 86_400 + random.nextInt(36_000))));
    }
    PrivacyOutcome privacy = new PrivacyGuard(rule).apply(tree, points.vectors(), users, conversations);
    Labeling labeling = HierarchyLabeler.offline().label(new LabelingInput(privacy.tree(), points.vectors(), texts, privacy.redacted()), 42);
    ClusterRun run = RunAssembler.assemble(ids, texts, points.vectors(), privacy, labeling, "test:synthetic-32");
    return new Fixture(ids, texts, points.vectors(), users, conversations, times, tree, privacy, labeling, run);
  }
}
