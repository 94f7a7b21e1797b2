package dev.parley.insights.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where one input went: {@code {"id","leaf","path":[top,...,leaf]}}; {@code leaf} is {@value #NOISE} and
 * {@code path} empty for noise (DESIGN §4).
 */
public record RunAssignment(String id, String leaf, List<String> path) {
  public static final String NOISE = "noise";

  public RunAssignment {
    requireNonNull(id, "id is null");
    requireNonNull(leaf, "leaf is null");
    path = List.copyOf(requireNonNull(path, "path is null"));
  }

  public boolean isNoise() {
    return NOISE.equals(leaf);
  }
}
