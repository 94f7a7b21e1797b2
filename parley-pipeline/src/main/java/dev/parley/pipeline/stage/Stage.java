package dev.parley.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One resumable step of a job: what its result depends on besides the stage before it, how to compute and
 * write its artefact, how to read it back, and how to describe it. A stage holds no process-wide state: the
 * same class runs in the command line, a server job or a Spark task.
 */
public interface Stage<T> {
  /** The stage's name in the manifest, progress and timings: {@code import}, {@code triage}, ... */
  String name();

  /** The artefact's file name under {@code stages/}. */
  String artefact();

  /** Every setting the result depends on, so that changing one re-runs this stage and those after it. */
  JsonNode parameters();

  /** Computes the result and writes it to {@code artefact}. */
  T compute(Path artefact) throws IOException;

  T read(Path artefact) throws IOException;

  /** A few words for progress and the manifest, e.g. "152 segments". */
  String describe(T result);
}
