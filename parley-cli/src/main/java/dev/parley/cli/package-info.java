@org.jspecify.annotations.NullMarked
package dev.parley.cli;
