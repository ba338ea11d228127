/* yun-test-cloud.h: the real yun-cloud binary as a process of its own, on
 * a loopback port, with one user signed in, for sync tests that kill it,
 * restart it on the same data, or put a breaking proxy in front of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The user every YunTestCloud has, signed in. */
#define YUN_TEST_CLOUD_USER     "phone"
#define YUN_TEST_CLOUD_PASSWORD "correct horse battery staple"

typedef struct _YunTestCloud YunTestCloud;

YunTestCloud *yun_test_cloud_start     (GError       **error);
const char   *yun_test_cloud_get_url   (YunTestCloud  *cloud);
const char   *yun_test_cloud_get_token (YunTestCloud  *cloud);
JsonNode     *yun_test_cloud_request   (YunTestCloud  *cloud,
                                        const char    *method,
                                        const char    *path,
                                        const char    *body,
                                        guint         *status);
void          yun_test_cloud_kill      (YunTestCloud  *cloud);
void          yun_test_cloud_restart   (YunTestCloud  *cloud);
void          yun_test_cloud_stop      (YunTestCloud  *cloud);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunTestCloud, yun_test_cloud_stop)

G_END_DECLS
