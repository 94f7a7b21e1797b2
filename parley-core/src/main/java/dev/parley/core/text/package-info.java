/** Checks of text that must survive storage and transport unchanged (PostgreSQL text and jsonb, UTF-8). */
@NullMarked
package dev.parley.core.text;

import org.jspecify.annotations.NullMarked;
