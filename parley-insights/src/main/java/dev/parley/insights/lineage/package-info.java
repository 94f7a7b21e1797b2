/** Lineage between two cluster runs (DESIGN §4 "Lineage"): continuations, splits, merges, births and deaths of leaves. */
@org.jspecify.annotations.NullMarked
package dev.parley.insights.lineage;
