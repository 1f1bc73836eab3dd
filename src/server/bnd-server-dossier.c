/* bnd-server-dossier.c: a submitted sketch's way through the procedure, and its audit trail
 *
 * Copyright 2026 Bündnis developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bnd-server-dossier"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "bnd-audit.h"
#include "bnd-server-db-private.h"
#include "bnd-server-dossier.h"

/* {"key": "value"} for an audit entry, escaped as JSON needs. */
char *
bnd_audit_detail_string (const char *key,
                         const char *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, key);
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* HMAC-SHA256 of the head under the audit key, hex; NULL without a key. Whoever can write the
 * database can recompute every hash of a chain and its head, but not this. */
static char *
sign_head (BndServerDb *self,
           const char  *dossier,
           gint64       n,
           const char  *hash)
{
  guchar mac[crypto_auth_hmacsha256_BYTES];
  char hex[sizeof mac * 2 + 1];
  g_autofree char *text = NULL;

  if (!self->has_audit_key)
    return NULL;
  text = g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%s", dossier, n, hash);
  crypto_auth_hmacsha256 (mac, (const guchar *)text, strlen (text), self->audit_key);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, mac, sizeof mac));
}

/**
 * bnd_server_db_set_audit_key:
 * @key: (nullable): %BND_AUDIT_KEY_BYTES bytes, or %NULL for none
 *
 * From now on every chain head written is signed with @key, and bnd_server_db_verify_audit()
 * checks the heads' signatures.
 */
void
bnd_server_db_set_audit_key (BndServerDb  *self,
                             const guchar *key)
{
  self->has_audit_key = key != NULL;
  if (key != NULL)
    memcpy (self->audit_key, key, BND_AUDIT_KEY_BYTES);
  else
    sodium_memzero (self->audit_key, sizeof self->audit_key);
}

gboolean
bnd_server_db_has_audit_key (BndServerDb *self)
{
  return self->has_audit_key;
}

/* Appends to the dossier's chain; the caller holds a transaction. */
gboolean
bnd_server_db_append_audit (BndServerDb  *self,
                            const char   *dossier,
                            const char   *actor,
                            const char   *action,
                            const char   *detail,
                            GError      **error)
{
  g_autoptr(BndDbStmt) head = bnd_server_db_prepare (self, "SELECT n, hash FROM audit_head WHERE dossier = ?1", error);
  g_autoptr(BndDbStmt) insert = NULL;
  g_autoptr(BndDbStmt) update = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *signature = NULL;
  gint64 n = 1;
  gint64 at = g_get_real_time () / G_USEC_PER_SEC;

  if (head == NULL)
    return FALSE;
  bnd_db_bind_text (head, 1, dossier);
  if (bnd_db_step (head) == BND_DB_ROW)
    {
      n = bnd_db_column_int64 (head, 0) + 1;
      prev = g_strdup (bnd_db_column_text (head, 1));
    }
  else
    prev = g_strdup (BND_AUDIT_GENESIS);

  hash = bnd_audit_hash (prev, dossier, n, at, actor, action, detail);
  signature = sign_head (self, dossier, n, hash);
  if (!(insert = bnd_server_db_prepare (self, "INSERT INTO audit (dossier, n, at, actor, action, detail, prev, hash) "
                                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error)) ||
      !(update = bnd_server_db_prepare (self, "INSERT INTO audit_head (dossier, n, hash, signature) VALUES (?1, ?2, ?3, ?4) "
                                              "ON CONFLICT (dossier) DO UPDATE SET n = ?2, hash = ?3, signature = ?4",
                                        error)))
    return FALSE;
  bnd_db_bind_text (insert, 1, dossier);
  bnd_db_bind_int64 (insert, 2, n);
  bnd_db_bind_int64 (insert, 3, at);
  bnd_db_bind_text (insert, 4, actor);
  bnd_db_bind_text (insert, 5, action);
  bnd_db_bind_text (insert, 6, detail);
  bnd_db_bind_text (insert, 7, prev);
  bnd_db_bind_text (insert, 8, hash);
  bnd_db_bind_text (update, 1, dossier);
  bnd_db_bind_int64 (update, 2, n);
  bnd_db_bind_text (update, 3, hash);
  bnd_db_bind_text (update, 4, signature);   /* NULL binds NULL */
  if (bnd_db_step (insert) != BND_DB_DONE || bnd_db_step (update) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

/* Sets the stage; the revision goes up so that every client syncs it. The caller holds a
 * transaction and has checked that the move is allowed. */
gboolean
bnd_server_db_write_stage (BndServerDb    *self,
                           const BndUser  *user,
                           const char     *uuid,
                           const char     *stage,
                           GError        **error)
{
  g_autoptr(BndDbStmt) update = NULL;

  if (!(update = bnd_server_db_prepare (self, "UPDATE records SET stage = ?2, revision = revision + 1, seq = ?3, "
                                              "updated_by = ?4, updated = ?5 WHERE uuid = ?1", error)))
    return FALSE;
  bnd_db_bind_text (update, 1, uuid);
  bnd_db_bind_text (update, 2, stage);
  bnd_db_bind_int64 (update, 3, bnd_server_db_next_seq (self));
  bnd_db_bind_text (update, 4, user->name);
  bnd_db_bind_int64 (update, 5, g_get_real_time () / G_USEC_PER_SEC);
  if (bnd_db_step (update) != BND_DB_DONE)
    return bnd_server_db_sql_error (self, error);
  return TRUE;
}

static BndAuditEntry *
entry_from_row (BndDbStmt *stmt)
{
  BndAuditEntry *entry = g_new0 (BndAuditEntry, 1);

  entry->n = bnd_db_column_int64 (stmt, 0);
  entry->at = bnd_db_column_int64 (stmt, 1);
  entry->actor = g_strdup (bnd_db_column_text (stmt, 2));
  entry->action = g_strdup (bnd_db_column_text (stmt, 3));
  entry->detail = g_strdup (bnd_db_column_text (stmt, 4));
  entry->prev = g_strdup (bnd_db_column_text (stmt, 5));
  entry->hash = g_strdup (bnd_db_column_text (stmt, 6));
  return entry;
}

/* The dossier's trail, oldest first. */
GPtrArray *
bnd_server_db_audit (BndServerDb *self,
                     const char  *uuid)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT n, at, actor, action, detail, prev, hash FROM audit WHERE dossier = ?1 ORDER BY n", NULL);
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify)bnd_audit_entry_free);

  if (stmt == NULL)
    return entries;
  bnd_db_bind_text (stmt, 1, uuid);
  while (bnd_db_step (stmt) == BND_DB_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  return entries;
}

/* The last entry read must be the one the head recorded, or the tail was removed; with a key,
 * the head must carry its signature, or the chain was rewritten, hashes and head included. */
static void
check_chain_end (BndServerDb *self,
                 GPtrArray   *problems,
                 const char  *dossier,
                 gint64       last_n,
                 const char  *last_hash,
                 gint64       head_n,
                 const char  *head_hash,
                 const char  *head_signature)
{
  g_autofree char *expected = NULL;

  if (dossier == NULL)
    return;
  if (head_n != last_n || g_strcmp0 (head_hash, last_hash) != 0)
    g_ptr_array_add (problems, g_strdup_printf (_("%s: the trail ends at entry %lld but recorded %lld entries"),
                                                dossier, (long long)last_n, (long long)head_n));
  if (!self->has_audit_key || head_n < 0)
    return;
  expected = sign_head (self, dossier, head_n, head_hash);
  if (head_signature == NULL)
    g_ptr_array_add (problems, g_strdup_printf (_("%s: the trail's head is not signed"), dossier));
  else if (strlen (head_signature) != strlen (expected) ||
           sodium_memcmp (head_signature, expected, strlen (expected)) != 0)
    g_ptr_array_add (problems, g_strdup_printf (_("%s: the trail's head does not carry the audit key's "
                                                  "signature: the trail was rewritten or cut short"),
                                                dossier));
}

/**
 * bnd_server_db_verify_audit:
 * @n_checked: (out): how many entries were checked
 *
 * Recomputes every chain. Returns one translated line per problem: an altered entry, a gap, an
 * entry that does not follow the one before, or a chain shorter than its recorded head.
 */
GPtrArray *
bnd_server_db_verify_audit (BndServerDb *self,
                            guint       *n_checked)
{
  g_autoptr(BndDbStmt) stmt =
    bnd_server_db_prepare (self, "SELECT coalesce (a.dossier, h.dossier), a.n, a.at, a.actor, a.action, a.detail, a.prev, a.hash, "
                                 "h.n, h.hash, h.signature FROM audit AS a LEFT JOIN audit_head AS h ON h.dossier = a.dossier "
                                 "UNION ALL SELECT h.dossier, NULL, NULL, NULL, NULL, NULL, NULL, NULL, h.n, h.hash, "
                                 "h.signature "
                                 "FROM audit_head AS h WHERE NOT EXISTS (SELECT 1 FROM audit WHERE dossier = h.dossier) "
                                 "ORDER BY 1, 2", NULL);
  GPtrArray *problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dossier = NULL;
  g_autofree char *prev_hash = NULL;
  gint64 expected = 1;
  gint64 head_n = 0;
  g_autofree char *head_hash = NULL;
  g_autofree char *head_signature = NULL;

  *n_checked = 0;
  if (stmt == NULL)
    {
      g_ptr_array_add (problems, g_strdup (_("The audit trail cannot be read")));
      return problems;
    }

  while (bnd_db_step (stmt) == BND_DB_ROW)
    {
      const char *row_dossier = bnd_db_column_text (stmt, 0);
      gint64 n;
      g_autofree char *hash = NULL;

      if (g_strcmp0 (row_dossier, dossier) != 0)
        {
          check_chain_end (self, problems, dossier, expected - 1, prev_hash, head_n, head_hash, head_signature);
          g_free (dossier);
          dossier = g_strdup (row_dossier);
          g_free (prev_hash);
          prev_hash = g_strdup (BND_AUDIT_GENESIS);
          expected = 1;
          head_n = bnd_db_column_is_null (stmt, 8) ? -1 : bnd_db_column_int64 (stmt, 8);
          g_free (head_hash);
          head_hash = g_strdup (bnd_db_column_text (stmt, 9));
          g_free (head_signature);
          head_signature = g_strdup (bnd_db_column_text (stmt, 10));
        }
      if (bnd_db_column_is_null (stmt, 1))
        continue;   /* a head without entries */

      n = bnd_db_column_int64 (stmt, 1);
      (*n_checked)++;
      if (n != expected)
        g_ptr_array_add (problems, g_strdup_printf (_("%s: entry %lld is missing"), dossier, (long long)expected));
      if (g_strcmp0 (bnd_db_column_text (stmt, 6), prev_hash) != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("%s: entry %lld does not follow the entry before it"),
                                                    dossier, (long long)n));
      hash = bnd_audit_hash (bnd_db_column_text (stmt, 6), dossier, n, bnd_db_column_int64 (stmt, 2),
                         bnd_db_column_text (stmt, 3), bnd_db_column_text (stmt, 4),
                         bnd_db_column_text (stmt, 5));
      if (g_strcmp0 (hash, bnd_db_column_text (stmt, 7)) != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("%s: entry %lld was altered"), dossier, (long long)n));
      g_free (prev_hash);
      prev_hash = g_strdup (bnd_db_column_text (stmt, 7));
      expected = n + 1;
    }
  check_chain_end (self, problems, dossier, expected - 1, prev_hash, head_n, head_hash, head_signature);

  return problems;
}

/**
 * bnd_server_db_sign_audit_heads:
 * @n_signed: (out): how many heads were signed
 *
 * Signs every chain head that has no signature yet: those written before the key was configured.
 * The caller has checked that every chain holds. Heads with a signature, even a wrong one, are
 * left alone: a wrong signature is what shows a rewritten chain.
 */
gboolean
bnd_server_db_sign_audit_heads (BndServerDb  *self,
                                guint        *n_signed,
                                GError      **error)
{
  g_autoptr(BndDbStmt) select = NULL;
  g_autoptr(BndDbStmt) update = NULL;
  int rc;

  g_return_val_if_fail (self->has_audit_key, FALSE);

  *n_signed = 0;
  if (!bnd_server_db_begin (self, error))
    return FALSE;
  if (!(select = bnd_server_db_prepare (self, "SELECT dossier, n, hash FROM audit_head WHERE signature IS NULL", error)) ||
      !(update = bnd_server_db_prepare (self, "UPDATE audit_head SET signature = ?2 WHERE dossier = ?1", error)))
    goto failed;
  while ((rc = bnd_db_step (select)) == BND_DB_ROW)
    {
      const char *dossier = bnd_db_column_text (select, 0);
      g_autofree char *signature = sign_head (self, dossier, bnd_db_column_int64 (select, 1),
                                              bnd_db_column_text (select, 2));

      bnd_db_reset (update);
      bnd_db_bind_text_copy (update, 1, dossier);
      bnd_db_bind_text_copy (update, 2, signature);
      if (bnd_db_step (update) != BND_DB_DONE)
        {
          bnd_server_db_sql_error (self, error);
          goto failed;
        }
      (*n_signed)++;
    }
  if (rc != BND_DB_DONE)
    {
      bnd_server_db_sql_error (self, error);
      goto failed;
    }
  g_clear_pointer (&select, bnd_server_db_release);
  g_clear_pointer (&update, bnd_server_db_release);
  if (!bnd_server_db_commit (self, error))
    goto failed;
  return TRUE;

failed:
  bnd_server_db_rollback (self);
  return FALSE;
}

void
bnd_audit_entry_free (BndAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->detail);
  g_free (entry->prev);
  g_free (entry->hash);
  g_free (entry);
}
