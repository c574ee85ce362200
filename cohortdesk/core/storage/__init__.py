"""Storage: the engine and sessions, migrations, backups, restore, salvage, recovery, safe
files and storage errors."""
