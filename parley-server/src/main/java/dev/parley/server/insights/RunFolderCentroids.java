package dev.parley.server.insights;

import static java.util.Objects.requireNonNull;

import dev.parley.core.error.BadInputException;
import dev.parley.insights.pipeline.RunCentroids;
import dev.parley.store.runs.CentroidFiles;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Reads the leaf centroids of a run folder (DESIGN §4) through {@link CentroidFiles}, the reader the command
 * line shares, turning any problem into a reason for the server log rather than an error.
 */
final class RunFolderCentroids {

  private RunFolderCentroids() {}

  /** What reading a folder gave. */
  sealed interface Result permits Found, Unavailable {}

  /** @param thresholds whether the folder had per-leaf admission thresholds */
  record Found(RunCentroids centroids, boolean thresholds) implements Result {
    Found {
      requireNonNull(centroids, "centroids is null");
    }
  }

  /** The folder or its files are missing or malformed; {@code reason} says which (for the server log). */
  record Unavailable(String reason) implements Result {
    Unavailable {
      requireNonNull(reason, "reason is null");
    }
  }

  static Result read(Path dir) {
    requireNonNull(dir, "dir is null");
    Path meta = dir.resolve(CentroidFiles.META);
    try {
      CentroidFiles.Contents c = CentroidFiles.read(dir);
      return new Found(new RunCentroids(c.ids(), c.dimension(), c.model(), c.vectors(), c.thresholds()), c.hasThresholds());
    } catch (BadInputException e) {
      return new Unavailable(e.getMessage());
    } catch (UncheckedIOException e) {
      return new Unavailable("cannot read " + meta + ": " + e.getCause());
    } catch (RuntimeException e) {
      return new Unavailable("cannot read " + meta + ": " + e);
    }
  }
}
