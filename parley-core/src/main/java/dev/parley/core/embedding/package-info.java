/** The embedding port and its cache. */
@org.jspecify.annotations.NullMarked
package dev.parley.core.embedding;
