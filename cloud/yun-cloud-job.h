/* yun-cloud-job.h: one HTTP request of yun-cloud's JSON APIs, answered
 * from a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _YunCloudJob YunCloudJob;

/* Runs on a worker thread: reads the request fields of @job and sets its
 * response with yun_cloud_job_set_*. */
typedef void (*YunCloudJobFunc) (YunCloudJob  *job,
                                 gpointer      data,
                                 GCancellable *cancellable);

/* Runs on the main thread once the worker is done, unless the job was
 * cancelled.  It owns @job: it either sends the answer with
 * yun_cloud_job_respond () or keeps the job for later. */
typedef void (*YunCloudJobDoneFunc) (YunCloudJob *job,
                                     gpointer     user_data);

/**
 * YunCloudJob:
 * @method: the request's method, interned by libsoup
 * @query: (element-type utf8 utf8): the decoded query parameters; empty
 *   when there are none
 * @body: the request body, empty when there is none
 * @authorization: (nullable): the `Authorization` header
 * @content_type: (nullable): the `Content-Type` header
 * @accept: (nullable): the `Accept` header
 * @if_match: (nullable): the `If-Match` header
 * @status: the response's status; 0 until a worker sets one
 * @reply: (nullable): the response body
 * @reply_type: (nullable): its media type
 * @reply_headers: extra response headers, name and value in turn
 *
 * A request whose answer needs the disk, copied so that a worker thread
 * can read it: the message itself stays paused on the main thread and is
 * only touched there.  The client going away, or the owner being disposed,
 * cancels the job; from then on its message is never answered.
 */
struct _YunCloudJob {
  const char *method;
  GHashTable *query;
  GBytes     *body;
  char       *authorization;
  char       *content_type;
  char       *accept;
  char       *if_match;

  guint       status;
  GBytes     *reply;
  char       *reply_type;
  GPtrArray  *reply_headers;

  /*< private >*/
  SoupServerMessage *msg;
  GCancellable      *cancellable;
  gulong             disconnected_id;
  GHashTable        *registry;
  gpointer           data;
  GDestroyNotify     data_free;
};

YunCloudJob  *yun_cloud_job_new              (SoupServerMessage   *msg,
                                              GHashTable          *query,
                                              GHashTable          *registry);
void          yun_cloud_job_free             (YunCloudJob         *job);
void          yun_cloud_job_set_data         (YunCloudJob         *job,
                                              gpointer             data,
                                              GDestroyNotify       data_free);
gpointer      yun_cloud_job_get_data         (YunCloudJob         *job);
GCancellable *yun_cloud_job_get_cancellable  (YunCloudJob         *job);
gboolean      yun_cloud_job_is_cancelled     (YunCloudJob         *job);
void          yun_cloud_job_cancel           (YunCloudJob         *job);
void          yun_cloud_job_cancel_all       (GHashTable          *registry);

void          yun_cloud_job_run              (YunCloudJob         *job,
                                              YunCloudJobFunc      func,
                                              YunCloudJobDoneFunc  done,
                                              gpointer             user_data);
void          yun_cloud_job_respond          (YunCloudJob         *job);

const char   *yun_cloud_job_get_query        (YunCloudJob         *job,
                                              const char          *name);
void          yun_cloud_job_set_json         (YunCloudJob         *job,
                                              guint                status,
                                              JsonNode            *node);
void          yun_cloud_job_set_object       (YunCloudJob         *job,
                                              guint                status,
                                              JsonObject          *object);
void          yun_cloud_job_set_error        (YunCloudJob         *job,
                                              guint                status,
                                              const char          *error,
                                              const char          *reason);
void          yun_cloud_job_set_bytes        (YunCloudJob         *job,
                                              guint                status,
                                              const char          *content_type,
                                              GBytes              *bytes);
void          yun_cloud_job_add_header       (YunCloudJob         *job,
                                              const char          *name,
                                              const char          *value);

GBytes       *yun_cloud_json_to_bytes        (JsonNode            *node);
void          yun_cloud_respond_error        (SoupServerMessage   *msg,
                                              guint                status,
                                              const char          *error,
                                              const char          *reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (YunCloudJob, yun_cloud_job_free)

G_END_DECLS
