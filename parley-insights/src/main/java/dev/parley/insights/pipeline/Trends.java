package dev.parley.insights.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts of each cluster's members per time bucket, for sparklines. The bucket (hour, day, week or
 * month, UTC) is the finest that keeps the series at most {@code maxBuckets} long.
 */
public final class Trends {
  private Trends() {}

  /**
   * One cluster's series.
   *
   * @param counts members per bucket, aligned with {@link TrendSeries#bucketStarts()}
   */
  public record Trend(String clusterId, long[] counts) {
    public Trend {
      requireNonNull(clusterId, "clusterId is null");
      requireNonNull(counts, "counts is null");
    }
  }

  /**
   * Series of every cluster (and of noise, under {@value RunAssignment#NOISE}).
   *
   * @param unit {@code hour}, {@code day}, {@code week} or {@code month}
   * @param undated inputs without a timestamp (left out of every series)
   */
  public record TrendSeries(String unit, List<Instant> bucketStarts, Map<String, Trend> byCluster, long undated) {
    public TrendSeries {
      requireNonNull(unit, "unit is null");
      bucketStarts = List.copyOf(requireNonNull(bucketStarts, "bucketStarts is null"));
      byCluster = Map.copyOf(requireNonNull(byCluster, "byCluster is null"));
    }
  }

  /**
   * Empty when fewer than two distinct buckets would result (no timestamps, or all in one bucket): a
   * trend needs at least two points.
   *
   * @param times one per assignment, in the same order; empty where the input has no timestamp
   */
  public static Optional<TrendSeries> compute(List<RunAssignment> assignments, List<Optional<Instant>> times, int maxBuckets) {
    requireNonNull(assignments, "assignments is null");
    requireNonNull(times, "times is null");
    if (assignments.size() != times.size()) {
      throw new IllegalArgumentException("times must have one entry per assignment, expected " + assignments.size() + ", found " + times.size());
    }
    if (maxBuckets < 2) {
      throw new IllegalArgumentException("maxBuckets must be >= 2, was " + maxBuckets);
    }
    Instant min = null;
    Instant max = null;
    long undated = 0;
    for (Optional<Instant> t : times) {
      if (t.isEmpty()) {
        undated++;
        continue;
      }
      min = min == null || t.get().isBefore(min) ? t.get() : min;
      max = max == null || t.get().isAfter(max) ? t.get() : max;
    }
    if (min == null || max == null) { // both or neither
      return Optional.empty();
    }
    String unit = unit(min, max, maxBuckets);
    List<Instant> starts = new ArrayList<>();
    for (Instant b = floor(min, unit); !b.isAfter(max); b = next(b, unit)) {
      starts.add(b);
    }
    if (starts.size() < 2) {
      return Optional.empty();
    }
    Map<String, long[]> counts = new HashMap<>();
    for (int i = 0; i < assignments.size(); i++) {
      if (times.get(i).isEmpty()) {
        continue;
      }
      int bucket = bucketOf(starts, times.get(i).get());
      RunAssignment a = assignments.get(i);
      List<String> keys = a.isNoise() ? List.of(RunAssignment.NOISE) : a.path();
      for (String key : keys) {
        counts.computeIfAbsent(key, k -> new long[starts.size()])[bucket]++;
      }
    }
    Map<String, Trend> trends = new HashMap<>();
    counts.forEach((id, c) -> trends.put(id, new Trend(id, c)));
    return Optional.of(new TrendSeries(unit, starts, trends, undated));
  }

  private static String unit(Instant min, Instant max, int maxBuckets) {
    Duration span = Duration.between(min, max);
    if (span.toHours() + 1 <= maxBuckets) {
      return "hour";
    }
    if (span.toDays() + 1 <= maxBuckets) {
      return "day";
    }
    if (span.toDays() / 7 + 2 <= maxBuckets) {
      return "week";
    }
    return "month";
  }

  private static Instant floor(Instant t, String unit) {
    LocalDate date = t.atZone(ZoneOffset.UTC).toLocalDate();
    return switch (unit) {
      case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
      case "day" -> date.atStartOfDay(ZoneOffset.UTC).toInstant();
      case "week" -> date.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toInstant();
      default -> date.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    };
  }

  private static Instant next(Instant t, String unit) {
    return switch (unit) {
      case "hour" -> t.plus(1, ChronoUnit.HOURS);
      case "day" -> t.plus(1, ChronoUnit.DAYS);
      case "week" -> t.plus(7, ChronoUnit.DAYS);
      default -> t.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
    };
  }

  private static int bucketOf(List<Instant> starts, Instant t) {
    int lo = 0;
    int hi = starts.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts.get(mid).isAfter(t)) {
        hi = mid - 1;
      } else {
        lo = mid;
      }
    }
    return lo;
  }
}
