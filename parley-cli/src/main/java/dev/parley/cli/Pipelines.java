package dev.parley.cli;

import dev.parley.pipeline.PipelineConfig;
import dev.parley.store.StoreConfig;
import java.util.Map;
import java.util.Optional;

/** The pipeline configuration the shared options describe; each command adds its own settings. */
public final class Pipelines {
  private Pipelines() {}

  /**
   * @param useStore false for {@code --no-store}: nothing stored, embeddings cached in memory only
   * @param env where provider settings are read (the process environment, overlaid in tests)
   */
  public static PipelineConfig.Builder config(CommonOptions common, boolean useStore, Map<String, String> env) {
    return PipelineConfig.builder()
        .seed(common.seed())
        .embed(common.embed())
        .llm(common.llm())
        .store(useStore ? Optional.of(new StoreConfig(common.dbUrl(), common.home())) : Optional.empty())
        .env(env);
  }
}
