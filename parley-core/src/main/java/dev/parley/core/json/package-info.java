/** The one Jackson configuration, strict reading of the files users write ({@link dev.parley.core.json.StrictJson}) and plain parse-error lines ({@link dev.parley.core.json.JsonErrors}). */
@NullMarked
package dev.parley.core.json;

import org.jspecify.annotations.NullMarked;
