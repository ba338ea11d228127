/* yun-photos-api.c: navigator.yun.photos, on the YunPhotos service.
 *
 * A photo's image is never sent through the bridge: each photo the app
 * gets carries a yun-blob: URL granted to that app alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-photos-api.h"

#include "yun-personal-api.h"
#include "yun-photos.h"

/* Adds the photo's URL for the calling app. */
static void
add_url (YunPersonalJob *job,
         JsonObject     *photo)
{
  g_autofree char *url = yun_blob_grants_grant (job->blobs, job->app_id, "photo",
                                                json_object_get_string_member (photo, "id"));

  json_object_set_string_member (photo, "url", url);
}

/**
 * yun_photos_api_with_url:
 * @job: the call's job
 * @photo: (transfer full) (nullable): a photo from the photos service
 *
 * Returns: (transfer full) (nullable): @photo as a node with the URL of
 *   its image for the calling app
 */
JsonNode *
yun_photos_api_with_url (YunPersonalJob *job,
                         JsonObject     *photo)
{
  if (photo != NULL)
    add_url (job, photo);
  return yun_personal_api_object_node (photo);
}

static JsonNode *
list_work (YunPersonalJob  *job,
           GError         **error)
{
  JsonArray *photos = yun_photos_list (job->service, yun_personal_api_get_time (job->args, "before"),
                                       (guint) json_object_get_int_member_with_default (job->args, "limit", 0),
                                       error);

  for (guint i = 0; photos != NULL && i < json_array_get_length (photos); i++)
    add_url (job, json_array_get_object_element (photos, i));
  return yun_personal_api_array_node (photos);
}

static JsonNode *
get_work (YunPersonalJob  *job,
          GError         **error)
{
  return yun_photos_api_with_url (job, yun_photos_get (job->service,
                                                       json_object_get_string_member (job->args, "id"),
                                                       error));
}

static JsonNode *
remove_work (YunPersonalJob  *job,
             GError         **error)
{
  if (!yun_photos_remove (job->service, json_object_get_string_member (job->args, "id"),
                          json_object_get_string_member_with_default (job->args, "rev", NULL), error))
    return NULL;
  return yun_personal_api_boolean_node (TRUE);
}

YUN_PERSONAL_API_HANDLER (photos_list, "photos", list_work)
YUN_PERSONAL_API_HANDLER (photos_get, "photos", get_work)
YUN_PERSONAL_API_HANDLER (photos_remove, "photos", remove_work)

const YunBridgeMethod yun_photos_api[] = {
  { "photos", "list", photos_list },
  { "photos", "get", photos_get },
  { "photos", "remove", photos_remove },
  { NULL, NULL, NULL },
};
