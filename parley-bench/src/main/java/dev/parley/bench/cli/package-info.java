@org.jspecify.annotations.NullMarked
package dev.parley.bench.cli;
