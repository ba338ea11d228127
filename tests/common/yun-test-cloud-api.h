/* yun-test-cloud-api.h: a real yun-cloud in the test process, and HTTP
 * requests to its JSON APIs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-cloud-server.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * YunTestCloud:
 * @tmp_dir: the test's folder, removed by yun_test_cloud_free ()
 * @data_dir: the cloud's data folder in it
 * @server: yun-cloud on 127.0.0.1, a free port
 * @session: an HTTP session of the main thread
 * @url: the base URL, with a trailing slash
 */
typedef struct {
  char           *tmp_dir;
  char           *data_dir;
  YunCloudServer *server;
  SoupSession    *session;
  const char     *url;
} YunTestCloud;

/**
 * YunTestResponse:
 * @status: the HTTP status
 * @headers: the response headers
 * @body: the body
 * @json: (nullable): the body parsed, if it is JSON
 */
typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
  JsonNode           *json;
} YunTestResponse;

YunTestCloud    *yun_test_cloud_new           (const char      *webapps_dir);
void             yun_test_cloud_free          (YunTestCloud    *cloud);

YunTestResponse *yun_test_cloud_request       (YunTestCloud    *cloud,
                                               const char      *method,
                                               const char      *path,
                                               const char      *user,
                                               const char      *content_type,
                                               const void      *body,
                                               gssize           length);
YunTestResponse *yun_test_cloud_get           (YunTestCloud    *cloud,
                                               const char      *path);
YunTestResponse *yun_test_cloud_send_json     (YunTestCloud    *cloud,
                                               const char      *method,
                                               const char      *path,
                                               const char      *user,
                                               const char      *json);
YunTestResponse *yun_test_cloud_request_raw   (YunTestCloud    *cloud,
                                               const char      *request);
void             yun_test_response_free       (YunTestResponse *response);

JsonObject      *yun_test_response_object     (YunTestResponse *response,
                                               guint            status);
void             yun_test_response_assert_error (YunTestResponse *response,
                                                 guint            status,
                                                 const char      *error);
JsonArray       *yun_test_page_items          (YunTestResponse *response);

guint            yun_test_cloud_count         (YunTestCloud    *cloud,
                                               const char      *db,
                                               const char      *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunTestCloud, yun_test_cloud_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunTestResponse, yun_test_response_free)

G_END_DECLS
