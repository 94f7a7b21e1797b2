package dev.parley.cli;

import dev.parley.pipeline.PipelineConfig;
import picocli.CommandLine.Option;

/** {@code --tenant NAME}: the tenant a run belongs to and is stored under. Mixed into the run commands. */
public final class TenantOption {
  @Option(names = "--tenant", paramLabel = "NAME", defaultValue = PipelineConfig.DEFAULT_TENANT,
      description = "The tenant the run belongs to (default ${DEFAULT-VALUE}); input lines naming another tenant are refused.")
  String tenant = PipelineConfig.DEFAULT_TENANT;

  public String tenant() {
    return tenant;
  }
}
