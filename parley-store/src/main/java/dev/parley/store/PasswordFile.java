package dev.parley.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The superuser password of the embedded PostgreSQL: generated once, kept in a file only its owner can
 * read ({@code 0600}), shared by every Parley process of the home folder. The password itself is never
 * logged nor put in an exception message; only the file's path is.
 */
final class PasswordFile {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordFile.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  /** 192 random bits, URL-safe Base64: no character that a URL, a conf file or a shell would need quoted. */
  private static final int RANDOM_BYTES = 24;

  private PasswordFile() {}

  /** The password in {@code file}, after creating the file with a new password when there is none. */
  static String readOrCreate(Path file) {
    requireNonNull(file, "file is null");
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      restrict(file);
      String password = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (password.isEmpty()) {
        throw new StoreException("the password file " + file + " of the embedded PostgreSQL is empty; restore it from a backup of the home folder");
      }
      return password;
    } catch (IOException e) {
      throw new StoreException("cannot read or create the password file " + file + " of the embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  /**
   * Writes a new password to a private temporary file, then links it into place: the link fails when another
   * process got there first, so concurrent starts agree on one password and nobody reads a half-written file.
   */
  private static void create(Path file) throws IOException {
    Path folder = requireNonNull(file.toAbsolutePath().getParent(), "a password file has a folder");
    Files.createDirectories(folder);
    Path temporary = posix(folder)
        ? Files.createTempFile(folder, ".pg-password", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
        : Files.createTempFile(folder, ".pg-password", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap((generate() + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.force(true); // initdb stores the password: the file must not come back empty after a power cut
      }
      try {
        Files.createLink(file, temporary);
      } catch (FileAlreadyExistsException e) {
        LOG.debug("another process created {} first; using its password", file);
      } catch (UnsupportedOperationException e) {
        Files.move(temporary, file); // no hard links here: a narrow race remains, between processes started in the same instant
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
    forceDirectory(folder);
  }

  /** A mode widened since (a copy, a restore from backup) would let any local user log in as superuser. */
  private static void restrict(Path file) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view != null && !view.readAttributes().permissions().equals(OWNER_ONLY)) {
      view.setPermissions(OWNER_ONLY);
      LOG.debug("set the mode of {} back to 0600", file);
    }
  }

  private static boolean posix(Path folder) {
    return Files.getFileAttributeView(folder, PosixFileAttributeView.class) != null;
  }

  private static void forceDirectory(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("cannot sync the folder {} (some systems do not allow it): {}", folder, e.toString());
    }
  }

  private static String generate() {
    byte[] random = new byte[RANDOM_BYTES];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }
}
