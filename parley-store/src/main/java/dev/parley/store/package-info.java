/** The PostgreSQL store: database, migrations, tenants, API keys and conversations. */
@NullMarked
package dev.parley.store;

import org.jspecify.annotations.NullMarked;
