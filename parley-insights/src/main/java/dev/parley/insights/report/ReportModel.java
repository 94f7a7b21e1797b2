package dev.parley.insights.report;

import static java.util.Objects.requireNonNull;

import dev.parley.insights.pipeline.RunCluster;
import dev.parley.insights.pipeline.Trends.TrendSeries;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the HTML report shows.
 *
 * @param title page heading
 * @param runId the run's id
 * @param createdAt when the run finished
 * @param inputs number of clustered items
 * @param noise items left as noise
 * @param clusters the run's clusters, parents before children, siblings largest first
 * @param trends per-cluster counts over time, when the inputs carry timestamps
 * @param facts run summary lines (name, value), shown in order
 * @param timings stage name and milliseconds, in pipeline order
 */
public record ReportModel(
    String title,
    String runId,
    Instant createdAt,
    long inputs,
    long noise,
    List<RunCluster> clusters,
    Optional<TrendSeries> trends,
    List<Fact> facts,
    List<Timing> timings) {

  /** One line of the run summary. */
  public record Fact(String name, String value) {
    public Fact {
      requireNonNull(name, "name is null");
      requireNonNull(value, "value is null");
    }
  }

  /** Wall time of one stage; {@code reused} when a resumed run took the stage's earlier output. */
  public record Timing(String stage, long millis, boolean reused) {
    public Timing {
      requireNonNull(stage, "stage is null");
    }
  }

  public ReportModel {
    requireNonNull(title, "title is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(createdAt, "createdAt is null");
    clusters = List.copyOf(requireNonNull(clusters, "clusters is null"));
    requireNonNull(trends, "trends is null");
    facts = List.copyOf(requireNonNull(facts, "facts is null"));
    timings = List.copyOf(requireNonNull(timings, "timings is null"));
    if (noise < 0 || noise > inputs) {
      throw new IllegalArgumentException("noise must be in [0, inputs=" + inputs + "], was " + noise);
    }
  }

  public double noiseShare() {
    return inputs == 0 ? 0 : (double) noise / inputs;
  }
}
