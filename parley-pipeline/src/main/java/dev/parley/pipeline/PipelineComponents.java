package dev.parley.pipeline;

import static java.util.Objects.requireNonNull;

import dev.parley.core.chat.ChatModel;
import dev.parley.core.embedding.CachingEmbeddingModel;
import dev.parley.core.embedding.EmbeddingCache;
import dev.parley.core.embedding.InMemoryEmbeddingCache;
import dev.parley.insights.compute.ComputePool;
import dev.parley.insights.label.LlmLabeler;
import dev.parley.llm.chat.ChatModels;
import dev.parley.pipeline.assign.AssignableRuns;
import dev.parley.pipeline.cluster.HierarchyEngine;
import dev.parley.pipeline.embed.EmbeddingModelRegistry;
import dev.parley.pipeline.store.RunStore;
import dev.parley.store.Database;
import dev.parley.store.PgEmbeddingCache;
import dev.parley.store.TenantId;
import dev.parley.store.Tenants;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The parts of the understanding pipeline, built from one {@link PipelineConfig} and closed together: the store
 * (opened on first use, or one the caller already holds), the run's tenant, the embedding model behind the
 * store's embedding cache (one in memory without a store), the LLM and its labeller, the clustering engine,
 * the run store and the runs ready for online assignment. The command line builds one per command, the server
 * one for its lifetime; neither wires these parts itself.
 */
public final class PipelineComponents implements AutoCloseable {
  private final PipelineConfig config;
  private final boolean ownsDatabase;
  private Optional<Database> database;
  private Optional<EmbeddingModelRegistry> embeddingModels = Optional.empty();
  private Optional<ExecutorService> llmExecutor = Optional.empty();
  private Optional<TenantId> tenantId = Optional.empty();
  private Optional<ComputePool> computePool = Optional.empty();

  private PipelineComponents(PipelineConfig config, Optional<Database> database, boolean ownsDatabase) {
    this.config = requireNonNull(config, "config is null");
    this.database = database;
    this.ownsDatabase = ownsDatabase;
  }

  /** Components that open the configured store on first use (or use none) and close it with themselves. */
  public static PipelineComponents open(PipelineConfig config) {
    return new PipelineComponents(config, Optional.empty(), true);
  }

  /** Components over a store the caller holds open (a server's); closing them leaves it open. */
  public static PipelineComponents over(Database database, PipelineConfig config) {
    requireNonNull(database, "database is null");
    return new PipelineComponents(config, Optional.of(database), false);
  }

  public PipelineConfig config() {
    return config;
  }

  public synchronized Optional<Database> database() {
    if (database.isEmpty() && ownsDatabase && config.store().isPresent()) {
      database = Optional.of(Database.open(config.store().get()));
    }
    return database;
  }

  /** The run's tenant in the store (created when missing); empty without a store. */
  public synchronized Optional<TenantId> tenantId() {
    if (tenantId.isEmpty()) {
      tenantId = database().map(db -> new Tenants(db.jdbi()).ensure(config.tenant()));
    }
    return tenantId;
  }

  /** Embedding models by id, each behind the store's embedding cache (one in memory without a store). */
  public synchronized EmbeddingModelRegistry embeddingModels() {
    if (embeddingModels.isEmpty()) {
      EmbeddingCache cache = database().<EmbeddingCache>map(db -> new PgEmbeddingCache(db.jdbi())).orElseGet(InMemoryEmbeddingCache::new);
      embeddingModels = Optional.of(new EmbeddingModelRegistry(cache, config.env()));
    }
    return embeddingModels.get();
  }

  /** The configured embedding model behind the embedding cache. */
  public CachingEmbeddingModel embeddings() {
    return embeddingModels().model(config.embed());
  }

  /** The chat model for the configured LLM, or empty for {@code none}. */
  public Optional<ChatModel> chat() {
    if (!config.usesLlm()) {
      return Optional.empty();
    }
    // A blank model name lets the provider adapter use its configured default (ANTHROPIC_MODEL, ...).
    return Optional.of(ChatModels.fromSpec(config.llm(), "", config.env()));
  }

  /** The LLM labeller, or empty for {@code none}. */
  public synchronized Optional<LlmLabeler> labeler() {
    Optional<ChatModel> model = chat();
    if (model.isEmpty()) {
      return Optional.empty();
    }
    if (llmExecutor.isEmpty()) {
      llmExecutor = Optional.of(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-label-", 0).factory()));
    }
    return Optional.of(new LlmLabeler(model.get(), LlmLabeler.Params.defaults(""), llmExecutor.get()));
  }

  public HierarchyEngine clusterEngine() {
    return new HierarchyEngine(config.clustering(), computePool());
  }

  /** The one bounded pool of {@code config.threads()} threads that the clustering stack runs on. */
  public synchronized ComputePool computePool() {
    if (computePool.isEmpty()) {
      computePool = Optional.of(ComputePool.of(config.threads()));
    }
    return computePool.get();
  }

  /** Where the tenant's runs are stored; empty without a store. */
  public Optional<RunStore> runStore() {
    return database().flatMap(db -> tenantId().map(tenant -> new RunStore(db.jdbi(), tenant)));
  }

  /** Stored runs made ready for online assignment (any tenant's, by the tenant asked for). */
  public Optional<AssignableRuns> assignableRuns(int capacity) {
    return database().map(db -> new AssignableRuns(new dev.parley.store.runs.ClusterRunRepository(db.jdbi()), capacity));
  }

  @Override
  public synchronized void close() {
    llmExecutor.ifPresent(ExecutorService::shutdownNow);
    computePool.ifPresent(ComputePool::close);
    // Embedding models are not closed: in-process models are shared by the whole JVM (LocalEmbeddingModels).
    if (ownsDatabase) {
      database.ifPresent(Database::close);
    }
  }
}
