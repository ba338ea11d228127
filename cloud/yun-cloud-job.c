/* yun-cloud-job.c: one HTTP request of yun-cloud's JSON APIs, answered
 * from a worker thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "yun-cloud-job.h"

#include <string.h>

static void
on_message_disconnected (SoupServerMessage *msg,
                         gpointer           user_data)
{
  YunCloudJob *job = user_data;

  g_debug ("Client went away, dropping its request for %s",
           g_uri_get_path (soup_server_message_get_uri (msg)));
  g_cancellable_cancel (job->cancellable);
}

static char *
dup_header (SoupMessageHeaders *headers,
            const char         *name)
{
  return g_strdup (soup_message_headers_get_one (headers, name));
}

/**
 * yun_cloud_job_new:
 * @msg: the request, which is paused until the job responds
 * @query: (nullable) (element-type utf8 utf8): its decoded query, as given
 *   to the server handler
 * @registry: the owner's set of jobs in flight; the job is in it until it
 *   is freed, so that the owner can cancel it when disposed
 *
 * Returns: (transfer full): a job holding copies of what a worker needs
 *   from @msg
 */
YunCloudJob *
yun_cloud_job_new (SoupServerMessage *msg,
                   GHashTable        *query,
                   GHashTable        *registry)
{
  YunCloudJob *job = g_new0 (YunCloudJob, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  job->msg = g_object_ref (msg);
  job->method = soup_server_message_get_method (msg);
  job->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query != NULL) {
    GHashTableIter iter;
    gpointer key;
    gpointer value;

    g_hash_table_iter_init (&iter, query);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_hash_table_insert (job->query, g_strdup (key), g_strdup (value));
  }
  job->body = body != NULL ? soup_message_body_flatten (body) : g_bytes_new (NULL, 0);
  job->authorization = dup_header (headers, "Authorization");
  job->content_type = dup_header (headers, "Content-Type");
  job->accept = dup_header (headers, "Accept");
  job->if_match = dup_header (headers, "If-Match");
  job->reply_headers = g_ptr_array_new_with_free_func (g_free);
  job->cancellable = g_cancellable_new ();
  job->disconnected_id = g_signal_connect (msg, "disconnected",
                                           G_CALLBACK (on_message_disconnected), job);
  job->registry = registry;
  g_hash_table_add (registry, job);

  soup_server_message_pause (msg);

  return job;
}

void
yun_cloud_job_free (YunCloudJob *job)
{
  if (job == NULL)
    return;

  if (job->registry != NULL)
    g_hash_table_remove (job->registry, job);

  if (job->data_free != NULL)
    job->data_free (job->data);

  g_clear_signal_handler (&job->disconnected_id, job->msg);
  g_clear_object (&job->msg);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->query, g_hash_table_unref);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_clear_pointer (&job->reply, g_bytes_unref);
  g_clear_pointer (&job->reply_headers, g_ptr_array_unref);
  g_free (job->authorization);
  g_free (job->content_type);
  g_free (job->accept);
  g_free (job->if_match);
  g_free (job->reply_type);
  g_free (job);
}

/* Gives the job route-specific @data, freed with the job. */
void
yun_cloud_job_set_data (YunCloudJob    *job,
                        gpointer        data,
                        GDestroyNotify  data_free)
{
  g_assert (job->data == NULL);

  job->data = data;
  job->data_free = data_free;
}

gpointer
yun_cloud_job_get_data (YunCloudJob *job)
{
  return job->data;
}

GCancellable *
yun_cloud_job_get_cancellable (YunCloudJob *job)
{
  return job->cancellable;
}

gboolean
yun_cloud_job_is_cancelled (YunCloudJob *job)
{
  return g_cancellable_is_cancelled (job->cancellable);
}

/* Called by the owner when it goes away: the job forgets the registry, so
 * that freeing it later does not touch the owner, and is never answered. */
void
yun_cloud_job_cancel (YunCloudJob *job)
{
  job->registry = NULL;
  g_cancellable_cancel (job->cancellable);
}

/**
 * yun_cloud_job_cancel_all:
 * @registry: an owner's set of jobs in flight
 *
 * Cancels every job in @registry, as yun_cloud_job_cancel() does; the
 * owner then frees the set.
 */
void
yun_cloud_job_cancel_all (GHashTable *registry)
{
  GHashTableIter iter;
  gpointer job;

  /* Cancelling does not change the set, so it can be walked meanwhile. */
  g_hash_table_iter_init (&iter, registry);
  while (g_hash_table_iter_next (&iter, &job, NULL))
    yun_cloud_job_cancel (job);
}

typedef struct {
  YunCloudJob         *job;
  YunCloudJobFunc      func;
  YunCloudJobDoneFunc  done;
  gpointer             user_data;
} RunData;

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = task_data;

  if (!g_cancellable_is_cancelled (cancellable))
    run->func (run->job, run->job->data, cancellable);

  g_task_return_boolean (task, TRUE);
}

static void
on_run_ready (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RunData *run = g_task_get_task_data (G_TASK (result));
  YunCloudJob *job = run->job;

  /* The client or the owner went away: answer nobody, touch nothing. */
  if (yun_cloud_job_is_cancelled (job)) {
    yun_cloud_job_free (job);
    return;
  }

  if (run->done != NULL)
    run->done (job, run->user_data);
  else
    yun_cloud_job_respond (job);
}

/**
 * yun_cloud_job_run:
 * @job: (transfer full): a job
 * @func: what to do on a worker thread
 * @done: (nullable): what to do on the main thread afterwards; %NULL to
 *   send the answer @func set
 * @user_data: for @done
 *
 * Runs @func on a worker thread, then @done on the main thread.  The job
 * belongs to them until @done, which owns it; a cancelled job is freed
 * without calling @done.
 *
 * The task has no source object on purpose: the owner must not be
 * finalized on a worker thread because a request was still running.
 */
void
yun_cloud_job_run (YunCloudJob         *job,
                   YunCloudJobFunc      func,
                   YunCloudJobDoneFunc  done,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, job->cancellable, on_run_ready, NULL);
  RunData *run = g_new0 (RunData, 1);

  run->job = job;
  run->func = func;
  run->done = done;
  run->user_data = user_data;

  g_task_set_source_tag (task, yun_cloud_job_run);
  g_task_set_task_data (task, run, g_free);
  g_task_run_in_thread (task, run_thread);
}

/**
 * yun_cloud_job_respond:
 * @job: (transfer full): a job whose response is set
 *
 * Sends the response and frees the job.  A job without a status answers
 * 500.
 */
void
yun_cloud_job_respond (YunCloudJob *job)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (job->msg);

  if (job->status == 0)
    yun_cloud_job_set_error (job, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                             "The request was not answered");

  soup_server_message_set_status (job->msg, job->status, NULL);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "must-revalidate");
  for (guint i = 0; i + 1 < job->reply_headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (job->reply_headers, i),
                                  g_ptr_array_index (job->reply_headers, i + 1));

  if (job->method == SOUP_METHOD_HEAD) {
    /* No body, but the length it would have. */
    if (job->reply != NULL)
      soup_message_headers_set_content_length (headers, g_bytes_get_size (job->reply));
    if (job->reply_type != NULL)
      soup_message_headers_replace (headers, "Content-Type", job->reply_type);
  } else if (job->reply != NULL) {
    soup_message_headers_replace (headers, "Content-Type",
                                  job->reply_type != NULL ? job->reply_type
                                                          : "application/octet-stream");
    /* libsoup refuses an empty chunk; an empty body is empty as is. */
    if (g_bytes_get_size (job->reply) > 0)
      soup_message_body_append_bytes (soup_server_message_get_response_body (job->msg),
                                      job->reply);
  }

  soup_server_message_unpause (job->msg);
  yun_cloud_job_free (job);
}

/* Gets a query parameter, or %NULL. */
const char *
yun_cloud_job_get_query (YunCloudJob *job,
                         const char  *name)
{
  return g_hash_table_lookup (job->query, name);
}

/**
 * yun_cloud_json_to_bytes:
 * @node: a JSON value
 *
 * Returns: (transfer full): @node as compact JSON text followed by a
 *   newline, as CouchDB answers
 */
GBytes *
yun_cloud_json_to_bytes (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GString) text = NULL;

  json_generator_set_root (generator, node);
  text = json_generator_to_gstring (generator, g_string_new (NULL));
  g_string_append_c (text, '\n');

  return g_string_free_to_bytes (g_steal_pointer (&text));
}

void
yun_cloud_job_set_json (YunCloudJob *job,
                        guint        status,
                        JsonNode    *node)
{
  job->status = status;
  g_clear_pointer (&job->reply, g_bytes_unref);
  job->reply = yun_cloud_json_to_bytes (node);
  g_free (job->reply_type);
  job->reply_type = g_strdup ("application/json");
}

void
yun_cloud_job_set_object (YunCloudJob *job,
                          guint        status,
                          JsonObject  *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  yun_cloud_job_set_json (job, status, node);
}

/* Sets a CouchDB error answer: {"error": @error, "reason": @reason}. */
void
yun_cloud_job_set_error (YunCloudJob *job,
                         guint        status,
                         const char  *error,
                         const char  *reason)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "reason", reason);
  yun_cloud_job_set_object (job, status, object);
}

void
yun_cloud_job_set_bytes (YunCloudJob *job,
                         guint        status,
                         const char  *content_type,
                         GBytes      *bytes)
{
  job->status = status;
  g_clear_pointer (&job->reply, g_bytes_unref);
  job->reply = g_bytes_ref (bytes);
  g_free (job->reply_type);
  job->reply_type = g_strdup (content_type);
}

void
yun_cloud_job_add_header (YunCloudJob *job,
                          const char  *name,
                          const char  *value)
{
  g_ptr_array_add (job->reply_headers, g_strdup (name));
  g_ptr_array_add (job->reply_headers, g_strdup (value));
}

/**
 * yun_cloud_respond_error:
 * @msg: a request on the main thread
 * @status: an HTTP status
 * @error: CouchDB's error name, such as `not_found`
 * @reason: what was wrong, for people
 *
 * Answers @msg at once with a CouchDB error body.
 */
void
yun_cloud_respond_error (SoupServerMessage *msg,
                         guint              status,
                         const char        *error,
                         const char        *reason)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize size;
  gconstpointer data;

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "reason", reason);
  node = json_node_init_object (json_node_alloc (), object);
  bytes = yun_cloud_json_to_bytes (node);
  data = g_bytes_get_data (bytes, &size);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "must-revalidate");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, size);
}
