package dev.parley.cli;

import dev.parley.store.Database;
import dev.parley.store.StoreConfig;

/**
 * Opens the store the common options name: {@code --db URL}, else {@code PARLEY_DB_URL}, else the
 * embedded PostgreSQL under {@code --home} (default {@code ~/.parley}). Close what it returns.
 */
public final class Stores {
  private Stores() {}

  public static Database open(CommonOptions common) {
    return Database.open(new StoreConfig(common.dbUrl(), common.home()));
  }
}
