/* yun-photos.c: the photo library, on the personal document store.
 *
 * A photo is a small document (when and where it was taken, its size in
 * pixels) with the image as its attachment, which the store keeps as a
 * file of its own named by its SHA-256.  Document and image are written in
 * one put, so a photo is never there without its picture.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-photos.h"

#include "yun-personal-data-private.h"

#include <string.h>

#define DB YUN_PERSONAL_DB_PHOTOS
#define IMAGE "image"

struct _YunPhotos
{
  GObject parent_instance;

  YunPersonalIndex *index;
  YunDocStore *store;
};

G_DEFINE_FINAL_TYPE (YunPhotos, yun_photos, G_TYPE_OBJECT)

static const char * const image_types[] = { "image/jpeg", "image/png", NULL };

static JsonObject *
photo_from_doc (JsonObject *doc)
{
  JsonObject *photo = yun_pd_from_doc (doc);
  JsonNode *atts = json_object_get_member (doc, "_attachments");
  JsonNode *image = atts != NULL && JSON_NODE_HOLDS_OBJECT (atts)
                    ? json_object_get_member (json_node_get_object (atts), IMAGE) : NULL;

  if (image != NULL && JSON_NODE_HOLDS_OBJECT (image)) {
    JsonObject *stub = json_node_get_object (image);

    json_object_set_string_member (photo, "content_type",
                                   json_object_get_string_member_with_default (stub, "content_type",
                                                                               ""));
    json_object_set_int_member (photo, "length",
                                json_object_get_int_member_with_default (stub, "length", 0));
  }
  return photo;
}

static void
yun_photos_finalize (GObject *object)
{
  YunPhotos *self = YUN_PHOTOS (object);

  g_clear_object (&self->index);

  G_OBJECT_CLASS (yun_photos_parent_class)->finalize (object);
}

static void
yun_photos_class_init (YunPhotosClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yun_photos_finalize;
}

static void
yun_photos_init (YunPhotos *self)
{
}

/**
 * yun_photos_new:
 * @index: the personal index, and through it the personal store
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the photo library, its database made when
 *   missing, or %NULL with @error set
 */
YunPhotos *
yun_photos_new (YunPersonalIndex  *index,
                GError           **error)
{
  g_autoptr(YunPhotos) self = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (index), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!yun_pd_ensure_db (yun_personal_index_get_store (index), DB, error))
    return NULL;
  self = g_object_new (YUN_TYPE_PHOTOS, NULL);
  self->index = g_object_ref (index);
  self->store = yun_personal_index_get_store (index);
  return g_steal_pointer (&self);
}

static gboolean
read_location (JsonNode    *node,
               JsonObject  *body,
               GError     **error)
{
  static const char * const members[] = { "latitude", "longitude", NULL };
  g_autoptr(JsonObject) location = json_object_new ();
  JsonObject *given;
  double latitude;
  double longitude;

  if (!yun_pd_read_object (node, "photo.location", &given, error) ||
      !yun_pd_check_members (given, "photo.location", members, error) ||
      !yun_pd_read_double (yun_pd_member (given, "latitude"), "photo.location.latitude", -90, 90,
                           &latitude, error) ||
      !yun_pd_read_double (yun_pd_member (given, "longitude"), "photo.location.longitude", -180,
                           180, &longitude, error))
    return FALSE;
  json_object_set_double_member (location, "latitude", latitude);
  json_object_set_double_member (location, "longitude", longitude);
  json_object_set_object_member (body, "location", g_steal_pointer (&location));
  return TRUE;
}

/**
 * yun_photos_add:
 * @self: a #YunPhotos
 * @image: a JPEG or PNG image of at most %YUN_PHOTOS_MAX_IMAGE bytes
 * @content_type: (nullable): what the caller says @image is; when given,
 *   it must be what the bytes are
 * @metadata: (nullable): `{"taken", "location"}`, both optional
 * @error: return location for a #YunPersonalDataError
 *
 * Adds a photo to the library.  Its width and height are read from the
 * image, which must say them in its header.
 *
 * Returns: (transfer full): the photo as stored, or %NULL with @error set
 */
JsonObject *
yun_photos_add (YunPhotos    *self,
                GBytes       *image,
                const char   *content_type,
                JsonObject   *metadata,
                GError      **error)
{
  static const char * const members[] = { "taken", "location", NULL };
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) atts = json_object_new ();
  g_autoptr(JsonObject) saved = NULL;
  JsonNode *node;
  const char *type;
  gint64 taken = g_get_real_time () / 1000;
  guint width;
  guint height;

  g_return_val_if_fail (YUN_IS_PHOTOS (self), NULL);
  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!yun_pd_read_image (image, "photo.image", YUN_PHOTOS_MAX_IMAGE, image_types, &type, &width,
                          &height, error))
    return NULL;
  if (content_type != NULL && g_ascii_strcasecmp (content_type, type) != 0) {
    g_set_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_INVALID,
                 "photo.content_type: the image is %s, not %s", type,
                 g_utf8_validate (content_type, -1, NULL) ? content_type : "?");
    return NULL;
  }
  if (metadata != NULL) {
    if (!yun_pd_check_members (metadata, "photo", members, error))
      return NULL;
    node = yun_pd_member (metadata, "taken");
    if (node != NULL && !yun_pd_read_time (node, "photo.taken", &taken, error))
      return NULL;
    node = yun_pd_member (metadata, "location");
    if (node != NULL && !read_location (node, body, error))
      return NULL;
  }

  json_object_set_int_member (body, "taken", taken);
  json_object_set_int_member (body, "width", width);
  json_object_set_int_member (body, "height", height);
  json_object_set_object_member (atts, IMAGE, yun_pd_inline_attachment (image, type));
  json_object_set_object_member (body, "_attachments", g_steal_pointer (&atts));

  saved = yun_pd_put (self->index, DB, body, NULL, NULL, error);
  if (saved == NULL)
    return NULL;
  json_object_set_string_member (saved, "content_type", type);
  json_object_set_int_member (saved, "length", g_bytes_get_size (image));
  return g_steal_pointer (&saved);
}

/**
 * yun_photos_get:
 * @self: a #YunPhotos
 * @id: a photo's id
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the photo's metadata, or %NULL with @error set
 */
JsonObject *
yun_photos_get (YunPhotos    *self,
                const char   *id,
                GError      **error)
{
  g_return_val_if_fail (YUN_IS_PHOTOS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return yun_pd_get (self->store, DB, id, photo_from_doc, error);
}

/**
 * yun_photos_open_image:
 * @self: a #YunPhotos
 * @id: a photo's id
 * @content_type: (out) (optional) (transfer full): the image's media type
 * @length: (out) (optional): its size in bytes
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): a stream of the image, or %NULL with @error
 *   set
 */
GInputStream *
yun_photos_open_image (YunPhotos    *self,
                       const char   *id,
                       char        **content_type,
                       gint64       *length,
                       GError      **error)
{
  g_autoptr(JsonObject) doc = NULL;
  GError *local_error = NULL;
  GInputStream *stream;

  g_return_val_if_fail (YUN_IS_PHOTOS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Reading the document first turns ids no photo can have into
   * NotFound, and a deleted photo into NotFound rather than its image. */
  doc = yun_pd_get_doc (self->store, DB, id, error);
  if (doc == NULL)
    return NULL;
  stream = yun_doc_store_open_attachment (self->store, DB, id,
                                          json_object_get_string_member (doc, "_rev"), IMAGE,
                                          content_type, length, &local_error);
  if (stream == NULL)
    yun_pd_store_error (error, local_error);
  return stream;
}

/**
 * yun_photos_remove:
 * @self: a #YunPhotos
 * @id: a photo's id
 * @rev: (nullable): the revision the caller read; %NULL for the current
 * @error: return location for a #YunPersonalDataError
 *
 * Removes a photo.  Its image file goes with the store's next garbage
 * collection, unless another photo has the same bytes.
 *
 * Returns: %TRUE when the photo was removed
 */
gboolean
yun_photos_remove (YunPhotos    *self,
                   const char   *id,
                   const char   *rev,
                   GError      **error)
{
  g_return_val_if_fail (YUN_IS_PHOTOS (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return yun_pd_remove (self->index, DB, id, rev, error);
}

/**
 * yun_photos_list:
 * @self: a #YunPhotos
 * @before: only photos taken before this time; 0 for no bound
 * @limit: the most photos; 0 for the default
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the photos' metadata, the latest taken first,
 *   or %NULL with @error set
 */
JsonArray *
yun_photos_list (YunPhotos    *self,
                 gint64        before,
                 guint         limit,
                 GError      **error)
{
  g_return_val_if_fail (YUN_IS_PHOTOS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return yun_pd_list (self->index, DB, NULL, before, limit, photo_from_doc, error);
}
