/* yun-camera-api.c: navigator.yun.camera.
 *
 * takePicture() hands the user the shell's viewfinder (a YunPictureTaker
 * service); the picture the user takes goes into the photo library and
 * the app gets it as a Photo with a URL only it can load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-camera-api.h"

#include "yun-photos-api.h"
#include "yun-photos.h"
#include "yun-picture-taker.h"

#define DEFAULT_QUALITY 0.92

typedef struct {
  YunBridge *bridge;
  YunBridgeCall *call;
  char *app_id;
} Taking;

static void
taking_free (Taking *taking)
{
  g_object_unref (taking->bridge);
  g_free (taking->app_id);
  g_free (taking);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  YunPersonalJob *job = task_data;
  GBytes *picture = g_object_get_data (G_OBJECT (task), "picture");
  YunPosition *position = g_object_get_data (G_OBJECT (task), "position");
  g_autoptr(JsonObject) metadata = NULL;
  GError *error = NULL;
  JsonObject *photo;

  /* The library keeps where the picture was taken, as its EXIF does. */
  if (position != NULL) {
    JsonObject *location = json_object_new ();

    json_object_set_double_member (location, "latitude", position->latitude);
    json_object_set_double_member (location, "longitude", position->longitude);
    metadata = json_object_new ();
    json_object_set_object_member (metadata, "location", location);
  }
  photo = yun_photos_add (job->service, picture, "image/jpeg", metadata, &error);

  if (photo == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, yun_photos_api_with_url (job, photo),
                           (GDestroyNotify) json_node_unref);
}

static void
job_free (YunPersonalJob *job)
{
  g_object_unref (job->service);
  g_free (job->app_id);
  g_object_unref (job->blobs);
  g_free (job);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  YunBridgeCall *call = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *photo = g_task_propagate_pointer (G_TASK (result), &error);

  if (photo != NULL)
    yun_bridge_call_return_value (call, photo);
  else
    yun_bridge_call_return_error (call, g_error_new (YUN_BRIDGE_ERROR,
                                                     YUN_BRIDGE_ERROR_INVALID_STATE,
                                                     "camera.takePicture: could not keep the "
                                                     "picture: %s", error->message));
}

static void
on_taken (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Taking *taking = user_data;
  g_autoptr(GBytes) picture = NULL;
  g_autoptr(YunPosition) position = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  YunPersonalJob *job;

  picture = yun_picture_taker_take_finish (YUN_PICTURE_TAKER (source), result, &position, &error);
  if (picture == NULL) {
    gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

    yun_bridge_call_return_error (taking->call,
                                  g_error_new (YUN_BRIDGE_ERROR,
                                               cancelled ? YUN_BRIDGE_ERROR_ABORT
                                                         : YUN_BRIDGE_ERROR_INVALID_STATE,
                                               "camera.takePicture: %s",
                                               cancelled ? "the user cancelled" : error->message));
    taking_free (taking);
    return;
  }

  job = g_new0 (YunPersonalJob, 1);
  job->service = g_object_ref (yun_bridge_get_service (taking->bridge, "photos"));
  job->app_id = g_strdup (taking->app_id);
  job->blobs = g_object_ref (yun_bridge_get_blob_grants (taking->bridge));
  task = g_task_new (NULL, NULL, on_stored, taking->call);
  g_task_set_source_tag (task, on_taken);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_object_set_data_full (G_OBJECT (task), "picture", g_steal_pointer (&picture),
                          (GDestroyNotify) g_bytes_unref);
  if (position != NULL)
    g_object_set_data_full (G_OBJECT (task), "position", g_steal_pointer (&position),
                            (GDestroyNotify) yun_position_free);
  g_task_run_in_thread (task, store_thread);
  taking_free (taking);
}

static void
camera_take_picture (YunBridge             *bridge,
                     const YunBridgeCaller *caller,
                     YunBridgeRequest      *request,
                     YunBridgeCall         *call)
{
  YunPictureTaker *taker = yun_bridge_get_service (bridge, "picture-taker");
  YunPictureRequest picture = {
    .app_id = caller->app_id,
    .app_name = yun_manifest_get_short_name (caller->manifest),
    .max_width = (int) json_object_get_int_member_with_default (request->args, "maxWidth", 0),
    .max_height = (int) json_object_get_int_member_with_default (request->args, "maxHeight", 0),
    .quality = json_object_get_double_member_with_default (request->args, "quality",
                                                           DEFAULT_QUALITY),
    /* The position goes into the picture only for an app the user lets
     * know it. */
    .with_location = yun_permission_gate_query (yun_bridge_get_gate (bridge), caller->app_id,
                                                caller->manifest, "location") ==
                     YUN_PERMISSION_STATE_GRANTED,
  };
  Taking *taking;

  if (taker == NULL) {
    yun_bridge_call_return_error (call, g_error_new_literal (YUN_BRIDGE_ERROR,
                                                             YUN_BRIDGE_ERROR_NOT_SUPPORTED,
                                                             "camera.takePicture: this phone "
                                                             "has no viewfinder"));
    return;
  }
  if (yun_bridge_get_service (bridge, "photos") == NULL) {
    yun_bridge_call_return_error (call, g_error_new_literal (YUN_BRIDGE_ERROR,
                                                             YUN_BRIDGE_ERROR_INVALID_STATE,
                                                             "camera.takePicture: the photo "
                                                             "library is not open"));
    return;
  }

  taking = g_new0 (Taking, 1);
  taking->bridge = g_object_ref (bridge);
  taking->call = call;
  taking->app_id = g_strdup (caller->app_id);
  yun_picture_taker_take_async (taker, &picture, yun_bridge_call_get_cancellable (call), on_taken,
                                taking);
}

const YunBridgeMethod yun_camera_api[] = {
  { "camera", "takePicture", camera_take_picture },
  { NULL, NULL, NULL },
};
