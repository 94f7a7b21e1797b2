package dev.parley.pipeline.lineage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import dev.parley.insights.lineage.LineageMatcher;
import dev.parley.insights.lineage.Transition;
import dev.parley.insights.lineage.TransitionKind;
import dev.parley.insights.pipeline.RunCentroids;
import dev.parley.pipeline.assign.AssignableRun;
import dev.parley.pipeline.assign.RunFolderRuns;
import dev.parley.pipeline.folder.JsonlFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Lineage between two run folders (DESIGN §4 "Lineage"): the leaves of {@code from} (old) and {@code to} (new),
 * matched by {@link LineageMatcher} on their leaf centroids. Lines are
 * {@code {"from","to","kind","similarity","from_size","to_size"}} with leaf ids as in each run's
 * {@code clusters.json}; a birth has {@code "from":null,"from_size":null}, a death {@code "to":null,"to_size":null}
 * (null rather than 0, so that a missing leaf is not mistaken for an empty one), and their similarity is the
 * nearest cosine to any leaf of the other run. Sizes are the leaves' {@code size} in {@code clusters.json}.
 * Sorted by kind (continuation, split, merge, birth, death), then from id, then to id (string order).
 */
public final class RunLineage {
  private RunLineage() {}

  /** One lineage line. */
  public record Line(TransitionKind kind, Optional<String> from, Optional<String> to, double similarity,
      OptionalInt fromSize, OptionalInt toSize) {
    public Line {
      requireNonNull(kind, "kind is null");
      requireNonNull(from, "from is null");
      requireNonNull(to, "to is null");
      requireNonNull(fromSize, "fromSize is null");
      requireNonNull(toSize, "toSize is null");
    }

    /** The DESIGN §4 object; the similarity rounded to 6 decimals. */
    public ObjectNode toJson() {
      ObjectNode node = Json.object();
      from.ifPresentOrElse(f -> node.put("from", f), () -> node.putNull("from"));
      to.ifPresentOrElse(t -> node.put("to", t), () -> node.putNull("to"));
      node.put("kind", kind.wireName());
      node.put("similarity", Math.round(similarity * 1e6) / 1e6);
      fromSize.ifPresentOrElse(s -> node.put("from_size", s), () -> node.putNull("from_size"));
      toSize.ifPresentOrElse(s -> node.put("to_size", s), () -> node.putNull("to_size"));
      return node;
    }
  }

  /** The lines between two runs, with the runs' ids. */
  public record Result(String fromRun, String toRun, List<Line> lines) {
    public Result {
      requireNonNull(fromRun, "fromRun is null");
      requireNonNull(toRun, "toRun is null");
      lines = List.copyOf(requireNonNull(lines, "lines is null"));
    }

    /** Lines per kind, every kind present (0 when none), in kind order. */
    public Map<TransitionKind, Integer> counts() {
      Map<TransitionKind, Integer> counts = new EnumMap<>(TransitionKind.class);
      for (TransitionKind k : TransitionKind.values()) {
        counts.put(k, 0);
      }
      lines.forEach(l -> counts.merge(l.kind(), 1, Integer::sum));
      return counts;
    }
  }

  private static final Comparator<Line> ORDER = Comparator.comparing(Line::kind)
      .thenComparing(l -> l.from().orElse(""))
      .thenComparing(l -> l.to().orElse(""));

  /**
   * Reads both run folders and matches their leaves.
   *
   * @throws BadInputException when a folder is not a run folder, or the runs' embedding model or dimension differ
   */
  public static Result compute(Path fromDir, Path toDir, LineageMatcher matcher) {
    requireNonNull(matcher, "matcher is null");
    AssignableRun from = RunFolderRuns.read(requireNonNull(fromDir, "fromDir is null"));
    AssignableRun to = RunFolderRuns.read(requireNonNull(toDir, "toDir is null"));
    RunCentroids a = from.centroids();
    RunCentroids b = to.centroids();
    if (!a.model().equals(b.model()) || a.dimension() != b.dimension()) {
      throw new BadInputException("runs live in different embedding spaces: " + fromDir + " has " + a.model() + " ("
          + a.dimension() + "-D), " + toDir + " has " + b.model() + " (" + b.dimension() + "-D)");
    }
    List<Line> lines = new ArrayList<>();
    for (Transition t : matcher.match(a.vectors(), b.vectors())) {
      Optional<String> f = t.hasFrom() ? Optional.of(a.ids().get(t.from())) : Optional.empty();
      Optional<String> n = t.hasTo() ? Optional.of(b.ids().get(t.to())) : Optional.empty();
      lines.add(new Line(t.kind(), f, n, t.similarity(), size(f, from), size(n, to)));
    }
    lines.sort(ORDER);
    return new Result(from.runId(), to.runId(), lines);
  }

  /** {@link #compute} and then writes the lines to {@code out} atomically (creating its folder). */
  public static Result write(Path fromDir, Path toDir, LineageMatcher matcher, Path out) throws IOException {
    Result result = compute(fromDir, toDir, matcher);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    JsonlFiles.write(out, result.lines().stream().map(l -> Json.write(l.toJson())).toList());
    return result;
  }

  private static OptionalInt size(Optional<String> id, AssignableRun run) {
    return id.map(run::size).orElse(OptionalInt.empty());
  }
}
