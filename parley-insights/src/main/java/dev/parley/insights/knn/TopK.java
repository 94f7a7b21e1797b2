package dev.parley.insights.knn;

/** Sorted fixed-capacity candidate lists (ascending distance, ties by index), insertion O(k). */
final class TopK {
  private TopK() {}

  /**
   * Inserts (j, d) into the sorted prefix {@code [0, size)} of capacity {@code ids.length}, dropping
   * the last element when full. Returns the new size.
   */
  static int insert(int[] ids, float[] ds, int size, int j, float d) {
    int cap = ids.length;
    int pos = size < cap ? size : cap - 1;
    if (size == cap && !less(d, j, ds[cap - 1], ids[cap - 1])) {
      return size;
    }
    while (pos > 0 && less(d, j, ds[pos - 1], ids[pos - 1])) {
      ids[pos] = ids[pos - 1];
      ds[pos] = ds[pos - 1];
      pos--;
    }
    ids[pos] = j;
    ds[pos] = d;
    return size < cap ? size + 1 : size;
  }

  static boolean less(float d1, int i1, float d2, int i2) {
    return d1 < d2 || (d1 == d2 && i1 < i2);
  }
}
