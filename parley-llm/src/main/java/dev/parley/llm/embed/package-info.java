/** Embedding model adapters: local ONNX models and the OpenAI embeddings API. */
@NullMarked
package dev.parley.llm.embed;

import org.jspecify.annotations.NullMarked;
