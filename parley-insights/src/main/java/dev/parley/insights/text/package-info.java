@org.jspecify.annotations.NullMarked
package dev.parley.insights.text;
