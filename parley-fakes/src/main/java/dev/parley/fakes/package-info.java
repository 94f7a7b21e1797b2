/** Fake provider servers and a scripted chat model, for tests and offline runs. */
@org.jspecify.annotations.NullMarked
package dev.parley.fakes;
