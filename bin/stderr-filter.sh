#!/usr/bin/env bash
# The launcher's stderr filter (./parley pipes the JVM's stderr through it): every line goes through, in order and
# byte for byte, as soon as it is complete, except the JVM's notice about incubator modules, which it prints at
# every start. It reads bytes, not text: LC_ALL=C makes grep match bytes whatever the locale, so no byte sequence is
# "invalid", and -a keeps grep from switching to "binary file matches" at the first NUL (it used to drop every line
# after one). A last line without a newline comes out with one.
LC_ALL=C grep -a --line-buffered -v '^WARNING: Using incubator modules'
status=$?
# grep -v says 1 when it let no line through (an empty stderr, or only the notice): not a failure of the filter.
[[ $status -le 1 ]] || exit "$status"
