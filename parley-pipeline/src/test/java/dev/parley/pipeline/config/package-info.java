@org.jspecify.annotations.NullMarked
package dev.parley.pipeline.config;
