/** Stored insight results: segmentations, triage and cached LLM replies. */
@NullMarked
package dev.parley.store.insights;

import org.jspecify.annotations.NullMarked;
