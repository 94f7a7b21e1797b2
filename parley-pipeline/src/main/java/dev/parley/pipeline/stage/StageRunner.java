package dev.parley.pipeline.stage;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.hash.ContentHash;
import dev.parley.core.json.Json;
import dev.parley.pipeline.folder.RunFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Runs the stages of a resumable job. Each stage has a key (a hash of its parameters and of the key of
 * the stage before it) and writes one artefact under {@code DIR/stages/}; {@code stages/manifest.json}
 * records, per stage, the key, the artefact, when it finished, how long it took and how many times it ran.
 * A stage whose key matches the manifest and whose artefact exists is not run again: its artefact is read
 * back. A changed parameter thus re-runs its stage and every stage after it, and nothing before.
 *
 * <p>The manifest is rewritten after every stage, so an interrupted job resumes at the stage it was in.
 */
public final class StageRunner {
  public static final String MANIFEST = "manifest.json";
  public static final int VERSION = 1;

  private final Path stagesDir;
  private final StageListener listener;
  private final Timings timings;
  private final boolean force;
  private final ObjectNode manifest;

  public StageRunner(Path stagesDir, StageListener listener, Timings timings, boolean force) {
    this.stagesDir = requireNonNull(stagesDir, "stagesDir is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.timings = requireNonNull(timings, "timings is null");
    this.force = force;
    this.manifest = load(stagesDir.resolve(MANIFEST));
  }

  /** A stage's result and its key, which the next stage's key is made from. */
  public record Done<T>(T value, String key) {
    public Done {
      requireNonNull(value, "value is null");
      requireNonNull(key, "key is null");
    }
  }

  /** Runs {@code stage} after the stage whose key is {@code previousKey} (the input's hash for the first stage). */
  public <T> Done<T> run(Stage<T> stage, String previousKey) {
    String key = key(stage.name(), previousKey, stage.parameters());
    return new Done<>(run(stage.name(), key, stage.artefact(), stage), key);
  }

  /** The key of a stage from its name, its parameters and the previous stage's key. */
  public static String key(String stage, String previousKey, JsonNode parameters) {
    return ContentHash.sha256Hex(stage, previousKey, Json.write(parameters));
  }

  public Path stagesDir() {
    return stagesDir;
  }

  private <T> T run(String name, String key, String artefactName, Stage<T> stage) {
    Path artefact = stagesDir.resolve(artefactName);
    JsonNode previous = manifest.path("stages").path(name);
    boolean fresh = !force && previous.path("key").asText("").equals(key) && Files.exists(artefact);
    try {
      if (fresh) {
        long start = System.nanoTime();
        T result = stage.read(artefact);
        timings.reused(name, (System.nanoTime() - start) / 1_000_000);
        listener.reused(name, stage.describe(result));
        return result;
      }
      listener.start(name);
      Files.createDirectories(stagesDir);
      long start = System.nanoTime();
      T result = stage.compute(artefact);
      long millis = (System.nanoTime() - start) / 1_000_000;
      timings.record(name, millis);
      String detail = stage.describe(result);
      listener.done(name, detail, millis);
      ObjectNode entry = manifest.withObjectProperty("stages").putObject(name);
      entry.put("key", key);
      entry.put("artefact", artefactName);
      entry.put("finished_at", Instant.now().toString());
      entry.put("millis", millis);
      entry.put("runs", previous.path("runs").asInt(0) + 1);
      entry.put("detail", detail);
      save();
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("stage " + name + " failed on " + artefact, e);
    }
  }

  /** Records a fact about the whole job (e.g. the last run made from these stages) in the manifest, saved at once. */
  public void note(String field, JsonNode value) {
    manifest.set(field, value);
    try {
      Files.createDirectories(stagesDir);
      save();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + stagesDir.resolve(MANIFEST), e);
    }
  }

  public ObjectNode manifest() {
    return manifest.deepCopy();
  }

  private void save() throws IOException {
    RunFolder.writeAtomically(stagesDir.resolve(MANIFEST), out -> out.write(RunFolder.pretty(manifest)));
  }

  private static ObjectNode load(Path file) {
    if (!Files.isRegularFile(file)) {
      return fresh();
    }
    try {
      JsonNode node = Json.mapper().readTree(file.toFile());
      // A manifest of another version (or a damaged one) is ignored: every stage runs again.
      if (node instanceof ObjectNode object && object.path("version").asInt(-1) == VERSION) {
        return object;
      }
      return fresh();
    } catch (IOException e) {
      return fresh();
    }
  }

  private static ObjectNode fresh() {
    ObjectNode node = Json.object();
    node.put("version", VERSION);
    node.putObject("stages");
    return node;
  }

  /** Reads a stage's manifest entry (for tests and status lines). */
  public static JsonNode entry(Path stagesDir, String stage) {
    return load(stagesDir.resolve(MANIFEST)).path("stages").path(stage);
  }
}
