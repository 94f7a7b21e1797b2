package dev.parley.cli.runs;

import static java.util.Objects.requireNonNull;

import dev.parley.cli.CommonOptions;
import dev.parley.core.embedding.EmbeddingCache;
import dev.parley.core.embedding.InMemoryEmbeddingCache;
import dev.parley.insights.label.LlmLabeler;
import dev.parley.core.chat.ChatModel;
import dev.parley.llm.chat.ChatModels;
import dev.parley.core.embedding.CachingEmbeddingModel;
import dev.parley.core.embedding.EmbeddingModel;
import dev.parley.llm.embed.EmbeddingModels;
import dev.parley.store.Database;
import dev.parley.store.PgEmbeddingCache;
import dev.parley.store.StoreConfig;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The outside parts a run uses, opened on first use and closed together: the store (unless
 * {@code --no-store}), the embedding model behind the store's embedding cache, and the LLM for labels.
 */
public final class RunServices implements AutoCloseable {
  private final CommonOptions common;
  private final boolean useStore;
  private final java.util.Map<String, String> env;
  private Database database;
  private CachingEmbeddingModel embeddings;
  private ExecutorService llmExecutor;

  public RunServices(CommonOptions common, boolean useStore) {
    this(common, useStore, System.getenv());
  }

  /** @param env where provider settings are read ({@code ANTHROPIC_API_KEY}, ...): the process environment, or a test's */
  public RunServices(CommonOptions common, boolean useStore, java.util.Map<String, String> env) {
    this.common = requireNonNull(common, "common is null");
    this.useStore = useStore;
    this.env = java.util.Map.copyOf(requireNonNull(env, "env is null"));
  }

  public Optional<Database> database() {
    if (!useStore) {
      return Optional.empty();
    }
    if (database == null) {
      database = Database.open(new StoreConfig(common.dbUrl(), common.home()));
    }
    return Optional.of(database);
  }

  /** The {@code --embed} model behind the embedding cache (the store's, else one in memory). */
  public CachingEmbeddingModel embeddings() {
    if (embeddings == null) {
      EmbeddingModel rawModel = EmbeddingModels.fromSpec(common.embed(), env);
      EmbeddingCache cache = database().<EmbeddingCache>map(db -> new PgEmbeddingCache(db.jdbi())).orElseGet(InMemoryEmbeddingCache::new);
      embeddings = new CachingEmbeddingModel(rawModel, cache);
    }
    return embeddings;
  }

  /** The id of the {@code --embed} model, without loading it. */
  public String embeddingModelId() {
    return embeddings().id();
  }

  /** The chat model for {@code --llm}, or empty for {@code none}. */
  public Optional<ChatModel> chat() {
    if (common.llm() == null || common.llm().isBlank() || common.llm().trim().equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    return Optional.of(ChatModels.fromSpec(common.llm(), null, env));
  }

  /** The LLM labeller for {@code --llm}, or empty for {@code none}. */
  public Optional<LlmLabeler> labeler() {
    Optional<ChatModel> model = chat();
    if (model.isEmpty()) {
      return Optional.empty();
    }
    ChatModel chat = model.get();
    if (llmExecutor == null) {
      llmExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-label-", 0).factory());
    }
    // A blank model name lets the provider adapter use its configured default (ANTHROPIC_MODEL, ...).
    return Optional.of(new LlmLabeler(chat, LlmLabeler.Params.defaults(""), llmExecutor));
  }

  /** The {@code --llm} provider name, or {@code none}. */
  public String llmName() {
    return common.llm() == null || common.llm().isBlank() ? "none" : common.llm().trim();
  }

  @Override
  public void close() {
    if (llmExecutor != null) {
      llmExecutor.shutdownNow();
    }
    // The embedding model is not closed: in-process models are shared by the whole JVM (LocalEmbeddingModels).
    if (database != null) {
      database.close();
    }
  }
}
