/** The PostgreSQL store: database, migrations, tenants, API keys and conversations. */
@org.jspecify.annotations.NullMarked
package dev.parley.store;
