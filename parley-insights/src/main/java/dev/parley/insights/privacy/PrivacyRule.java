package dev.parley.insights.privacy;

/**
 * The aggregation threshold a cluster must meet to be shown with its label and examples: at least
 * {@code minUsers} distinct users and {@code minConversations} distinct conversations among its members.
 */
public record PrivacyRule(int minUsers, int minConversations) {
  public static final PrivacyRule DEFAULT = new PrivacyRule(5, 10);

  /** No threshold: every cluster is shown (for public benchmark data only). */
  public static final PrivacyRule NONE = new PrivacyRule(0, 0);

  public PrivacyRule {
    if (minUsers < 0) {
      throw new IllegalArgumentException("minUsers must be >= 0, was " + minUsers);
    }
    if (minConversations < 0) {
      throw new IllegalArgumentException("minConversations must be >= 0, was " + minConversations);
    }
  }

  public boolean allows(int users, int conversations) {
    return users >= minUsers && conversations >= minConversations;
  }
}
