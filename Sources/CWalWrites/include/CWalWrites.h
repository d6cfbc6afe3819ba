#ifndef FENXIAO_CWALWRITES_H
#define FENXIAO_CWALWRITES_H

/// The name of the VFS ``fenxiao_wal_writes_register`` adds (over SQLite's default VFS).
#define FENXIAO_WAL_WRITES_VFS "fenxiao-wal-writes"

/// Registers the VFS that writes each WAL commit's frames in one system call, over the
/// default VFS at the first call; with `makeDefault` non-zero it becomes the default VFS
/// (every connection opened afterwards uses it). Returns an SQLite result code.
int fenxiao_wal_writes_register(int makeDefault);

/// Sums the calls of the WAL files open under `walPath` (the database's path + "-wal"):
/// `writes` SQLite made to them, `flushes` they made to the default VFS. Returns how many
/// such files are open (each connection opens its own).
int fenxiao_wal_writes_counts(const char *walPath, long long *writes, long long *flushes);

/// Test hook: the next flush of each WAL file open under `walPath` fails with
/// SQLITE_IOERR_WRITE, as a full or failing disk would. Returns how many files it armed.
int fenxiao_wal_writes_fail_next_flush(const char *walPath);

#endif
