package dev.parley.core.embedding;

import java.util.List;

/**
 * The embedding port. Vectors are L2-normalised, so a dot product is the cosine similarity.
 * Implementations batch internally; callers pass as many texts as they have.
 */
public interface EmbeddingModel {
  /** Stable id used as the cache namespace, e.g. {@code local:bge-small-en-v1.5-q}. */
  String id();

  int dimension();

  /** One vector per text, in input order. */
  float[][] embed(List<String> texts);
}
