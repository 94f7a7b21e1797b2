package dev.parley.insights.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.insights.hierarchy.ClusterTree.Node;
import dev.parley.insights.hierarchy.ClusterTree;
import dev.parley.insights.pipeline.TestTrees;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class PrivacyGuardTest {
  // Leaves: 0 big, 1 small, 2 small (group 0); 3, 4 small (group 1); 5, 6 big (group 2); plus 3 noise points.
  private static final int[] SIZES = {40, 3, 4, 2, 3, 30, 30};
  private static final int[] GROUP = {0, 0, 0, 1, 1, 2, 2};

  private final TestTrees.Points points = TestTrees.mixture(17, 16, SIZES, 1, 0.3, 3);
  private final ClusterTree tree = TestTrees.tree(points, GROUP);

  /** Every point its own conversation; users cycle through 1..usersPerLeaf within a leaf. */
  private String[] users(int usersPerLeaf) {
    String[] users = new String[points.leaf().length];
    int[] seen = new int[SIZES.length];
    for (int p = 0; p < users.length; p++) {
      int leaf = points.leaf()[p];
      users[p] = leaf < 0 ? "noise-user" : "u" + leaf + "-" + (seen[leaf]++ % usersPerLeaf);
    }
    return users;
  }

  private String[] conversations() {
    String[] conversations = new String[points.leaf().length];
    for (int p = 0; p < conversations.length; p++) {
      conversations[p] = "conv" + p;
    }
    return conversations;
  }

  @Test
  void apply_smallSiblings_mergedUpwardAndStillSmallOnesRedacted() {
    PrivacyOutcome outcome = new PrivacyGuard(PrivacyRule.DEFAULT).apply(tree, points.vectors(), users(10), conversations());
    ClusterTree out = outcome.tree();

    // Group 0 keeps leaf 0 and gets one merged leaf for leaves 1 and 2 (7 conversations: still redacted).
    Node group0 = out.roots().stream().filter(r -> outcome.origin().get(r.index()) == tree.roots().get(0).index()).findFirst().orElseThrow();
    assertThat(group0.children()).hasSize(2);
    Node merged = group0.children().stream().map(out.nodes()::get).filter(c -> outcome.origin().get(c.index()) == -1).findFirst().orElseThrow();
    assertThat(merged.size()).isEqualTo(7);
    assertThat(outcome.redacted()).contains(merged.index());
    // Group 1 (5 points) fails at the top level: kept as one redacted leaf, never dropped.
    Node group1 = out.roots().stream().filter(r -> r.size() == 5).findFirst().orElseThrow();
    assertThat(group1.isLeaf()).isTrue();
    assertThat(outcome.redacted()).contains(group1.index());
    assertThat(outcome.mergedNodes()).isEqualTo(3);
    assertConsistent(out);
    assertThat(out.noiseCount()).isEqualTo(3);
  }

  @Test
  void apply_everyShownNode_meetsTheRule() {
    String[] users = users(4);
    String[] conversations = conversations();
    PrivacyOutcome outcome = new PrivacyGuard(new PrivacyRule(5, 10)).apply(tree, points.vectors(), users, conversations);

    for (Node node : outcome.tree().nodes()) {
      Set<String> u = new HashSet<>();
      Set<String> c = new HashSet<>();
      for (int p : node.memberPoints()) {
        u.add(users[p]);
        c.add(conversations[p]);
      }
      assertThat(outcome.users().get(node.index())).isEqualTo(u.size());
      boolean passes = u.size() >= 5 && c.size() >= 10;
      assertThat(outcome.redacted().contains(node.index())).as("node %d", node.index()).isEqualTo(!passes);
    }
  }

  @Test
  void apply_allChildrenTooSmall_parentBecomesLeaf() {
    // Group 2's leaves have 30 points each but only 3 users: they fail; together (6 users) the group passes.
    String[] users = users(3);
    PrivacyOutcome outcome = new PrivacyGuard(new PrivacyRule(5, 10)).apply(tree, points.vectors(), users, conversations());

    Node group2 = outcome.tree().roots().stream().filter(r -> outcome.origin().get(r.index()) == tree.roots().get(2).index()).findFirst().orElseThrow();
    assertThat(group2.isLeaf()).isTrue();
    assertThat(group2.size()).isEqualTo(60);
    assertThat(outcome.redacted()).doesNotContain(group2.index());
    assertConsistent(outcome.tree());
  }

  @Test
  void apply_unknownUsers_conversationCountsAsUser() {
    String[] noUsers = new String[points.leaf().length];
    java.util.Arrays.fill(noUsers, "");
    PrivacyOutcome outcome = new PrivacyGuard(PrivacyRule.DEFAULT).apply(tree, points.vectors(), noUsers, conversations());

    Node group2 = outcome.tree().roots().stream().filter(r -> outcome.origin().get(r.index()) == tree.roots().get(2).index()).findFirst().orElseThrow();
    assertThat(outcome.users().get(group2.index())).isEqualTo(60);
    assertThat(group2.children()).hasSize(2);
  }

  @Test
  void apply_ruleNone_treeUnchanged() {
    PrivacyOutcome outcome = new PrivacyGuard(PrivacyRule.NONE).apply(tree, points.vectors(), users(1), conversations());

    assertThat(outcome.tree().nodes()).hasSameSizeAs(tree.nodes());
    assertThat(outcome.tree().pointLeaf()).containsExactly(tree.pointLeaf());
    assertThat(outcome.redacted()).isEmpty();
    assertThat(outcome.mergedNodes()).isZero();
  }

  @Test
  void apply_mismatchedArrays_rejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PrivacyGuard(PrivacyRule.DEFAULT).apply(tree, points.vectors(), new String[2], conversations()));
    assertThat(e).hasMessageContaining("pointUser");
  }

  @Test
  void rule_negative_rejectedNamingValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PrivacyRule(-1, 10));
    assertThat(e).hasMessageContaining("minUsers").hasMessageContaining("-1");
  }

  /** Sizes add up, leaves own exactly their points, parents come before children, centroids are unit length. */
  static void assertConsistent(ClusterTree tree) {
    int assigned = 0;
    for (Node node : tree.nodes()) {
      if (node.parent() >= 0) {
        assertThat(node.parent()).isLessThan(node.index());
        assertThat(node.depth()).isEqualTo(tree.nodes().get(node.parent()).depth() + 1);
      }
      if (node.isLeaf()) {
        assigned += node.size();
        for (int p : node.memberPoints()) {
          assertThat(tree.pointLeaf()[p]).isEqualTo(node.index());
        }
      } else {
        assertThat(node.children().stream().mapToInt(c -> tree.nodes().get(c).size()).sum()).isEqualTo(node.size());
      }
      assertThat(TestTrees.dot(node.centroid(), node.centroid())).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
    assertThat(assigned + tree.noiseCount()).isEqualTo(tree.pointLeaf().length);
  }
}
