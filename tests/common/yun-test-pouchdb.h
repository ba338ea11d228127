/* yun-test-pouchdb.h: a real pouchdb-server (npm), in memory, on a free
 * loopback port, as a third-party replication peer for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _YunTestPouchdb YunTestPouchdb;

YunTestPouchdb *yun_test_pouchdb_start   (GError         **error);
const char     *yun_test_pouchdb_get_url (YunTestPouchdb  *server);
void            yun_test_pouchdb_stop    (YunTestPouchdb  *server);

JsonNode       *yun_test_http_json       (const char      *method,
                                          const char      *url,
                                          const char      *body,
                                          guint           *status);
JsonNode       *yun_test_http_json_as    (const char      *method,
                                          const char      *url,
                                          const char      *authorization,
                                          const char      *body,
                                          guint           *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunTestPouchdb, yun_test_pouchdb_stop)

G_END_DECLS
