/* yun-revision.c: CouchDB revision ids and the winning-revision rule.
 *
 * A revision id is `N-hash`: N is the revision's depth in its document's
 * tree (1 for the first edit) and the hash names the edit.  Replication
 * peers only compare hashes for equality, so any deterministic function
 * will do; ours is in yun_revision_compute_hash().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-revision.h"

#include <stdlib.h>
#include <string.h>

/**
 * yun_revision_hash_is_valid:
 * @hash: the part of a revision id after the dash
 *
 * Checks the hash part of a revision id: 1 to %YUN_REVISION_MAX_HASH
 * ASCII letters and digits.  Ours are 32 lowercase hex digits; peers'
 * may differ in length, and the winner rule compares them as strings.
 *
 * Returns: whether @hash is acceptable
 */
gboolean
yun_revision_hash_is_valid (const char *hash)
{
  gsize i;

  g_return_val_if_fail (hash != NULL, FALSE);

  for (i = 0; hash[i] != '\0'; i++) {
    if (i >= YUN_REVISION_MAX_HASH || !g_ascii_isalnum (hash[i]))
      return FALSE;
  }

  return i > 0;
}

/**
 * yun_revision_parse:
 * @rev: a revision id such as `3-1c7e2f...`
 * @pos: (out) (optional): the generation
 * @hash: (out) (optional) (transfer none): the hash part, pointing into @rev
 *
 * Splits a revision id.  The generation is a decimal number from 1 to
 * %G_MAXINT without leading zeros.
 *
 * Returns: whether @rev is a valid revision id
 */
gboolean
yun_revision_parse (const char  *rev,
                    guint       *pos,
                    const char **hash)
{
  guint64 n = 0;
  const char *p;

  g_return_val_if_fail (rev != NULL, FALSE);

  if (rev[0] < '1' || rev[0] > '9')
    return FALSE;

  for (p = rev; g_ascii_isdigit (*p); p++) {
    n = n * 10 + (guint64) (*p - '0');
    if (n > G_MAXINT)
      return FALSE;
  }

  if (*p != '-' || !yun_revision_hash_is_valid (p + 1))
    return FALSE;

  if (pos != NULL)
    *pos = (guint) n;
  if (hash != NULL)
    *hash = p + 1;

  return TRUE;
}

/**
 * yun_revision_format:
 * @pos: the generation
 * @hash: the hash part
 *
 * Joins a generation and a hash into a revision id.
 *
 * Returns: (transfer full): the revision id
 */
char *
yun_revision_format (guint       pos,
                     const char *hash)
{
  g_return_val_if_fail (hash != NULL, NULL);

  return g_strdup_printf ("%u-%s", pos, hash);
}

/**
 * yun_revision_compute_hash:
 * @parent_rev: (nullable): the revision id this edit is based on
 * @deleted: whether the edit deletes the document
 * @body: (array length=body_length): the document's JSON body without
 *   its special `_` members
 * @body_length: the length of @body in bytes
 * @attachments: (nullable): a description of the revision's attachments
 *   that changes whenever their names, types or contents change
 *
 * Computes the hash part of a new revision id, deterministically: the
 * same edit of the same parent gives the same id on every device, so two
 * phones that make an identical change do not see a conflict.  The hash
 * is MD5 (32 hex digits, like CouchDB's) over, in order: the parent's
 * revision id (empty for a first revision), a newline, "1" or "0" for
 * @deleted, a newline, the body's length in decimal, a newline, the body,
 * then @attachments.  The length prefix keeps the boundary between the
 * body and the attachments unambiguous.
 *
 * Returns: (transfer full): 32 lowercase hex digits
 */
char *
yun_revision_compute_hash (const char *parent_rev,
                           gboolean    deleted,
                           const char *body,
                           gsize       body_length,
                           const char *attachments)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);
  char prefix[64];
  int n;

  g_return_val_if_fail (body != NULL || body_length == 0, NULL);

  if (parent_rev != NULL)
    g_checksum_update (checksum, (const guchar *) parent_rev, strlen (parent_rev));
  n = g_snprintf (prefix, sizeof prefix, "\n%c\n%" G_GSIZE_FORMAT "\n",
                  deleted ? '1' : '0', body_length);
  g_checksum_update (checksum, (const guchar *) prefix, n);
  g_checksum_update (checksum, (const guchar *) body, body_length);
  if (attachments != NULL)
    g_checksum_update (checksum, (const guchar *) attachments, strlen (attachments));

  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * yun_revision_compare:
 * @a: a leaf revision
 * @b: another leaf revision
 *
 * Orders leaf revisions the way CouchDB picks a document's winner: a
 * revision that is not deleted beats a tombstone, then the higher
 * generation (the longer edit path) wins, then the hash that sorts later
 * byte by byte.  Every replica applies the same rule to the same tree and
 * so shows the same winner without talking to the others.
 *
 * Returns: a negative number when @a wins over @b, positive when @b wins,
 *   0 when they are the same revision
 */
int
yun_revision_compare (const YunRevision *a,
                      const YunRevision *b)
{
  int by_hash;

  g_return_val_if_fail (a != NULL && b != NULL, 0);

  if (a->deleted != b->deleted)
    return a->deleted ? 1 : -1;
  if (a->pos != b->pos)
    return a->pos > b->pos ? -1 : 1;

  by_hash = strcmp (a->hash, b->hash);
  return by_hash > 0 ? -1 : by_hash < 0 ? 1 : 0;
}
