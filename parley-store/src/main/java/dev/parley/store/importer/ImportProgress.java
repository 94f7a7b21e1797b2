package dev.parley.store.importer;

/** Told how far an import has read: bytes of all input files together. */
@FunctionalInterface
public interface ImportProgress {
  /** Reports nothing. */
  ImportProgress NONE = (bytesRead, totalBytes) -> {};

  void update(long bytesRead, long totalBytes);
}
