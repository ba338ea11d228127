/* test-photos.c: the photo library on the personal store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-photos.h"
#include "yun-test-personal.h"

/* One transparent pixel. */
static const char png_base64[] =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/* A JPEG's start: SOI, a JFIF APP0, and a baseline frame header saying
 * 160 x 120. */
static const guint8 jpeg_head[] = {
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x78, 0x00, 0xa0, 0x03, 0x01,
  0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
};

typedef struct {
  YunTestPersonal personal;
  YunPhotos *photos;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  yun_test_personal_set_up (&f->personal);
  f->photos = yun_photos_new (f->personal.index, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->photos);
  yun_test_personal_tear_down (&f->personal);
}

static GBytes *
png_bytes (void)
{
  gsize size;
  guchar *data = g_base64_decode (png_base64, &size);

  return g_bytes_new_take (data, size);
}

static JsonObject *
add (Fixture    *f,
     GBytes     *image,
     const char *metadata)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) meta = metadata != NULL ? yun_test_json_object (metadata) : NULL;
  JsonObject *photo = yun_photos_add (f->photos, image, NULL, meta, &error);

  g_assert_no_error (error);
  return photo;
}

static void
test_add_png (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) png = png_bytes ();
  g_autoptr(JsonObject) photo = add (f, png, "{\"taken\": 1700000000000, \"location\":"
                                             " {\"latitude\": 39.9, \"longitude\": 116.4}}");
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GBytes) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  gint64 length;
  const char *id = json_object_get_string_member (photo, "id");

  g_assert_cmpint (json_object_get_int_member (photo, "width"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (photo, "height"), ==, 1);
  got = yun_photos_get (f->photos, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (got, "content_type"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (got, "length"), ==, g_bytes_get_size (png));
  g_assert_cmpint (json_object_get_int_member (got, "taken"), ==, 1700000000000);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (got, "location"),
                                                    "longitude"), ==, 116.4);
  g_assert_false (json_object_has_member (got, "_attachments"));

  stream = yun_photos_open_image (f->photos, id, &content_type, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (content_type, ==, "image/png");
  read = g_input_stream_read_bytes (stream, length + 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read, png));
}

static void
test_add_jpeg_size (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) jpeg = g_bytes_new_static (jpeg_head, sizeof jpeg_head);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) photo = yun_photos_add (f->photos, jpeg, "image/jpeg", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (photo, "width"), ==, 160);
  g_assert_cmpint (json_object_get_int_member (photo, "height"), ==, 120);
  g_assert_cmpint (json_object_get_int_member (photo, "taken"), >, 0);
}

static void
test_add_invalid (Fixture       *f,
                  gconstpointer  data)
{
  static const guint8 no_frame[] = { 0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9 };
  static const guint8 bad_length[] = { 0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff, 0x00 };
  static const char gif[] = "GIF89a\x01\x00\x01\x00";
  static const char html[] = "<html><script>alert(1)</script>";
  static const struct {
    const char *metadata;
    const char *path;
  } bad_metadata[] = {
    { "{\"taken\": \"today\"}", "photo.taken:" },
    { "{\"taken\": -5}", "photo.taken:" },
    { "{\"width\": 5}", "photo:" },
    { "{\"location\": [1, 2]}", "photo.location:" },
    { "{\"location\": {\"latitude\": 91, \"longitude\": 0}}", "photo.location.latitude:" },
    { "{\"location\": {\"latitude\": 0, \"longitude\": -180.5}}", "photo.location.longitude:" },
    { "{\"location\": {\"latitude\": 0}}", "photo.location.longitude:" },
    { "{\"location\": {\"latitude\": 0, \"longitude\": 0, \"altitude\": 3}}", "photo.location:" },
  };
  struct {
    gconstpointer data;
    gsize size;
  } bad_images[] = {
    { no_frame, sizeof no_frame }, { bad_length, sizeof bad_length },
    { gif, sizeof gif - 1 }, { html, sizeof html - 1 }, { "", 0 },
  };
  g_autoptr(GBytes) png = png_bytes ();
  g_autoptr(GBytes) huge = g_bytes_new_take (g_malloc0 (YUN_PHOTOS_MAX_IMAGE + 1),
                                             YUN_PHOTOS_MAX_IMAGE + 1);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_images); i++) {
    g_autoptr(GBytes) image = g_bytes_new_static (bad_images[i].data, bad_images[i].size);
    g_autoptr(GError) image_error = NULL;

    g_assert_null (yun_photos_add (f->photos, image, NULL, NULL, &image_error));
    yun_test_assert_invalid (image_error, "photo.image:");
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad_metadata); i++) {
    g_autoptr(JsonObject) meta = yun_test_json_object (bad_metadata[i].metadata);
    g_autoptr(GError) meta_error = NULL;

    g_test_message ("%s", bad_metadata[i].metadata);
    g_assert_null (yun_photos_add (f->photos, png, NULL, meta, &meta_error));
    yun_test_assert_invalid (meta_error, bad_metadata[i].path);
  }
  g_assert_null (yun_photos_add (f->photos, png, "image/jpeg", NULL, &error));
  yun_test_assert_invalid (error, "photo.content_type:");
  g_clear_error (&error);
  g_assert_null (yun_photos_add (f->photos, huge, NULL, NULL, &error));
  yun_test_assert_invalid (error, "photo.image:");
  g_assert_cmpuint (yun_test_count_docs (f->personal.store, "photos"), ==, 0);
}

static void
test_list_and_remove (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) png = png_bytes ();
  g_autoptr(JsonObject) old = add (f, png, "{\"taken\": 1000}");
  g_autoptr(JsonObject) recent = add (f, png, "{\"taken\": 3000}");
  g_autoptr(JsonObject) middle = add (f, png, "{\"taken\": 2000}");
  g_autoptr(JsonArray) all = NULL;
  g_autoptr(JsonArray) page = NULL;
  g_autoptr(JsonArray) left = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = json_object_get_string_member (recent, "id");

  g_assert_nonnull (old);

  all = yun_photos_list (f->photos, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (all), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (all, 0), "id"),
                   ==, id);
  page = yun_photos_list (f->photos, 3000, 1, &error);
  g_assert_cmpuint (json_array_get_length (page), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (page, 0), "id"),
                   ==, json_object_get_string_member (middle, "id"));

  g_assert_true (yun_photos_remove (f->photos, id, NULL, &error));
  g_assert_no_error (error);
  left = yun_photos_list (f->photos, 0, 0, &error);
  g_assert_cmpuint (json_array_get_length (left), ==, 2);
  g_assert_null (yun_photos_open_image (f->photos, id, NULL, NULL, &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (yun_photos_get (f->photos, "_design/x", &error));
  g_assert_error (error, YUN_PERSONAL_DATA_ERROR, YUN_PERSONAL_DATA_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/yun/services/photos/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("add/png", test_add_png);
  ADD ("add/jpeg-size", test_add_jpeg_size);
  ADD ("add/invalid", test_add_invalid);
  ADD ("list-and-remove", test_list_and_remove);
#undef ADD

  return g_test_run ();
}
