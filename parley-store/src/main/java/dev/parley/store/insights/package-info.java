/** Stored insight results: segmentations, triage and cached LLM replies. */
@org.jspecify.annotations.NullMarked
package dev.parley.store.insights;
