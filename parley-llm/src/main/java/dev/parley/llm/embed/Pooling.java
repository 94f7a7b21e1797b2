package dev.parley.llm.embed;

/** How token vectors of the last hidden state become one sentence vector. */
public enum Pooling {
  /** The vector of the leading {@code [CLS]} token (BGE models are trained this way). */
  CLS,
  /** The mean over the real (unpadded) tokens, {@code [CLS]} and {@code [SEP]} included (sentence-transformers). */
  MEAN
}
