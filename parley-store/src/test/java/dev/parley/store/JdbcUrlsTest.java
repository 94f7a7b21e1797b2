package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.core.error.BadInputException;
import org.junit.jupiter.api.Test;

final class JdbcUrlsTest {
  @Test
  void parse_jdbcUrlWithCredentials_splitsThemOff() {
    JdbcUrls.Parsed parsed = JdbcUrls.parse("jdbc:postgresql://db.example:5433/parley?user=app&password=s%26cret&sslmode=require");

    assertThat(parsed.url()).isEqualTo("jdbc:postgresql://db.example:5433/parley?sslmode=require");
    assertThat(parsed.user()).contains("app");
    assertThat(parsed.password()).contains("s&cret");
    assertThat(parsed.toString()).doesNotContain("s&cret").contains("password=****");
  }

  @Test
  void parse_libpqUri_becomesJdbcUrl() {
    JdbcUrls.Parsed parsed = JdbcUrls.parse("postgres://app:p%40ss+word@db.example/parley");

    assertThat(parsed.url()).isEqualTo("jdbc:postgresql://db.example/parley");
    assertThat(parsed.user()).contains("app");
    assertThat(parsed.password()).contains("p@ss+word");
  }

  @Test
  void parse_noCredentials_keepsUrl() {
    JdbcUrls.Parsed parsed = JdbcUrls.parse("jdbc:postgresql://localhost/parley");

    assertThat(parsed.url()).isEqualTo("jdbc:postgresql://localhost/parley");
    assertThat(parsed.user()).isEmpty();
    assertThat(parsed.password()).isEmpty();
  }

  @Test
  void parse_otherDatabase_isBadInputWithoutPassword() {
    BadInputException e = assertThrows(BadInputException.class, () -> JdbcUrls.parse("jdbc:mysql://h/db?password=hunter2"));

    assertThat(e.getMessage()).contains("jdbc:postgresql://").doesNotContain("hunter2");
  }

  @Test
  void redact_hidesEveryPasswordForm() {
    assertThat(JdbcUrls.redact("jdbc:postgresql://h/db?user=a&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&ssl=true");
    assertThat(JdbcUrls.redact("postgresql://a:hunter2@h:5432/db")).isEqualTo("postgresql://a:***@h:5432/db");
    assertThat(JdbcUrls.redact("jdbc:postgresql://h/db?PASSWORD=hunter2")).doesNotContain("hunter2");
  }

  @Test
  void storeConfig_toString_hidesPassword() {
    StoreConfig config = new StoreConfig(java.util.Optional.of("jdbc:postgresql://h/db?password=hunter2"), java.nio.file.Path.of("/tmp/x"));

    assertThat(config.toString()).doesNotContain("hunter2");
  }
}
