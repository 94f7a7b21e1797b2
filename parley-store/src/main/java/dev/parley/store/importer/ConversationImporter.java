package dev.parley.store.importer;

import static java.util.Objects.requireNonNull;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.ConversationCodec;
import dev.parley.core.conversation.JsonLines;
import dev.parley.core.error.BadInputException;
import dev.parley.core.error.LineException;
import dev.parley.store.ConversationRepository;
import dev.parley.store.TenantId;
import dev.parley.store.Tenants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Imports conversation JSON Lines (DESIGN §4) into the store.
 *
 * <p>Each file is read as a stream (constant memory) into one transaction: a malformed line anywhere
 * rolls the whole file back, so nothing of it is stored, and surfaces as a {@link LineException}
 * ({@code FILE:LINE: problem}). Of a folder, the {@code .jsonl} files are imported in name order, each
 * in its own transaction; the first bad file stops the import (files before it stay imported).
 *
 * <p>A conversation goes to the tenant its line names in {@code tenant} (created if missing), else to
 * the import's default tenant.
 */
public final class ConversationImporter {
  private final Jdbi jdbi;
  private final ConversationCodec codec;

  public ConversationImporter(Jdbi jdbi) {
    this(jdbi, new ConversationCodec());
  }

  public ConversationImporter(Jdbi jdbi, ConversationCodec codec) {
    this.jdbi = requireNonNull(jdbi, "jdbi is null");
    this.codec = requireNonNull(codec, "codec is null");
  }

  /** Imports a file, or every {@code .jsonl} file of a folder, into tenant {@code defaultTenant}. */
  public ImportResult importPath(Path fileOrDirectory, String defaultTenant, ImportProgress progress) {
    requireNonNull(fileOrDirectory, "fileOrDirectory is null");
    Tenants.validateName(defaultTenant);
    requireNonNull(progress, "progress is null");
    List<Path> files = JsonLines.inputFiles(fileOrDirectory);
    long total = 0;
    for (Path file : files) {
      total += size(file);
    }
    ImportResult result = ImportResult.EMPTY;
    long before = 0;
    for (Path file : files) {
      result = result.plus(importFile(file, defaultTenant, before, total, progress));
      before += size(file);
      progress.update(before, total);
    }
    return result;
  }

  public ImportResult importPath(Path fileOrDirectory, String defaultTenant) {
    return importPath(fileOrDirectory, defaultTenant, ImportProgress.NONE);
  }

  private ImportResult importFile(Path file, String defaultTenant, long before, long total, ImportProgress progress) {
    return jdbi.inTransaction(handle -> {
      Map<String, TenantId> tenants = new HashMap<>();
      long[] counts = new long[3];
      long[] read = {before};
      JsonLines.forEach(file, line -> {
        read[0] += utf8Length(line) + 1;
        return codec.parse(line);
      }, line -> {
        Conversation conversation = line.value();
        String tenantName = conversation.tenant().orElse(defaultTenant);
        try {
          TenantId tenant = tenants.computeIfAbsent(tenantName, name -> Tenants.ensure(handle, name));
          ConversationRepository.Outcome outcome = ConversationRepository.upsert(handle, tenant, conversation);
          counts[outcome.ordinal()]++;
        } catch (RuntimeException e) {
          throw asLineProblem(e, file, line.number());
        }
        progress.update(Math.min(read[0], total), total);
      });
      return new ImportResult(counts[0], counts[1], counts[2]);
    });
  }

  /**
   * A value PostgreSQL cannot hold (a NUL character in a text, say: SQL state class 22, data
   * exception) is a problem of the line, not of the store; other failures pass through unchanged.
   */
  private static RuntimeException asLineProblem(RuntimeException e, Path file, long lineNumber) {
    if (e instanceof BadInputException bad) {
      return new LineException(file.toString(), lineNumber, bad.getMessage());
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
        String message = sql.getMessage() == null ? sql.getSQLState() : sql.getMessage().lines().findFirst().orElse(sql.getSQLState());
        return new LineException(file.toString(), lineNumber, "cannot be stored: " + message.replaceFirst("^ERROR: ", ""));
      }
    }
    return e;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Bytes of {@code text} in UTF-8, without encoding it. */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
