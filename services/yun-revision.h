/* yun-revision.h: CouchDB revision ids and the winning-revision rule.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest hash part accepted from a replication peer.  CouchDB and
 * PouchDB write 32 hex digits, Couchbase Lite 40. */
#define YUN_REVISION_MAX_HASH 64

/**
 * YunRevision:
 * @pos: the revision's generation, the N in `N-hash`, counted from 1
 * @hash: the part after the dash
 * @deleted: whether the revision is a tombstone
 *
 * One leaf of a document's revision tree, as the winner rule sees it.
 */
typedef struct {
  guint       pos;
  const char *hash;
  gboolean    deleted;
} YunRevision;

gboolean  yun_revision_parse         (const char        *rev,
                                      guint             *pos,
                                      const char       **hash);
gboolean  yun_revision_hash_is_valid (const char        *hash);
char     *yun_revision_format        (guint              pos,
                                      const char        *hash);
char     *yun_revision_compute_hash  (const char        *parent_rev,
                                      gboolean           deleted,
                                      const char        *body,
                                      gsize              body_length,
                                      const char        *attachments);
int       yun_revision_compare       (const YunRevision *a,
                                      const YunRevision *b);

G_END_DECLS
