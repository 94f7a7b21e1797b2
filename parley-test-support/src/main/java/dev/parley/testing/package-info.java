/** Test fixtures shared by the modules: a fresh, migrated PostgreSQL database per test. */
@org.jspecify.annotations.NullMarked
package dev.parley.testing;
