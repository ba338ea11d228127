/* yun-cloud-api.h: what the JSON APIs of yun-cloud's app back ends share:
 * errors, paging, bounded bodies and who is calling
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "yun-cloud-db.h"
#include "yun-cloud-job.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define YUN_CLOUD_API_ERROR (yun_cloud_api_error_quark ())

/**
 * YunCloudApiError:
 * @YUN_CLOUD_API_ERROR_BAD_REQUEST: a parameter or the body is malformed or
 *   out of range (400)
 * @YUN_CLOUD_API_ERROR_UNAUTHORIZED: the route needs a user and the request
 *   names none, or its credentials were rejected (401)
 * @YUN_CLOUD_API_ERROR_NOT_FOUND: no such route or object (404)
 * @YUN_CLOUD_API_ERROR_METHOD_NOT_ALLOWED: the route exists but not with
 *   this method (405)
 * @YUN_CLOUD_API_ERROR_CONFLICT: the request is well formed but the
 *   object's state refuses it: a sold-out or ended deal (409)
 * @YUN_CLOUD_API_ERROR_TOO_LARGE: the body is larger than the route
 *   accepts (413)
 * @YUN_CLOUD_API_ERROR_UNSUPPORTED_MEDIA_TYPE: the body is not of a type
 *   the route accepts (415)
 * @YUN_CLOUD_API_ERROR_TOO_MANY: the user holds as many of something as
 *   one may (429)
 * @YUN_CLOUD_API_ERROR_GONE: the object is past its time: an ended deal
 *   (410)
 *
 * Why a request was refused; each code is one HTTP status.  The error
 * body is always `{"error": NAME, "reason": MESSAGE}`, where NAME is the
 * code's short name (see yun_cloud_api_error_name ()) unless a route gives
 * a more precise one.
 */
typedef enum {
  YUN_CLOUD_API_ERROR_BAD_REQUEST,
  YUN_CLOUD_API_ERROR_UNAUTHORIZED,
  YUN_CLOUD_API_ERROR_NOT_FOUND,
  YUN_CLOUD_API_ERROR_METHOD_NOT_ALLOWED,
  YUN_CLOUD_API_ERROR_CONFLICT,
  YUN_CLOUD_API_ERROR_TOO_LARGE,
  YUN_CLOUD_API_ERROR_UNSUPPORTED_MEDIA_TYPE,
  YUN_CLOUD_API_ERROR_TOO_MANY,
  YUN_CLOUD_API_ERROR_GONE,
} YunCloudApiError;

GQuark yun_cloud_api_error_quark (void);

/* Lists answer this many items unless asked, and never more than the
 * maximum; an offset beyond the maximum is refused rather than scanned. */
#define YUN_CLOUD_API_DEFAULT_LIMIT 20
#define YUN_CLOUD_API_MAX_LIMIT     100
#define YUN_CLOUD_API_MAX_OFFSET    10000
/* The largest JSON body any route accepts. */
#define YUN_CLOUD_API_MAX_JSON_BODY (64 * 1024)
/* The largest body of any kind (a photo). */
#define YUN_CLOUD_API_MAX_BODY      (8 * 1024 * 1024)
/* The deepest JSON body. */
#define YUN_CLOUD_API_MAX_JSON_DEPTH 16
/* The longest search text, in bytes. */
#define YUN_CLOUD_API_MAX_QUERY     200

/* STAND-IN, until every client signs in: a request without credentials
 * may name its user in this header.  Nothing checks it; it is for
 * development, tests and the web apps running in a plain browser.  A
 * request with an Authorization header is always authenticated instead. */
#define YUN_CLOUD_API_USER_HEADER   "X-Yun-User"
#define YUN_CLOUD_API_MAX_USER      64

/* Verifies an Authorization header and returns the user's name; set by
 * the owner when the accounts API is there.  Called on a worker thread. */
typedef char *(*YunCloudIdentifyFunc) (GObject     *identifier,
                                       const char  *authorization,
                                       GError     **error);

/**
 * YunCloudApiContext:
 * @db: the back end's database
 * @files_dir: the back end's folder for files (packages, photos)
 * @jobs: the owner's jobs in flight
 * @identifier: (nullable): what @identify verifies credentials with
 * @identify: (nullable): verifies an Authorization header
 *
 * What one back end's routes need, owned by #YunCloudApps.
 */
typedef struct {
  YunCloudDb           *db;
  char                 *files_dir;
  GHashTable           *jobs;
  GObject              *identifier;
  YunCloudIdentifyFunc  identify;
} YunCloudApiContext;

/**
 * YunCloudApiRequest:
 * @db: the database, referenced for as long as the request lives
 * @files_dir: the back end's folder for files
 * @segments: the path below `/api/<app>/`, split at slashes
 * @n_segments: how many
 * @user_header: (nullable): the stand-in user header
 * @identifier: (nullable): as in #YunCloudApiContext, referenced
 * @identify: (nullable): as in #YunCloudApiContext
 *
 * What a worker thread needs to answer one request; the job's data.
 */
typedef struct {
  YunCloudDb           *db;
  char                 *files_dir;
  char                **segments;
  guint                 n_segments;
  char                 *user_header;
  GObject              *identifier;
  YunCloudIdentifyFunc  identify;

  /*< private >*/
  gpointer              func;
} YunCloudApiRequest;

/* Answers @job on a worker thread; a %FALSE return sends @error. */
typedef gboolean (*YunCloudApiFunc) (YunCloudJob         *job,
                                     YunCloudApiRequest  *request,
                                     GError             **error);

const char *yun_cloud_api_error_name      (const GError        *error);
void        yun_cloud_api_respond_gerror  (SoupServerMessage   *msg,
                                           const GError        *error);
void        yun_cloud_api_job_set_gerror  (YunCloudJob         *job,
                                           const GError        *error);

gboolean    yun_cloud_api_check_method    (SoupServerMessage   *msg,
                                           const char          *allowed,
                                           GError             **error);

void        yun_cloud_api_run             (YunCloudApiContext  *context,
                                           SoupServerMessage   *msg,
                                           GHashTable          *query,
                                           char               **segments,
                                           YunCloudApiFunc      func);

gboolean    yun_cloud_api_parse_int       (const char          *text,
                                           const char          *name,
                                           gint64               min,
                                           gint64               max,
                                           gint64              *out,
                                           GError             **error);
gboolean    yun_cloud_api_parse_double    (const char          *text,
                                           const char          *name,
                                           double               min,
                                           double               max,
                                           double              *out,
                                           GError             **error);
gboolean    yun_cloud_api_query_int       (YunCloudJob         *job,
                                           const char          *name,
                                           gint64               min,
                                           gint64               max,
                                           gint64               fallback,
                                           gint64              *out,
                                           GError             **error);
gboolean    yun_cloud_api_get_paging      (YunCloudJob         *job,
                                           guint               *limit,
                                           guint               *offset,
                                           GError             **error);
gboolean    yun_cloud_api_get_text        (YunCloudJob         *job,
                                           const char          *name,
                                           gsize                max_length,
                                           const char         **out,
                                           GError             **error);
char       *yun_cloud_api_fts_query       (const char          *text);
gboolean    yun_cloud_api_is_id           (const char          *text,
                                           gsize                max_length);

JsonObject *yun_cloud_api_read_object     (YunCloudJob         *job,
                                           GError             **error);
gboolean    yun_cloud_api_member_int      (JsonObject          *object,
                                           const char          *name,
                                           gboolean             required,
                                           gint64               min,
                                           gint64               max,
                                           gint64              *out,
                                           GError             **error);
gboolean    yun_cloud_api_member_text     (JsonObject          *object,
                                           const char          *name,
                                           gsize                max_chars,
                                           const char         **out,
                                           GError             **error);

char       *yun_cloud_api_get_user        (YunCloudJob         *job,
                                           YunCloudApiRequest  *request,
                                           GError             **error);

JsonObject *yun_cloud_api_new_page        (JsonArray           *items,
                                           guint                limit,
                                           guint                offset,
                                           gboolean             more);
void        yun_cloud_api_set_page        (YunCloudJob         *job,
                                           JsonArray           *items,
                                           guint                limit,
                                           guint                offset,
                                           gboolean             more);
char       *yun_cloud_api_iso_time        (gint64               unix_seconds);

G_END_DECLS
