package dev.parley.insights.label;

/**
 * Labelling settings other than sampling.
 *
 * @param keywords c-TF-IDF keywords kept per cluster
 * @param labelKeywords keywords joined into an offline label
 * @param examples representatives shown as examples
 * @param maxDocumentsPerCluster texts per cluster read for keywords (evenly spaced by distance rank)
 * @param contrastSiblings nearest sibling clusters named to the LLM for contrast
 * @param maxDescriptionChars offline descriptions (the most central text) are cut to this length
 */
public record LabelParams(
    int keywords, int labelKeywords, int examples, int maxDocumentsPerCluster, int contrastSiblings, int maxDescriptionChars) {

  public static final LabelParams DEFAULTS = new LabelParams(8, 3, 5, 2000, 3, 200);

  public LabelParams {
    if (keywords < 1) {
      throw new IllegalArgumentException("keywords must be >= 1, was " + keywords);
    }
    if (labelKeywords < 1 || labelKeywords > keywords) {
      throw new IllegalArgumentException("labelKeywords must be in [1, keywords=" + keywords + "], was " + labelKeywords);
    }
    if (examples < 0) {
      throw new IllegalArgumentException("examples must be >= 0, was " + examples);
    }
    if (maxDocumentsPerCluster < 1) {
      throw new IllegalArgumentException("maxDocumentsPerCluster must be >= 1, was " + maxDocumentsPerCluster);
    }
    if (contrastSiblings < 0) {
      throw new IllegalArgumentException("contrastSiblings must be >= 0, was " + contrastSiblings);
    }
    if (maxDescriptionChars < 20) {
      throw new IllegalArgumentException("maxDescriptionChars must be >= 20, was " + maxDescriptionChars);
    }
  }
}
