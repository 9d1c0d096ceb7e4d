"""SQLite storage through sqlite-utils: schema, migrations, writes, export, import, forget."""
