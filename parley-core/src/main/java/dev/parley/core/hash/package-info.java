/** Content hashes used as cache keys and input fingerprints. */
@NullMarked
package dev.parley.core.hash;

import org.jspecify.annotations.NullMarked;
