/* yun-cloud-cors.h: cross-origin access to yun-cloud's APIs, configured
 * like CouchDB's [cors] section
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define YUN_CLOUD_CORS_ERROR (yun_cloud_cors_error_quark ())

/**
 * YunCloudCorsError:
 * @YUN_CLOUD_CORS_ERROR_INVALID_ORIGIN: an origin is neither `*` nor an
 *   http or https origin such as `https://example.com:8443`
 * @YUN_CLOUD_CORS_ERROR_INVALID_TOKEN: a method or header name is not an
 *   HTTP token
 *
 * Why a CORS configuration was refused.
 */
typedef enum {
  YUN_CLOUD_CORS_ERROR_INVALID_ORIGIN,
  YUN_CLOUD_CORS_ERROR_INVALID_TOKEN,
} YunCloudCorsError;

/* CouchDB's defaults. */
#define YUN_CLOUD_CORS_DEFAULT_METHODS "GET, HEAD, POST, PUT, DELETE, COPY"
#define YUN_CLOUD_CORS_DEFAULT_HEADERS \
  "accept, accept-language, authorization, content-type, expires, last-modified, pragma, " \
  "origin, content-length, if-match, if-none-match, destination, x-requested-with, " \
  "x-http-method-override, x-couchdb-www-authenticate, x-couch-persist, x-couch-id, " \
  "x-couch-full-commit"
#define YUN_CLOUD_CORS_EXPOSED_HEADERS \
  "content-type, cache-control, accept-ranges, etag, server, x-couch-request-id, " \
  "x-couch-update-newrev, x-couchdb-body-time"
#define YUN_CLOUD_CORS_DEFAULT_MAX_AGE 600

GQuark yun_cloud_cors_error_quark (void);

typedef struct _YunCloudCors YunCloudCors;

YunCloudCors *yun_cloud_cors_new       (const char         *origins,
                                        const char         *methods,
                                        const char         *headers,
                                        gboolean            credentials,
                                        guint               max_age,
                                        GError            **error);
void          yun_cloud_cors_free      (YunCloudCors       *cors);
gboolean      yun_cloud_cors_preflight (YunCloudCors       *cors,
                                        SoupServerMessage  *msg);
void          yun_cloud_cors_decorate  (YunCloudCors       *cors,
                                        SoupServerMessage  *msg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunCloudCors, yun_cloud_cors_free)

G_END_DECLS
