/* yun-blob-grants.h: which app may load which binary item by URL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The scheme of the URLs that yun_blob_grants_grant() hands out. */
#define YUN_BLOB_SCHEME "yun-blob"
/* Grants kept; the oldest go first beyond this. */
#define YUN_BLOB_GRANTS_MAX 10000

#define YUN_TYPE_BLOB_GRANTS (yun_blob_grants_get_type ())
G_DECLARE_FINAL_TYPE (YunBlobGrants, yun_blob_grants, YUN, BLOB_GRANTS, GObject)

YunBlobGrants *yun_blob_grants_new    (void);
char          *yun_blob_grants_grant  (YunBlobGrants  *self,
                                       const char     *app_id,
                                       const char     *kind,
                                       const char     *id);
char          *yun_blob_grants_lookup (YunBlobGrants  *self,
                                       const char     *app_id,
                                       const char     *url,
                                       char          **kind);

G_END_DECLS
