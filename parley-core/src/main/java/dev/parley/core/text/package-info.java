/** Checks of text that must survive storage and transport unchanged (PostgreSQL text and jsonb, UTF-8). */
@org.jspecify.annotations.NullMarked
package dev.parley.core.text;
