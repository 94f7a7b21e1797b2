/** The embedding port and its cache. */
@NullMarked
package dev.parley.core.embedding;

import org.jspecify.annotations.NullMarked;
