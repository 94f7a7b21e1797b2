/** The conversation and text-item records and their JSON Lines codecs (DESIGN §4). */
@NullMarked
package dev.parley.core.conversation;

import org.jspecify.annotations.NullMarked;
