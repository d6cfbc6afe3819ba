/* A VFS over SQLite's default one that writes a WAL file's frames in one system call per
 * transaction instead of two per page.
 *
 * SQLite appends each WAL frame as two pwrite(2) calls: the 24-byte frame header, then the
 * page. A sale dirties ~20 pages, so its commit costs ~40 system calls, each paying the
 * kernel's per-call overhead (inode lock, timestamps, page-cache lookups of partial pages).
 * This VFS keeps bytes written contiguously to a WAL file in memory and hands them to the
 * kernel in one pwrite(2):
 *
 *   - right after the page of a commit frame (its header, the 24-byte write before it,
 *     carries a non-zero database size), or right after that header when SQLite rewrites
 *     it over the frame already written (a transaction that overwrote one of its own frames
 *     rewrites the checksums from there to its commit frame): the commit's write call returns
 *     the flush's result, so a failed flush fails the commit, which SQLite rolls back, and
 *     every byte of the commit is in the file before SQLite publishes its frames in the
 *     wal-index (what makes them visible to any reader) and before the commit returns;
 *   - before any read, size query, truncation, sync, lock, file control or close of that file;
 *   - before a write that does not continue the buffered bytes (it is then buffered anew);
 *   - when the buffer would exceed its capacity.
 *
 * The file thus receives the same bytes at the same offsets in the same order as without
 * this VFS, in fewer calls (a failed flush drops the uncommitted bytes and fails the write
 * that triggered it), and every frame of a commit is in the file before the commit
 * returns: a kill of the process loses only what SQLite had not committed, and
 * synchronous=FULL still syncs after the flush. Files other than WAL files pass through.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include "CWalWrites.h"

/* The unix VFS writes at most 0x1ffff bytes a call (its seekAndWrite masks the length):
 * a buffer of that size, ~31 frames of 4 KiB pages, holds a sale's commit. */
#define WAL_BUFFER_CAPACITY 0x1ffff

typedef struct WalFile WalFile;
struct WalFile {
    sqlite3_file base;         /* this file's methods */
    sqlite3_file *real;        /* the default VFS's file (allocated right after this struct) */
    unsigned char *buffer;     /* pending bytes, for offsets [start, start + used) */
    sqlite3_int64 start;
    int used;
    sqlite3_int64 commitPage;  /* where the page of the commit frame last headed goes (-1: none) */
    sqlite3_int64 appendEnd;   /* end of the furthest write through this file since offset 0 */
    const char *name;          /* as SQLite passed it to xOpen (valid until xClose) */
    WalFile *next;             /* in openFiles */
    long long writes;          /* write calls SQLite made */
    long long flushes;         /* write calls this file made to the default VFS */
    int failNextFlush;         /* test hook: the next flush fails with SQLITE_IOERR_WRITE */
};

/* The open WAL files, for the counters and the test hook (guarded by SQLITE_MUTEX_STATIC_VFS3,
 * which SQLite leaves to applications; the unix VFS itself takes VFS1). */
static WalFile *openFiles;

static sqlite3_vfs walWritesVfs;
static sqlite3_vfs *defaultVfs;

/* Writes the buffered bytes. On failure they are dropped: only a transaction that has not
 * committed can have bytes here (a commit flushes), and its write fails with this error,
 * so SQLite rolls it back and writes those frames again if it retries. */
static int flushPending(WalFile *f) {
    if (f->used == 0) return SQLITE_OK;
    int rc;
    if (f->failNextFlush) {
        f->failNextFlush = 0;
        rc = SQLITE_IOERR_WRITE;
    } else {
        rc = f->real->pMethods->xWrite(f->real, f->buffer, f->used, f->start);
    }
    if (rc != SQLITE_OK && f->appendEnd > f->start) f->appendEnd = f->start;  /* not written */
    f->used = 0;
    f->flushes++;
    return rc;
}

/* A write that is not buffered (larger than the buffer, or no memory for one). */
static int writeThrough(WalFile *f, const void *data, int amount, sqlite3_int64 offset) {
    f->commitPage = -1;
    f->flushes++;
    if (offset == 0) f->appendEnd = 0;
    if (offset + amount > f->appendEnd) f->appendEnd = offset + amount;
    return f->real->pMethods->xWrite(f->real, data, amount, offset);
}

static int walClose(sqlite3_file *file) {
    WalFile *f = (WalFile *)file;
    int rc = flushPending(f);
    sqlite3_mutex *m = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_VFS3);
    sqlite3_mutex_enter(m);
    for (WalFile **p = &openFiles; *p; p = &(*p)->next) {
        if (*p == f) {
            *p = f->next;
            break;
        }
    }
    sqlite3_mutex_leave(m);
    int rc2 = f->real->pMethods->xClose(f->real);
    sqlite3_free(f->buffer);
    f->buffer = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int walRead(sqlite3_file *file, void *out, int amount, sqlite3_int64 offset) {
    WalFile *f = (WalFile *)file;
    int rc = flushPending(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xRead(f->real, out, amount, offset);
}

static int walWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
    WalFile *f = (WalFile *)file;
    f->writes++;
    if (f->used > 0 && offset != f->start + f->used) {
        int rc = flushPending(f);
        if (rc != SQLITE_OK) return rc;
    }
    if (f->used + amount > WAL_BUFFER_CAPACITY) {
        int rc = flushPending(f);
        if (rc != SQLITE_OK) return rc;
    }
    if (amount > WAL_BUFFER_CAPACITY) return writeThrough(f, data, amount, offset);
    if (f->buffer == NULL) {
        f->buffer = sqlite3_malloc(WAL_BUFFER_CAPACITY);
        if (f->buffer == NULL) return writeThrough(f, data, amount, offset);
    }
    if (f->used == 0) f->start = offset;
    memcpy(f->buffer + f->used, data, (size_t)amount);
    f->used += amount;
    /* A frame header (the only 24-byte write to a WAL) whose database size is non-zero
     * heads a commit frame. Appended, its page comes next: flush once it is here. Written
     * over an existing frame (SQLite rewrites the checksums of a transaction that overwrote
     * one of its own frames, after its commit frame, ending with that frame's header): no
     * write follows, so flush now. */
    const unsigned char *h = data;
    int commitHeader = amount == 24 && (h[4] | h[5] | h[6] | h[7]) != 0;
    int rewrite = offset + amount < f->appendEnd;
    int commitPage = offset == f->commitPage;
    f->commitPage = commitHeader ? offset + amount : -1;
    if (offset == 0) f->appendEnd = 0; /* a new WAL header: the log starts over */
    if (offset + amount > f->appendEnd) f->appendEnd = offset + amount;
    /* (A header taken for a rewrite may be an append after all — a write that failed, or
     * another process, moved the log's end — so its page, if it comes, is flushed too.) */
    if (commitPage || (commitHeader && rewrite)) return flushPending(f);
    return SQLITE_OK;
}

static int walTruncate(sqlite3_file *file, sqlite3_int64 size) {
    WalFile *f = (WalFile *)file;
    int rc = flushPending(f);
    if (rc != SQLITE_OK) return rc;
    if (f->appendEnd > size) f->appendEnd = size;
    return f->real->pMethods->xTruncate(f->real, size);
}

static int walSync(sqlite3_file *file, int flags) {
    WalFile *f = (WalFile *)file;
    int rc = flushPending(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xSync(f->real, flags);
}

static int walFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    WalFile *f = (WalFile *)file;
    int rc = flushPending(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileSize(f->real, size);
}

static int walLock(sqlite3_file *file, int level) {
    WalFile *f = (WalFile *)file;
    int rc = flushPending(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xLock(f->real, level);
}

static int walUnlock(sqlite3_file *file, int level) {
    WalFile *f = (WalFile *)file;
    int rc = flushPending(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xUnlock(f->real, level);
}

static int walCheckReservedLock(sqlite3_file *file, int *out) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int walFileControl(sqlite3_file *file, int op, void *arg) {
    WalFile *f = (WalFile *)file;
    int rc = flushPending(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int walSectorSize(sqlite3_file *file) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int walDeviceCharacteristics(sqlite3_file *file) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int walShmMap(sqlite3_file *file, int page, int size, int extend, void volatile **out) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xShmMap(f->real, page, size, extend, out);
}

static int walShmLock(sqlite3_file *file, int offset, int n, int flags) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void walShmBarrier(sqlite3_file *file) {
    WalFile *f = (WalFile *)file;
    f->real->pMethods->xShmBarrier(f->real);
}

static int walShmUnmap(sqlite3_file *file, int deleteFlag) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xShmUnmap(f->real, deleteFlag);
}

static int walFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out) {
    WalFile *f = (WalFile *)file;
    int rc = flushPending(f);
    if (rc != SQLITE_OK) return rc;
    return f->real->pMethods->xFetch(f->real, offset, amount, out);
}

static int walUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *page) {
    WalFile *f = (WalFile *)file;
    return f->real->pMethods->xUnfetch(f->real, offset, page);
}

static const sqlite3_io_methods walMethods = {
    3,
    walClose,
    walRead,
    walWrite,
    walTruncate,
    walSync,
    walFileSize,
    walLock,
    walUnlock,
    walCheckReservedLock,
    walFileControl,
    walSectorSize,
    walDeviceCharacteristics,
    walShmMap,
    walShmLock,
    walShmBarrier,
    walShmUnmap,
    walFetch,
    walUnfetch,
};

static int vfsOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
    (void)vfs;
    if (!(flags & SQLITE_OPEN_WAL)) return defaultVfs->xOpen(defaultVfs, name, file, flags, outFlags);
    WalFile *f = (WalFile *)file;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)(f + 1);
    f->commitPage = -1;
    f->name = name;
    int rc = defaultVfs->xOpen(defaultVfs, name, f->real, flags, outFlags);
    /* SQLite calls xClose only when pMethods is set: set it only once the real file is open. */
    if (rc != SQLITE_OK) return rc;
    f->base.pMethods = &walMethods;
    sqlite3_mutex *m = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_VFS3);
    sqlite3_mutex_enter(m);
    f->next = openFiles;
    openFiles = f;
    sqlite3_mutex_leave(m);
    return SQLITE_OK;
}

/* Runs `body` on every open WAL file named `path`; returns how many there were. */
static int eachOpen(const char *path, void (*body)(WalFile *, void *), void *context) {
    int found = 0;
    sqlite3_mutex *m = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_VFS3);
    sqlite3_mutex_enter(m);
    for (WalFile *f = openFiles; f; f = f->next) {
        if (f->name && strcmp(f->name, path) == 0) {
            body(f, context);
            found++;
        }
    }
    sqlite3_mutex_leave(m);
    return found;
}

static void addCounts(WalFile *f, void *context) {
    long long *counts = context;
    counts[0] += f->writes;
    counts[1] += f->flushes;
}

int fenxiao_wal_writes_counts(const char *walPath, long long *writes, long long *flushes) {
    long long counts[2] = {0, 0};
    int found = eachOpen(walPath, addCounts, counts);
    *writes = counts[0];
    *flushes = counts[1];
    return found;
}

static void armFailure(WalFile *f, void *context) {
    (void)context;
    f->failNextFlush = 1;
}

int fenxiao_wal_writes_fail_next_flush(const char *walPath) { return eachOpen(walPath, armFailure, NULL); }

static int vfsDelete(sqlite3_vfs *v, const char *n, int s) { (void)v; return defaultVfs->xDelete(defaultVfs, n, s); }
static int vfsAccess(sqlite3_vfs *v, const char *n, int fl, int *o) { (void)v; return defaultVfs->xAccess(defaultVfs, n, fl, o); }
static int vfsFullPathname(sqlite3_vfs *v, const char *n, int c, char *o) { (void)v; return defaultVfs->xFullPathname(defaultVfs, n, c, o); }
static void *vfsDlOpen(sqlite3_vfs *v, const char *n) { (void)v; return defaultVfs->xDlOpen(defaultVfs, n); }
static void vfsDlError(sqlite3_vfs *v, int c, char *o) { (void)v; defaultVfs->xDlError(defaultVfs, c, o); }
static void (*vfsDlSym(sqlite3_vfs *v, void *h, const char *s))(void) { (void)v; return defaultVfs->xDlSym(defaultVfs, h, s); }
static void vfsDlClose(sqlite3_vfs *v, void *h) { (void)v; defaultVfs->xDlClose(defaultVfs, h); }
static int vfsRandomness(sqlite3_vfs *v, int c, char *o) { (void)v; return defaultVfs->xRandomness(defaultVfs, c, o); }
static int vfsSleep(sqlite3_vfs *v, int m) { (void)v; return defaultVfs->xSleep(defaultVfs, m); }
static int vfsCurrentTime(sqlite3_vfs *v, double *o) { (void)v; return defaultVfs->xCurrentTime(defaultVfs, o); }
static int vfsGetLastError(sqlite3_vfs *v, int c, char *o) { (void)v; return defaultVfs->xGetLastError(defaultVfs, c, o); }
static int vfsCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *o) { (void)v; return defaultVfs->xCurrentTimeInt64(defaultVfs, o); }
static int vfsSetSystemCall(sqlite3_vfs *v, const char *n, sqlite3_syscall_ptr p) { (void)v; return defaultVfs->xSetSystemCall(defaultVfs, n, p); }
static sqlite3_syscall_ptr vfsGetSystemCall(sqlite3_vfs *v, const char *n) { (void)v; return defaultVfs->xGetSystemCall(defaultVfs, n); }
static const char *vfsNextSystemCall(sqlite3_vfs *v, const char *n) { (void)v; return defaultVfs->xNextSystemCall(defaultVfs, n); }

int fenxiao_wal_writes_register(int makeDefault) {
    if (defaultVfs != NULL) return sqlite3_vfs_register(&walWritesVfs, makeDefault);
    sqlite3_vfs *base = sqlite3_vfs_find(NULL);
    if (base == NULL || base->iVersion < 3) return SQLITE_ERROR;
    defaultVfs = base;
    walWritesVfs = (sqlite3_vfs){
        .iVersion = 3,
        .szOsFile = (int)sizeof(WalFile) + base->szOsFile,
        .mxPathname = base->mxPathname,
        .zName = FENXIAO_WAL_WRITES_VFS,
        .xOpen = vfsOpen,
        .xDelete = vfsDelete,
        .xAccess = vfsAccess,
        .xFullPathname = vfsFullPathname,
        .xDlOpen = vfsDlOpen,
        .xDlError = vfsDlError,
        .xDlSym = vfsDlSym,
        .xDlClose = vfsDlClose,
        .xRandomness = vfsRandomness,
        .xSleep = vfsSleep,
        .xCurrentTime = vfsCurrentTime,
        .xGetLastError = vfsGetLastError,
        .xCurrentTimeInt64 = vfsCurrentTimeInt64,
        .xSetSystemCall = vfsSetSystemCall,
        .xGetSystemCall = vfsGetSystemCall,
        .xNextSystemCall = vfsNextSystemCall,
    };
    return sqlite3_vfs_register(&walWritesVfs, makeDefault);
}

/* SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS, on in Debian's build) take a
 * process-wide mutex in every sqlite3_malloc and sqlite3_free; nothing here reads them, and
 * SQLite's documentation recommends turning them off for speed (a sale +3 %, central's apply
 * -4 %: README, Performance). sqlite3_config works only before SQLite initializes, so this
 * runs when the program is loaded, before any code of ours or GRDB's.
 * FENXIAO_SQLITE_MEMSTATUS=on keeps them, for comparing. */
__attribute__((constructor)) static void fenxiao_sqlite_memstatus_off(void) {
    const char *keep = getenv("FENXIAO_SQLITE_MEMSTATUS");
    if (keep == NULL || strcmp(keep, "on") != 0) sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
