/** Embedding model adapters: local ONNX models and the OpenAI embeddings API. */
@org.jspecify.annotations.NullMarked
package dev.parley.llm.embed;
