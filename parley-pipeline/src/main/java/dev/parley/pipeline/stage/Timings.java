package dev.parley.pipeline.stage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import dev.parley.insights.report.ReportModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Wall time per stage, in pipeline order; a stage taken from an earlier run is marked reused. */
public final class Timings {
  private final Map<String, Long> millis = new LinkedHashMap<>();
  private final Set<String> reused = new LinkedHashSet<>();

  public <T> T time(String stage, Supplier<T> work) {
    long start = System.nanoTime();
    T result = work.get();
    record(stage, (System.nanoTime() - start) / 1_000_000);
    return result;
  }

  public void record(String stage, long ms) {
    millis.merge(stage, ms, Long::sum);
  }

  public void reused(String stage, long ms) {
    millis.put(stage, ms);
    reused.add(stage);
  }

  public long total() {
    return millis.values().stream().mapToLong(Long::longValue).sum();
  }

  public Map<String, Long> asMap() {
    return Map.copyOf(millis);
  }

  /** Milliseconds per stage in the order the stages ran. */
  public Map<String, Long> asOrderedMap() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(millis));
  }

  public boolean wasReused(String stage) {
    return reused.contains(stage);
  }

  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    millis.forEach(node::put);
    return node;
  }

  public List<ReportModel.Timing> forReport() {
    List<ReportModel.Timing> list = new ArrayList<>();
    millis.forEach((stage, ms) -> list.add(new ReportModel.Timing(stage, ms, reused.contains(stage))));
    return list;
  }

  public List<String> stages() {
    return List.copyOf(millis.keySet());
  }

  public long millis(String stage) {
    return millis.getOrDefault(stage, 0L);
  }
}
