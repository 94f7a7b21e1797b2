package dev.parley.store.importer;

/** How many conversations an import stored anew, replaced, and found unchanged. */
public record ImportResult(long imported, long updated, long unchanged) {
  public static final ImportResult EMPTY = new ImportResult(0, 0, 0);

  public ImportResult {
    if (imported < 0 || updated < 0 || unchanged < 0) {
      throw new IllegalArgumentException("counts must be >= 0, were " + imported + ", " + updated + ", " + unchanged);
    }
  }

  public long total() {
    return imported + updated + unchanged;
  }

  public ImportResult plus(ImportResult other) {
    return new ImportResult(imported + other.imported, updated + other.updated, unchanged + other.unchanged);
  }
}
