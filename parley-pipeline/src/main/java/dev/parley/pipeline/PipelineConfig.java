package dev.parley.pipeline;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.hierarchy.HierarchyParams;
import dev.parley.insights.privacy.PrivacyRule;
import dev.parley.pipeline.config.ClusterSettings;
import dev.parley.store.StoreConfig;
import dev.parley.store.Tenants;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a run of the understanding pipeline is configured by, validated once when built: the tenant the
 * run belongs to, the seed, the embedding model and LLM, the store (or none), the privacy rule and the
 * clustering parameters. {@link PipelineComponents} builds the parts from it.
 *
 * @param llm {@code none}, {@code anthropic} or {@code openai}
 * @param embed {@code local}, {@code local:minilm} or {@code openai[:MODEL]}
 * @param store where runs, conversations and the embedding cache are stored; empty for none (in memory only)
 * @param threads how many threads the clustering stack may use (results do not depend on it)
 * @param env where provider settings ({@code ANTHROPIC_API_KEY}, ...) are read: the process environment, or a test's
 */
public record PipelineConfig(
    String tenant, long seed, String embed, String llm, Optional<StoreConfig> store, PrivacyRule privacy,
    HierarchyParams clustering, int threads, Map<String, String> env) {
  public static final String DEFAULT_TENANT = "default";
  public static final long DEFAULT_SEED = 42;

  public PipelineConfig {
    requireNonNull(tenant, "tenant is null");
    Tenants.validateName(tenant);
    requireNonNull(embed, "embed is null");
    if (embed.isBlank()) {
      throw new IllegalArgumentException("embed must name a model (local, local:minilm, openai[:MODEL]), was blank");
    }
    requireNonNull(llm, "llm is null");
    llm = llm.isBlank() ? "none" : llm.strip();
    requireNonNull(store, "store is null");
    requireNonNull(privacy, "privacy is null");
    requireNonNull(clustering, "clustering is null");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, was " + threads);
    }
    env = Map.copyOf(requireNonNull(env, "env is null"));
  }

  /** The defaults: tenant {@code default}, seed 42, local embeddings, no LLM, no store, the default privacy rule, a thread per core. */
  public static Builder builder() {
    return new Builder();
  }

  public boolean usesLlm() {
    return !llm.equalsIgnoreCase("none");
  }

  /** Seed, privacy rule and label settings of the cluster runs this config makes. */
  public ClusterSettings clusterSettings() {
    return ClusterSettings.defaults(seed, privacy);
  }

  public Builder toBuilder() {
    return new Builder().tenant(tenant).seed(seed).embed(embed).llm(llm).store(store).privacy(privacy).clustering(clustering)
        .threads(threads).env(env);
  }

  /** Builds a {@link PipelineConfig}; every setting starts at its default. */
  public static final class Builder {
    private String tenant = DEFAULT_TENANT;
    private long seed = DEFAULT_SEED;
    private String embed = "local";
    private String llm = "none";
    private Optional<StoreConfig> store = Optional.empty();
    private PrivacyRule privacy = PrivacyRule.DEFAULT;
    private HierarchyParams clustering = HierarchyParams.defaults();
    private int threads = Runtime.getRuntime().availableProcessors();
    private Map<String, String> env = Map.of();

    private Builder() {}

    public Builder tenant(String value) {
      this.tenant = requireNonNull(value, "value is null");
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder embed(String value) {
      this.embed = requireNonNull(value, "value is null");
      return this;
    }

    public Builder llm(String value) {
      this.llm = requireNonNull(value, "value is null");
      return this;
    }

    public Builder store(Optional<StoreConfig> value) {
      this.store = requireNonNull(value, "value is null");
      return this;
    }

    public Builder privacy(PrivacyRule value) {
      this.privacy = requireNonNull(value, "value is null");
      return this;
    }

    public Builder clustering(HierarchyParams value) {
      this.clustering = requireNonNull(value, "value is null");
      return this;
    }

    public Builder threads(int value) {
      this.threads = value;
      return this;
    }

    public Builder env(Map<String, String> value) {
      this.env = requireNonNull(value, "value is null");
      return this;
    }

    public PipelineConfig build() {
      return new PipelineConfig(tenant, seed, embed, llm, store, privacy, clustering, threads, env);
    }
  }
}
