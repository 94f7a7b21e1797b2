package dev.parley.cli;

import dev.parley.core.error.BadInputException;
import dev.parley.insights.privacy.PrivacyRule;
import dev.parley.pipeline.PipelineConfig;
import dev.parley.pipeline.config.HierarchyParamsFile;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What a command that makes a cluster run ({@code analyze}, {@code cluster}) is told: the tenant it belongs to,
 * the privacy rule and the clustering parameters. Mixed into those commands.
 */
public final class RunOptions {
  @Mixin TenantOption tenant;

  @Option(names = "--min-users", defaultValue = "5", paramLabel = "N",
      description = "Privacy: a cluster shown with label and examples needs at least N distinct users (default ${DEFAULT-VALUE}).")
  int minUsers;

  @Option(names = "--min-conversations", defaultValue = "10", paramLabel = "M",
      description = "Privacy: ... and at least M conversations (default ${DEFAULT-VALUE}).")
  int minConversations;

  @Option(names = "--params", paramLabel = "FILE",
      description = "Clustering parameters: a JSON file as run.json writes them under parameters.clustering, or a run.json.")
  @Nullable Path params;

  /** Adds the tenant, privacy rule and clustering parameters to {@code config}. */
  public PipelineConfig.Builder applyTo(PipelineConfig.Builder config) {
    if (minUsers < 0 || minConversations < 0) {
      throw new BadInputException("--min-users and --min-conversations must be >= 0, were " + minUsers + " and " + minConversations);
    }
    return config.tenant(tenant.tenant())
        .privacy(new PrivacyRule(minUsers, minConversations))
        .clustering(HierarchyParamsFile.readOrDefaults(Optional.ofNullable(params)));
  }
}
