/** Fake provider servers and a scripted chat model, for tests and offline runs. */
@NullMarked
package dev.parley.fakes;

import org.jspecify.annotations.NullMarked;
