/* yun-camera-source.c: which GStreamer element the camera reads from.
 *
 * "auto" asks GStreamer's device monitor for video sources and takes the
 * first device of pipewiresrc, then libcamerasrc, then v4l2src; without
 * any, videotestsrc.  A source named by the caller must have its element
 * installed; its device (the first seen, or the element's default) is
 * only tried when the camera starts.  Two sources are for developers:
 * "test:PATTERN" is videotestsrc with another pattern than the moving
 * colour bars, and "image:PATH" shows a picture file as a live camera.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-camera-private.h"

#include <string.h>

/* The test source's size: a phone camera's 16:9 video mode. */
#define TEST_WIDTH 1280
#define TEST_HEIGHT 720

static const struct {
  const char *name;
  const char *factory;
} sources[] = {
  /* The order "auto" tries them in. */
  { "pipewire", "pipewiresrc" },
  { "libcamera", "libcamerasrc" },
  { "v4l2", "v4l2src" },
  { "test", "videotestsrc" },
  { "image", "imagefreeze" },
};

/* Where "auto" ends when no device is found: the test source. */
#define TEST_SOURCE 3

/* A picture file decoded once and repeated at the camera's pace. */
#define IMAGE_PIPELINE \
  "filesrc name=file ! decodebin ! videoconvert ! imagefreeze name=freeze is-live=true"

const char *
yun_camera_source_name (guint index)
{
  g_assert (index < G_N_ELEMENTS (sources));

  return sources[index].name;
}

static GstElement *
make_image_source (const char  *path,
                   GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GstElement) file = NULL;
  g_autoptr(GstElement) freeze = NULL;
  g_autoptr(GstPad) pad = NULL;
  /* The one way out is made by hand: left to gst_parse, videoconvert's
   * sink would be ghosted too, and decodebin's pad, which comes later,
   * could not link to it. */
  GstElement *bin = gst_parse_bin_from_description (IMAGE_PIPELINE, FALSE, &parse_error);

  if (bin == NULL) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE,
                 "the image camera source could not be made: %s", parse_error->message);
    return NULL;
  }
  file = gst_bin_get_by_name (GST_BIN (bin), "file");
  g_object_set (file, "location", path, NULL);
  freeze = gst_bin_get_by_name (GST_BIN (bin), "freeze");
  pad = gst_element_get_static_pad (freeze, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", pad));
  return bin;
}

GstElement *
yun_camera_source_make (guint        index,
                        GstDevice   *device,
                        const char  *argument,
                        GError     **error)
{
  GstElement *source;

  if (g_str_equal (sources[index].name, "image"))
    return make_image_source (argument, error);
  if (device != NULL)
    source = gst_device_create_element (device, NULL);
  else
    source = gst_element_factory_make (sources[index].factory, NULL);
  if (source == NULL) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE,
                 "the %s camera source could not be made", sources[index].name);
    return NULL;
  }
  if (g_str_equal (sources[index].name, "test")) {
    /* Moving colour bars at the camera's pace: frames that are neither
     * blank nor all alike. */
    g_object_set (source, "is-live", TRUE, "horizontal-speed", 4, NULL);
    gst_util_set_object_arg (G_OBJECT (source), "pattern",
                             argument != NULL ? argument : "smpte");
  }
  return source;
}

GstCaps *
yun_camera_source_caps (guint index)
{
  if (g_str_equal (sources[index].name, "test"))
    return gst_caps_new_simple ("video/x-raw",
                                "width", G_TYPE_INT, TEST_WIDTH,
                                "height", G_TYPE_INT, TEST_HEIGHT,
                                "framerate", GST_TYPE_FRACTION, YUN_CAMERA_MAX_FPS, 1,
                                NULL);
  /* Raw frames only: a webcam's MJPEG mode would need a decoder in both
   * branches. */
  return gst_caps_new_empty_simple ("video/x-raw");
}

/* The first device of @factory's kind among @devices. */
static GstDevice *
find_device (GList      *devices,
             const char *factory)
{
  for (GList *l = devices; l != NULL; l = l->next) {
    g_autoptr(GstElement) element = gst_device_create_element (l->data, NULL);
    GstElementFactory *made = element != NULL ? gst_element_get_factory (element) : NULL;

    if (made != NULL && g_str_equal (GST_OBJECT_NAME (made), factory))
      return gst_object_ref (l->data);
  }
  return NULL;
}

/* Whether @pattern is one of videotestsrc's patterns, by nick. */
static gboolean
is_test_pattern (const char *pattern)
{
  g_autoptr(GstElement) probe = gst_element_factory_make ("videotestsrc", NULL);
  GParamSpec *pspec = probe != NULL ? g_object_class_find_property (G_OBJECT_GET_CLASS (probe),
                                                                    "pattern") : NULL;

  return pspec != NULL && G_IS_PARAM_SPEC_ENUM (pspec) &&
         g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (pspec)->enum_class, pattern) != NULL;
}

gboolean
yun_camera_source_pick (const char  *name,
                        guint       *index,
                        char       **argument,
                        GstDevice  **device,
                        GError     **error)
{
  g_autoptr(GstDeviceMonitor) monitor = NULL;
  g_autoptr(GstPluginFeature) feature = NULL;
  g_autofree char *kind = NULL;
  const char *colon = name != NULL ? strchr (name, ':') : NULL;
  GList *devices;
  gboolean automatic = name == NULL || g_str_equal (name, "auto");

  *argument = NULL;
  kind = colon != NULL ? g_strndup (name, colon - name) : g_strdup (name);
  for (*index = 0; !automatic && *index < G_N_ELEMENTS (sources); (*index)++)
    if (g_str_equal (kind, sources[*index].name))
      break;
  if (*index == G_N_ELEMENTS (sources) ||
      (colon != NULL && *index != TEST_SOURCE && !g_str_equal (kind, "image")) ||
      (colon == NULL && !automatic && g_str_equal (kind, "image"))) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID,
                 "there is no camera source called “%s”: use auto, pipewire, "
                 "libcamera, v4l2, test, test:PATTERN or image:PATH", name);
    return FALSE;
  }
  if (!automatic && (feature = gst_registry_lookup_feature (gst_registry_get (),
                                                            sources[*index].factory)) == NULL) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE,
                 "the %s camera source needs GStreamer's %s, which is not installed",
                 kind, sources[*index].factory);
    return FALSE;
  }
  if (colon != NULL && *index == TEST_SOURCE && !is_test_pattern (colon + 1)) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID,
                 "the test camera has no pattern called “%s”", colon + 1);
    return FALSE;
  }
  if (colon != NULL && *index != TEST_SOURCE &&
      !g_file_test (colon + 1, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID,
                 "the image camera has no picture file %s", colon + 1);
    return FALSE;
  }
  if (colon != NULL) {
    *argument = g_strdup (colon + 1);
    return TRUE;
  }
  if (!automatic && g_str_equal (name, "test"))
    return TRUE;

  /* Probing may take a moment: it asks udev, PipeWire or libcamera. */
  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  devices = gst_device_monitor_get_devices (monitor);
  if (automatic) {
    for (*index = 0; *index < TEST_SOURCE; (*index)++)
      if ((*device = find_device (devices, sources[*index].factory)) != NULL)
        break;
  } else {
    *device = find_device (devices, sources[*index].factory);
  }
  g_list_free_full (devices, gst_object_unref);
  return TRUE;
}
