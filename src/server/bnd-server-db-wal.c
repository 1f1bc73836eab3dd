/* bnd-server-db-wal.c: whether anything was committed since a moment, from SQLite's WAL index
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-db"

#include "config.h"

#include <string.h>

#include "bnd-server-db-private.h"

/* In WAL mode SQLite keeps an index of the log in shared memory (the "-shm" file) that every
 * connection of every process maps. Its header changes with each commit, before the commit
 * returns (iChange counts them; mxFrame and the salts move too). So a copy of the header taken
 * before a read transaction began tells, compared with the header later, whether anything has
 * been committed since: if nothing has, the transaction still sees the whole database, as one
 * begun now would. Reading the header takes no lock and no system call; beginning a transaction
 * takes the log's read lock with two fcntl() calls (see bnd_server_db_begin_request()).
 *
 * The layout is SQLite's, described in https://sqlite.org/walformat.html ("The WAL-Index
 * Header"): two copies of a 48-byte header, which a writer writes second copy first with a memory
 * barrier between, and a reader reads first copy first; copies that differ were caught in the
 * middle of a write. The region is SQLite's own mapping, reached through its VFS (xShmMap of the
 * main database file), valid while the connection is open. The header's first field is the
 * index's version, 3007000 since SQLite 3.7.0: any other version, an index not initialised yet,
 * or a VFS without shared memory, and bnd_server_db_wal_mark() fails, so that every request
 * begins a transaction of its own as before. */

#define HEADER_SIZE      48
#define REGION_SIZE      32768   /* SQLite maps the index in regions of 32 KiB */
#define INDEX_VERSION    3007000

/* The first copy of the header, if both copies agree and the index is one this file knows. */
static gboolean
read_header (const volatile guint8 *index,
             guint8                 header[HEADER_SIZE])
{
  guint8 second[HEADER_SIZE];
  guint32 version;

  for (guint i = 0; i < HEADER_SIZE; i++)
    header[i] = index[i];
  __atomic_thread_fence (__ATOMIC_SEQ_CST);
  for (guint i = 0; i < HEADER_SIZE; i++)
    second[i] = index[HEADER_SIZE + i];
  memcpy (&version, header, sizeof version);
  /* isInit, the byte after iVersion, unused and iChange */
  return memcmp (header, second, HEADER_SIZE) == 0 && version == INDEX_VERSION && header[12] == 1;
}

/* The index's first region, as this connection maps it until it closes; NULL when there is none. */
static const volatile guint8 *
map_index (BndServerDb *self)
{
  sqlite3_file *file = NULL;
  void volatile *region = NULL;

  if (self->wal_index != NULL)
    return self->wal_index;
  if (sqlite3_file_control (self->db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == NULL || file->pMethods == NULL || file->pMethods->iVersion < 2 ||
      file->pMethods->xShmMap == NULL ||
      file->pMethods->xShmMap (file, 0, REGION_SIZE, 0, &region) != SQLITE_OK)
    return NULL;
  return self->wal_index = region;
}

/**
 * bnd_server_db_wal_mark:
 * @mark: (out): where the header goes
 *
 * Takes the WAL index's header, for bnd_server_db_wal_unchanged() to compare with later.
 *
 * Returns: %FALSE when the header cannot be read (see above)
 */
gboolean
bnd_server_db_wal_mark (BndServerDb *self,
                        guint8       mark[BND_SERVER_DB_WAL_MARK])
{
  const volatile guint8 *index = map_index (self);

  return index != NULL && read_header (index, mark);
}

/**
 * bnd_server_db_wal_unchanged:
 * @mark: a header that bnd_server_db_wal_mark() took
 *
 * Returns: %TRUE when nothing has been committed to the database since @mark was taken, by any
 *   connection of any process
 */
gboolean
bnd_server_db_wal_unchanged (BndServerDb  *self,
                             const guint8  mark[BND_SERVER_DB_WAL_MARK])
{
  guint8 now[HEADER_SIZE];

  return bnd_server_db_wal_mark (self, now) && memcmp (now, mark, HEADER_SIZE) == 0;
}
