/** Lineage between two run folders: reads both, runs {@code dev.parley.insights.lineage.LineageMatcher}, writes DESIGN §4 lines. */
@org.jspecify.annotations.NullMarked
package dev.parley.pipeline.lineage;
