/** Content hashes used as cache keys and input fingerprints. */
@org.jspecify.annotations.NullMarked
package dev.parley.core.hash;
