/** Input errors shown to the user as one line (exit code 2, HTTP 400). */
@NullMarked
package dev.parley.core.error;

import org.jspecify.annotations.NullMarked;
