/* yun-personal-api.c: what the personal-data namespaces share: their work
 * runs in a worker thread on one service, and service errors become the
 * DOMExceptions pages can act on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-personal-api.h"

#include "yun-doc-store.h"
#include "yun-personal-data.h"

typedef struct {
  YunPersonalJob job;
  YunPersonalWork work;
  char *label;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->job.service);
  json_object_unref (job->job.args);
  g_free (job->job.app_id);
  g_object_unref (job->job.blobs);
  g_free (job->label);
  g_free (job);
}

static void
work_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  JsonNode *result = job->work (&job->job, &error);

  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) json_node_unref);
}

/* A service's error as the DOMException a page can act on. */
static GError *
page_error (const char   *label,
            const GError *error)
{
  int code = YUN_BRIDGE_ERROR_INVALID_STATE;

  if (g_error_matches (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID) ||
      g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_BAD_REQUEST))
    code = YUN_BRIDGE_ERROR_DATA;
  else if (g_error_matches (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND) ||
           g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_NOT_FOUND))
    code = YUN_BRIDGE_ERROR_NOT_FOUND;
  else if (g_error_matches (error, YUN_DOC_STORE_ERROR, YUN_DOC_STORE_ERROR_TOO_LARGE))
    code = YUN_BRIDGE_ERROR_QUOTA_EXCEEDED;
  else if (error->domain == YUN_BRIDGE_ERROR)
    code = error->code;

  return g_error_new (YUN_BRIDGE_ERROR, code, "%s: %s", label, error->message);
}

static void
on_work_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  YunBridgeCall *call = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  JsonNode *value;

  value = g_task_propagate_pointer (G_TASK (result), &error);
  if (value != NULL)
    yun_bridge_call_return_value (call, value);
  else
    yun_bridge_call_return_error (call, page_error (job->label, error));
}

/**
 * yun_personal_api_run:
 * @bridge: the bridge
 * @caller: who calls
 * @request: the call
 * @call: answered with @work's result or error
 * @service_name: the bridge service @work needs (yun_bridge_get_service())
 * @work: what to do, in a worker thread
 *
 * Runs a personal-data call off the main thread.
 */
void
yun_personal_api_run (YunBridge             *bridge,
                      const YunBridgeCaller *caller,
                      YunBridgeRequest      *request,
                      YunBridgeCall         *call,
                      const char            *service_name,
                      YunPersonalWork        work)
{
  gpointer service = yun_bridge_get_service (bridge, service_name);
  g_autofree char *label = g_strconcat (request->api, ".", request->method, NULL);
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (service == NULL) {
    yun_bridge_call_return_error (call, g_error_new (YUN_BRIDGE_ERROR,
                                                     YUN_BRIDGE_ERROR_INVALID_STATE,
                                                     "%s: the phone's %s are not open", label,
                                                     service_name));
    return;
  }

  job = g_new0 (Job, 1);
  job->job.service = g_object_ref (service);
  job->job.args = json_object_ref (request->args);
  job->job.app_id = g_strdup (caller->app_id);
  job->job.blobs = g_object_ref (yun_bridge_get_blob_grants (bridge));
  job->work = work;
  job->label = g_steal_pointer (&label);
  /* No source object: the call, not the bridge, waits for the answer. */
  task = g_task_new (NULL, NULL, on_work_done, call);
  g_task_set_source_tag (task, yun_personal_api_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, work_thread);
}

/**
 * yun_personal_api_object_node:
 * @object: (transfer full) (nullable): a result object
 *
 * Returns: (transfer full) (nullable): @object as a node, %NULL for %NULL
 */
JsonNode *
yun_personal_api_object_node (JsonObject *object)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

/**
 * yun_personal_api_array_node:
 * @array: (transfer full) (nullable): a result array
 *
 * Returns: (transfer full) (nullable): @array as a node, %NULL for %NULL
 */
JsonNode *
yun_personal_api_array_node (JsonArray *array)
{
  JsonNode *node;

  if (array == NULL)
    return NULL;
  node = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  return node;
}

/**
 * yun_personal_api_boolean_node:
 * @value: a result
 *
 * Returns: (transfer full): @value as a node
 */
JsonNode *
yun_personal_api_boolean_node (gboolean value)
{
  return json_node_init_boolean (json_node_alloc (), value);
}

/**
 * yun_personal_api_get_time:
 * @args: validated arguments
 * @name: a time argument, milliseconds since the epoch
 *
 * Returns: the time, or 0 when it is not given
 */
gint64
yun_personal_api_get_time (JsonObject *args,
                           const char *name)
{
  return json_object_has_member (args, name)
    ? (gint64) json_object_get_double_member (args, name) : 0;
}
