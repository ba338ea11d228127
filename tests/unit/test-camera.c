/* test-camera.c: the camera service, on GStreamer's test source.
 *
 * Photos are checked by decoding them back with GStreamer (jpegdec) and
 * reading their EXIF with
 * GStreamer's tag library.  In perf mode (-m perf) it also times
 * captures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include <gst/app/app.h>
#include <gst/gst.h>
#include <gst/tag/tag.h>
#include <gst/video/video.h>
#include <math.h>
#include <string.h>

#include "yun-camera-private.h"
#include "yun-camera.h"
#include "yun-test-loop.h"

#define GUARD_SECONDS 60

/* GLib leaks its first quark table on purpose when GStreamer's quarks
 * outgrow it (other threads may still be reading it).  That block was
 * allocated while GLib loaded: with full stacks, LeakSanitizer can tell
 * it from a real leak.  Only sanitizer builds call these. */
const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:_dl_init\n";
}

typedef struct {
  GBytes *jpeg;
  int width;
  int height;
  GError *error;
  gboolean done;
} Photo;

static void
photo_clear (Photo *photo)
{
  g_clear_pointer (&photo->jpeg, g_bytes_unref);
  g_clear_error (&photo->error);
  photo->done = FALSE;
}

static void
on_capture_ready (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Photo *photo = user_data;

  photo->jpeg = yun_camera_capture_finish (YUN_CAMERA (source), result,
                                           &photo->width, &photo->height, &photo->error);
  photo->done = TRUE;
}

static void
capture (YunCamera                     *camera,
         const YunCameraCaptureOptions *options,
         GCancellable                  *cancellable,
         Photo                         *photo)
{
  yun_camera_capture_async (camera, options, cancellable, on_capture_ready, photo);
  yun_test_run_until (&photo->done, GUARD_SECONDS);
}

static YunCamera *
test_camera (void)
{
  g_autoptr(GError) error = NULL;
  YunCamera *camera = yun_camera_new ("test", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (yun_camera_get_source (camera), ==, "test");
  return camera;
}

/* The photo decoded to grey by jpegdec: checks its size, and returns the
 * standard deviation of its pixels (0 for a blank picture). */
static double
decoded_spread (GBytes *jpeg,
                int     width,
                int     height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (
    "appsrc name=source caps=image/jpeg ! jpegdec ! videoconvert ! "
    "video/x-raw,format=GRAY8 ! appsink name=sink sync=false", &error);
  g_autoptr(GstElement) source = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstSample) grey = NULL;
  GstVideoInfo info;
  GstVideoFrame frame;
  double sum = 0, squares = 0, n = (double) width * height;

  g_assert_no_error (error);
  source = gst_bin_get_by_name (GST_BIN (pipeline), "source");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (source), gst_buffer_new_wrapped_bytes (jpeg)),
                   ==, GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (source));
  grey = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND);
  g_assert_nonnull (grey);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (grey)));
  g_assert_cmpint (GST_VIDEO_INFO_WIDTH (&info), ==, width);
  g_assert_cmpint (GST_VIDEO_INFO_HEIGHT (&info), ==, height);
  g_assert_true (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (grey), GST_MAP_READ));
  for (int y = 0; y < height; y++) {
    const guint8 *row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0) +
                        y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

    for (int x = 0; x < width; x++) {
      sum += row[x];
      squares += (double) row[x] * row[x];
    }
  }
  gst_video_frame_unmap (&frame);
  return sqrt (squares / n - (sum / n) * (sum / n));
}

/* The EXIF of a JPEG as GStreamer tags, or NULL when it has none. */
static GstTagList *
read_exif (GBytes *jpeg)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  gsize at = 2;

  g_assert_cmpuint (size, >, 4);
  g_assert_true (data[0] == 0xff && data[1] == 0xd8);
  while (at + 4 <= size && data[at] == 0xff && data[at + 1] != 0xda) {
    gsize length = (data[at + 2] << 8) | data[at + 3];

    g_assert_cmpuint (at + 2 + length, <=, size);
    if (data[at + 1] == 0xe1 && length > 8 && memcmp (data + at + 4, "Exif\0\0", 6) == 0) {
      g_autoptr(GstBuffer) tiff = gst_buffer_new_memdup (data + at + 10, length - 8);

      return gst_tag_list_from_exif_buffer_with_tiff_header (tiff);
    }
    at += 2 + length;
  }
  return NULL;
}

static void
test_unknown_source (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunCamera) camera = yun_camera_new ("webcam9", &error);

  g_assert_null (camera);
  g_assert_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "webcam9"));
}

/* The developer session's sources: a named test pattern, a picture file;
 * a pattern or a file that is not there is refused when picked. */
static void
test_developer_sources (void)
{
  const char * const refused[] = { "test:no-such-pattern", "image:/nonexistent/picture.png",
                                   "image", "v4l2:/dev/video0" };
  g_autoptr(GError) error = NULL;
  g_autoptr(YunCamera) ball = yun_camera_new ("test:ball", &error);
  g_autofree char *dir = g_dir_make_tmp ("yun-camera-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "picture.png", NULL);
  g_autofree char *source = g_strconcat ("image:", path, NULL);
  g_autoptr(YunCamera) picture = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (yun_camera_get_source (ball), ==, "test");
  g_file_set_contents (path, "not yet decoded: only its being there is checked", -1, &error);
  g_assert_no_error (error);
  picture = yun_camera_new (source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_camera_get_source (picture), ==, "image");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++) {
    g_autoptr(GError) invalid = NULL;
    g_autoptr(YunCamera) none = yun_camera_new (refused[i], &invalid);

    g_assert_null (none);
    g_assert_error (invalid, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID);
  }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_auto_without_devices_is_test (void)
{
  g_autoptr(GstDeviceMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(YunCamera) camera = NULL;
  GList *devices;

  gst_init (NULL, NULL);
  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  devices = gst_device_monitor_get_devices (monitor);
  if (devices != NULL) {
    g_list_free_full (devices, gst_object_unref);
    g_test_skip ("this machine has a camera");
    return;
  }
  camera = yun_camera_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (yun_camera_get_source (camera), ==, "test");
}

static void
test_missing_device_unavailable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunCamera) camera = NULL;

  if (g_file_test ("/dev/video0", G_FILE_TEST_EXISTS)) {
    g_test_skip ("this machine has /dev/video0");
    return;
  }
  camera = yun_camera_new ("v4l2", &error);
  if (g_error_matches (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE)) {
    g_test_skip ("v4l2src is not installed");
    return;
  }
  g_assert_no_error (error);
  g_assert_false (yun_camera_start (camera, 320, 240, &error));
  g_assert_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "v4l2"));
  g_assert_null (yun_camera_get_pipeline (camera));
}

static void
test_bad_options (void)
{
  static const YunPosition far_north = { .latitude = 91, .longitude = 0 };
  static const YunCameraCaptureOptions bad[] = {
    { .max_width = -1, .quality = 0.5 },
    { .max_height = -640, .quality = 0.5 },
    { .max_width = YUN_CAMERA_MAX_SIZE + 1, .quality = 0.5 },
    { .quality = -0.01 },
    { .quality = 1.01 },
    { .quality = NAN },
    { .quality = 0.5, .rotation = 45 },
    { .quality = 0.5, .rotation = -90 },
    { .quality = 0.5, .position = &far_north },
  };
  g_autoptr(YunCamera) camera = test_camera ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    Photo photo = { 0 };

    g_test_message ("options %u", i);
    g_assert_false (yun_camera_capture_options_check (&bad[i], &error));
    g_assert_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID);
    g_clear_error (&error);
    capture (camera, &bad[i], NULL, &photo);
    g_assert_null (photo.jpeg);
    g_assert_error (photo.error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID);
    /* Refused before anything started. */
    g_assert_null (yun_camera_get_pipeline (camera));
    photo_clear (&photo);
  }
  g_assert_false (yun_camera_start (camera, 0, 100, &error));
  g_assert_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID);
  g_assert_null (yun_camera_get_pipeline (camera));
}

static void
test_capture_size_and_not_blank (void)
{
  static const struct {
    int max_width, max_height, width, height;
  } sizes[] = {
    { 640, 480, 640, 360 },
    { 0, 100, 178, 100 },
    { 201, 0, 201, 113 },
    /* Never scaled up. */
    { 0, 0, 1280, 720 },
    { 4000, 4000, 1280, 720 },
  };
  g_autoptr(YunCamera) camera = test_camera ();

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++) {
    YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
    Photo photo = { 0 };

    options.max_width = sizes[i].max_width;
    options.max_height = sizes[i].max_height;
    capture (camera, &options, NULL, &photo);
    g_assert_no_error (photo.error);
    g_assert_cmpint (photo.width, ==, sizes[i].width);
    g_assert_cmpint (photo.height, ==, sizes[i].height);
    /* Colour bars: far from one flat grey. */
    g_assert_cmpfloat (decoded_spread (photo.jpeg, photo.width, photo.height), >, 30);
    photo_clear (&photo);
  }
}

static void
test_quality_changes_size (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  Photo low = { 0 }, high = { 0 };

  options.max_width = 640;
  options.quality = 0.05;
  capture (camera, &options, NULL, &low);
  options.quality = 1;
  capture (camera, &options, NULL, &high);
  g_assert_no_error (low.error);
  g_assert_no_error (high.error);
  g_assert_cmpuint (g_bytes_get_size (low.jpeg) * 2, <, g_bytes_get_size (high.jpeg));
  photo_clear (&low);
  photo_clear (&high);
}

static void
test_exif_orientation_without_gps (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  g_autoptr(GstTagList) tags = NULL;
  g_autofree char *orientation = NULL;
  double latitude;
  Photo photo = { 0 };

  options.max_width = 320;
  options.rotation = 90;
  capture (camera, &options, NULL, &photo);
  g_assert_no_error (photo.error);
  tags = read_exif (photo.jpeg);
  g_assert_nonnull (tags);
  g_assert_true (gst_tag_list_get_string (tags, GST_TAG_IMAGE_ORIENTATION, &orientation));
  g_assert_cmpstr (orientation, ==, "rotate-90");
  g_assert_false (gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LATITUDE, &latitude));
  g_assert_false (gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LONGITUDE, &latitude));
  /* Nor anywhere else in the file (no XMP copy). */
  g_assert_null (g_strstr_len (g_bytes_get_data (photo.jpeg, NULL), g_bytes_get_size (photo.jpeg),
                               "http://ns.adobe.com/xap/1.0/"));
  photo_clear (&photo);
}

static void
test_exif_gps_when_given (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  YunPosition position = {
    .latitude = -33.8568, .longitude = 151.2153, .accuracy = 12,
    .altitude = 42.5, .altitude_accuracy = NAN, .heading = NAN, .speed = NAN,
  };
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  g_autoptr(GstTagList) tags = NULL;
  g_autofree char *orientation = NULL;
  double latitude, longitude, elevation;
  Photo photo = { 0 };

  options.max_width = 320;
  options.position = &position;
  capture (camera, &options, NULL, &photo);
  /* The options were copied: changing them now changes nothing. */
  position.latitude = 0;
  g_assert_no_error (photo.error);
  tags = read_exif (photo.jpeg);
  g_assert_nonnull (tags);
  g_assert_true (gst_tag_list_get_string (tags, GST_TAG_IMAGE_ORIENTATION, &orientation));
  g_assert_cmpstr (orientation, ==, "rotate-0");
  g_assert_true (gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LATITUDE, &latitude));
  g_assert_true (gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_LONGITUDE, &longitude));
  g_assert_true (gst_tag_list_get_double (tags, GST_TAG_GEO_LOCATION_ELEVATION, &elevation));
  /* EXIF stores degrees, minutes and seconds as rationals. */
  g_assert_cmpfloat_with_epsilon (latitude, -33.8568, 1e-4);
  g_assert_cmpfloat_with_epsilon (longitude, 151.2153, 1e-4);
  g_assert_cmpfloat_with_epsilon (elevation, 42.5, 0.01);
  photo_clear (&photo);
}

typedef struct {
  GPtrArray *frames;    /* of GBytes */
  int width, height, stride;
  guint wanted;
  gboolean done;
} Frames;

static void
on_frame (YunCamera *camera,
          GBytes    *pixels,
          int        width,
          int        height,
          int        stride,
          Frames    *frames)
{
  g_ptr_array_add (frames->frames, g_bytes_ref (pixels));
  frames->width = width;
  frames->height = height;
  frames->stride = stride;
  if (frames->frames->len >= frames->wanted)
    frames->done = TRUE;
}

static void
test_viewfinder_frames (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  g_autoptr(GError) error = NULL;
  Frames frames = { .frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                    .wanted = 5 };
  GBytes *first, *last;

  g_signal_connect (camera, "frame", G_CALLBACK (on_frame), &frames);
  g_assert_true (yun_camera_start (camera, 360, 760, &error));
  g_assert_no_error (error);
  yun_test_run_until (&frames.done, GUARD_SECONDS);

  /* 1280×720 fitted into 360×760. */
  g_assert_cmpint (frames.width, ==, 360);
  g_assert_cmpint (frames.height, ==, 203);
  g_assert_cmpint (frames.stride, >=, 360 * 4);
  first = g_ptr_array_index (frames.frames, 0);
  last = g_ptr_array_index (frames.frames, frames.frames->len - 1);
  g_assert_cmpuint (g_bytes_get_size (last), ==, (gsize) frames.stride * frames.height);
  /* The bars move. */
  g_assert_false (g_bytes_equal (first, last));

  /* A new size applies to the running viewfinder. */
  frames.done = FALSE;
  frames.wanted = frames.frames->len + 3;
  g_assert_true (yun_camera_start (camera, 160, 160, &error));
  yun_test_run_until (&frames.done, GUARD_SECONDS);
  g_assert_cmpint (frames.width, ==, 160);
  g_assert_cmpint (frames.height, ==, 90);

  yun_camera_stop (camera);
  g_ptr_array_unref (frames.frames);
  g_assert_finalize_object (g_steal_pointer (&camera));
}

static void
on_finalized (gpointer  data,
              GObject  *where)
{
  *(gboolean *) data = TRUE;
}


static gboolean *
watch_pipeline (YunCamera *camera)
{
  gboolean *gone = g_new0 (gboolean, 1);
  GstElement *pipeline = yun_camera_get_pipeline (camera);

  g_assert_nonnull (pipeline);
  g_object_weak_ref (G_OBJECT (pipeline), on_finalized, gone);
  return gone;
}

/* A new camera on the same source works: nothing was left holding it. */
static void
assert_camera_usable (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  Photo photo = { 0 };

  options.max_width = 64;
  capture (camera, &options, NULL, &photo);
  g_assert_no_error (photo.error);
  g_assert_cmpint (photo.width, ==, 64);
  photo_clear (&photo);
  g_assert_finalize_object (g_steal_pointer (&camera));
}

static void
test_stop_releases_pipeline (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  g_autoptr(GError) error = NULL;
  Frames frames = { .frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                    .wanted = 2 };
  g_autofree gboolean *gone = NULL;

  g_signal_connect (camera, "frame", G_CALLBACK (on_frame), &frames);
  g_assert_true (yun_camera_start (camera, 320, 240, &error));
  gone = watch_pipeline (camera);
  yun_test_run_until (&frames.done, GUARD_SECONDS);
  yun_camera_stop (camera);
  g_assert_true (*gone);
  g_assert_null (yun_camera_get_pipeline (camera));

  /* Frames the shell still holds stay valid after the stop. */
  g_assert_cmpuint (g_bytes_get_size (g_ptr_array_index (frames.frames, 0)), >, 0);
  g_ptr_array_unref (frames.frames);
  g_assert_finalize_object (g_steal_pointer (&camera));
  assert_camera_usable ();
}

static void
test_cancel_releases_pipeline (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  g_autofree gboolean *gone = NULL;
  Photo photo = { 0 };

  yun_camera_capture_async (camera, &options, cancellable, on_capture_ready, &photo);
  gone = watch_pipeline (camera);
  g_cancellable_cancel (cancellable);
  yun_test_run_until (&photo.done, GUARD_SECONDS);
  g_assert_error (photo.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (photo.jpeg);
  g_assert_true (*gone);
  g_assert_null (yun_camera_get_pipeline (camera));
  photo_clear (&photo);
  g_assert_finalize_object (g_steal_pointer (&camera));
  assert_camera_usable ();
}

static void
test_stop_ends_waiting_capture (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  g_autofree gboolean *gone = NULL;
  Photo photo = { 0 };

  yun_camera_capture_async (camera, &options, NULL, on_capture_ready, &photo);
  gone = watch_pipeline (camera);
  yun_camera_stop (camera);
  g_assert_true (*gone);
  yun_test_run_until (&photo.done, GUARD_SECONDS);
  g_assert_error (photo.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  photo_clear (&photo);
  g_assert_finalize_object (g_steal_pointer (&camera));
}

static void
test_capture_alone_releases_after (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  g_autofree gboolean *gone = NULL;
  Photo photo = { 0 };

  options.max_width = 64;
  yun_camera_capture_async (camera, &options, NULL, on_capture_ready, &photo);
  gone = watch_pipeline (camera);
  yun_test_run_until (&photo.done, GUARD_SECONDS);
  g_assert_no_error (photo.error);
  g_assert_true (*gone);
  photo_clear (&photo);
  g_assert_finalize_object (g_steal_pointer (&camera));
}

static void
test_capture_keeps_viewfinder_running (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  g_autoptr(GError) error = NULL;
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  Frames frames = { .frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref),
                    .wanted = 1 };
  GstElement *pipeline;
  Photo photo = { 0 };

  g_signal_connect (camera, "frame", G_CALLBACK (on_frame), &frames);
  g_assert_true (yun_camera_start (camera, 320, 240, &error));
  pipeline = yun_camera_get_pipeline (camera);
  capture (camera, &options, NULL, &photo);
  g_assert_no_error (photo.error);
  g_assert_true (yun_camera_get_pipeline (camera) == pipeline);

  frames.done = FALSE;
  frames.wanted = frames.frames->len + 2;
  yun_test_run_until (&frames.done, GUARD_SECONDS);
  yun_camera_stop (camera);
  photo_clear (&photo);
  g_ptr_array_unref (frames.frames);
  g_assert_finalize_object (g_steal_pointer (&camera));
}

typedef struct {
  GError *error;
  gboolean done;
} Failure;

static void
on_failed (YunCamera    *camera,
           const GError *error,
           Failure      *failure)
{
  g_assert_null (failure->error);
  failure->error = g_error_copy (error);
  failure->done = TRUE;
}

static void
test_source_error_releases_pipeline (void)
{
  g_autoptr(YunCamera) camera = test_camera ();
  g_autoptr(GError) error = NULL;
  Failure failure = { 0 };
  g_autoptr(GError) cause = g_error_new_literal (GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_READ,
                                                 "device unplugged");
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  g_autofree gboolean *gone = NULL;
  Photo photo = { 0 };
  GstElement *pipeline;

  g_signal_connect (camera, "failed", G_CALLBACK (on_failed), &failure);
  g_assert_true (yun_camera_start (camera, 320, 240, &error));
  gone = watch_pipeline (camera);
  pipeline = yun_camera_get_pipeline (camera);
  yun_camera_capture_async (camera, &options, NULL, on_capture_ready, &photo);
  /* What a source posts when its device goes away. */
  gst_element_post_message (pipeline, gst_message_new_error (GST_OBJECT (pipeline), cause, NULL));
  yun_test_run_until (&failure.done, GUARD_SECONDS);
  yun_test_run_until (&photo.done, GUARD_SECONDS);

  g_assert_error (failure.error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (failure.error->message, "device unplugged"));
  g_clear_error (&failure.error);
  /* The capture either got its frame first or failed the same way. */
  if (photo.jpeg == NULL)
    g_assert_error (photo.error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE);
  g_assert_true (*gone);
  g_assert_null (yun_camera_get_pipeline (camera));
  photo_clear (&photo);
  g_assert_finalize_object (g_steal_pointer (&camera));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_capture_ms (YunCamera *camera,
                   int        runs)
{
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  options.max_width = 1280;
  for (int i = 0; i < runs; i++) {
    Photo photo = { 0 };
    gint64 start = g_get_monotonic_time ();
    double ms;

    capture (camera, &options, NULL, &photo);
    ms = (g_get_monotonic_time () - start) / 1000.0;
    g_assert_no_error (photo.error);
    g_array_append_val (times, ms);
    photo_clear (&photo);
  }
  g_array_sort (times, compare_doubles);
  return g_array_index (times, double, runs / 2);
}

/* Encoding alone: a 1280×720 RGBA gradient to JPEG, median of @runs. */
static double
median_encode_ms (int runs)
{
  YunCameraCaptureOptions options = YUN_CAMERA_CAPTURE_OPTIONS_INIT;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GstCaps) caps = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGBA",
                                                 "width", G_TYPE_INT, 1280, "height", G_TYPE_INT, 720,
                                                 "framerate", GST_TYPE_FRACTION, 30, 1, NULL);
  guint8 *pixels = g_malloc (1280 * 720 * 4);
  g_autoptr(GstBuffer) buffer = NULL;
  g_autoptr(GstSample) sample = NULL;

  for (int i = 0; i < 1280 * 720 * 4; i++)
    pixels[i] = (guint8) (i % 4 == 3 ? 255 : (i / 4) % 1280 / 5 + (i % 4) * 40);
  buffer = gst_buffer_new_wrapped (pixels, 1280 * 720 * 4);
  sample = gst_sample_new (buffer, caps, NULL, NULL);
  for (int i = 0; i < runs; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) jpeg = NULL;
    gint64 start = g_get_monotonic_time ();
    int width, height;
    double ms;

    jpeg = yun_camera_encode_still (sample, &options, &width, &height, &error);
    ms = (g_get_monotonic_time () - start) / 1000.0;
    g_assert_no_error (error);
    g_array_append_val (times, ms);
  }
  g_array_sort (times, compare_doubles);
  return g_array_index (times, double, runs / 2);
}

static void
test_perf_capture (void)
{
  g_autoptr(YunCamera) camera = NULL;
  g_autoptr(GError) error = NULL;
  double cold, warm, encode;

  if (!g_test_perf ()) {
    g_test_skip ("only in perf mode (-m perf)");
    return;
  }
  camera = test_camera ();
  /* Cold: each capture starts the source and stops it after. */
  cold = median_capture_ms (camera, 10);
  /* Warm: the viewfinder is running. */
  g_assert_true (yun_camera_start (camera, 360, 760, &error));
  warm = median_capture_ms (camera, 10);
  yun_camera_stop (camera);
  encode = median_encode_ms (10);
  g_test_message ("capture to 1280x720 JPEG, median of 10: cold %.1f ms, with viewfinder "
                  "%.1f ms (a frame at 30 fps comes within 33 ms); encoding alone %.1f ms",
                  cold, warm, encode);
  g_test_minimized_result (encode, "encode_ms=%.1f", encode);
  g_test_minimized_result (cold, "capture_cold_ms=%.1f", cold);
  g_test_minimized_result (warm, "capture_warm_ms=%.1f", warm);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/yun/services/camera/source/unknown", test_unknown_source);
  g_test_add_func ("/yun/services/camera/source/developer-sources", test_developer_sources);
  g_test_add_func ("/yun/services/camera/source/auto-without-devices-is-test",
                   test_auto_without_devices_is_test);
  g_test_add_func ("/yun/services/camera/source/missing-device-unavailable",
                   test_missing_device_unavailable);
  g_test_add_func ("/yun/services/camera/options/bad", test_bad_options);
  g_test_add_func ("/yun/services/camera/capture/size-and-not-blank",
                   test_capture_size_and_not_blank);
  g_test_add_func ("/yun/services/camera/capture/quality-changes-size", test_quality_changes_size);
  g_test_add_func ("/yun/services/camera/capture/exif-orientation-without-gps",
                   test_exif_orientation_without_gps);
  g_test_add_func ("/yun/services/camera/capture/exif-gps-when-given", test_exif_gps_when_given);
  g_test_add_func ("/yun/services/camera/capture/keeps-viewfinder-running",
                   test_capture_keeps_viewfinder_running);
  g_test_add_func ("/yun/services/camera/viewfinder/frames", test_viewfinder_frames);
  g_test_add_func ("/yun/services/camera/release/stop", test_stop_releases_pipeline);
  g_test_add_func ("/yun/services/camera/release/cancel", test_cancel_releases_pipeline);
  g_test_add_func ("/yun/services/camera/release/stop-ends-waiting-capture",
                   test_stop_ends_waiting_capture);
  g_test_add_func ("/yun/services/camera/release/capture-alone", test_capture_alone_releases_after);
  g_test_add_func ("/yun/services/camera/release/source-error", test_source_error_releases_pipeline);
  g_test_add_func ("/yun/services/camera/perf/capture", test_perf_capture);

  return g_test_run ();
}
