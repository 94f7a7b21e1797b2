package dev.parley.store;

import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PasswordFileTest {
  @TempDir Path home;

  @Test
  void readOrCreate_noFile_createsAnOwnerOnlyFileOnceAndKeepsIt() throws Exception {
    Path file = home.resolve("sub/pg-password");

    String first = PasswordFile.readOrCreate(file);
    String again = PasswordFile.readOrCreate(file);

    assertThat(first).matches("[A-Za-z0-9_-]{32}");
    assertThat(again).isEqualTo(first);
    assertThat(Files.readString(file)).isEqualTo(first + "\n");
    assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
    try (var left = Files.list(file.getParent())) {
      assertThat(left).containsExactly(file); // no temporary file behind
    }
  }

  @Test
  void readOrCreate_twoHomes_generateDifferentPasswords() {
    assertThat(PasswordFile.readOrCreate(home.resolve("a"))).isNotEqualTo(PasswordFile.readOrCreate(home.resolve("b")));
  }

  @Test
  void readOrCreate_modeWidenedSince_narrowsItBackTo0600() throws Exception {
    Path file = home.resolve("pg-password");
    String password = PasswordFile.readOrCreate(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(PasswordFile.readOrCreate(file)).isEqualTo(password);
    assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
  }

  @Test
  void readOrCreate_emptyFile_failsNamingTheFileNotAPassword() throws Exception {
    Path file = Files.writeString(home.resolve("pg-password"), "\n");

    StoreException e = assertThrows(StoreException.class, () -> PasswordFile.readOrCreate(file));

    assertThat(e.getMessage()).contains(file.toString()).contains("empty");
  }

  @Test
  void readOrCreate_concurrentFirstStarts_agreeOnOnePassword() throws Exception {
    Path file = home.resolve("pg-password");
    int callers = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<String>> futures = IntStream.range(0, callers).mapToObj(i -> pool.submit(() -> {
        go.await();
        return PasswordFile.readOrCreate(file);
      })).toList();
      go.countDown();
      List<String> passwords = new ArrayList<>();
      for (Future<String> future : futures) {
        passwords.add(future.get(30, TimeUnit.SECONDS));
      }

      assertThat(passwords).containsOnly(Files.readString(file).strip());
    } finally {
      pool.shutdownNow();
    }
  }
}
