/** Test fixtures shared by the modules: a fresh, migrated PostgreSQL database per test. */
@NullMarked
package dev.parley.testing;

import org.jspecify.annotations.NullMarked;
