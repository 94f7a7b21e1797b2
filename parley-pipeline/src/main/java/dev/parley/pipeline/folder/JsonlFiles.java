package dev.parley.pipeline.folder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Whole JSON Lines files written atomically (a reader sees the old file or the complete new one). */
public final class JsonlFiles {
  private JsonlFiles() {}

  public static void write(Path file, List<String> lines) throws IOException {
    RunFolder.writeAtomically(file, out -> {
      try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
        for (String line : lines) {
          w.write(line);
          w.write('\n');
        }
      }
    });
  }
}
