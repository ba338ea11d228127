/* yun-camera-source.c: which GStreamer element the camera reads from.
 *
 * "auto" asks GStreamer's device monitor for video sources and takes the
 * first device of pipewiresrc, then libcamerasrc, then v4l2src; without
 * any, videotestsrc.  A source named by the caller must have its element
 * installed; its device (the first seen, or the element's default) is
 * only tried when the camera starts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-camera-private.h"

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
};

const char *
yun_camera_source_name (guint index)
{
  g_assert (index < G_N_ELEMENTS (sources));

  return sources[index].name;
}

GstElement *
yun_camera_source_make (guint       index,
                        GstDevice  *device,
                        GError    **error)
{
  GstElement *source;

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
    gst_util_set_object_arg (G_OBJECT (source), "pattern", "smpte");
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

gboolean
yun_camera_source_pick (const char  *name,
                        guint       *index,
                        GstDevice  **device,
                        GError     **error)
{
  g_autoptr(GstDeviceMonitor) monitor = NULL;
  g_autoptr(GstPluginFeature) feature = NULL;
  GList *devices;
  gboolean automatic = name == NULL || g_str_equal (name, "auto");

  for (*index = 0; !automatic && *index < G_N_ELEMENTS (sources); (*index)++)
    if (g_str_equal (name, sources[*index].name))
      break;
  if (*index == G_N_ELEMENTS (sources)) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID,
                 "there is no camera source called “%s”: use auto, pipewire, "
                 "libcamera, v4l2 or test", name);
    return FALSE;
  }
  if (!automatic && (feature = gst_registry_lookup_feature (gst_registry_get (),
                                                            sources[*index].factory)) == NULL) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_UNAVAILABLE,
                 "the %s camera source needs GStreamer's %s, which is not installed",
                 name, sources[*index].factory);
    return FALSE;
  }
  if (!automatic && g_str_equal (name, "test"))
    return TRUE;

  /* Probing may take a moment: it asks udev, PipeWire or libcamera. */
  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  devices = gst_device_monitor_get_devices (monitor);
  if (automatic) {
    for (*index = 0; *index < G_N_ELEMENTS (sources) - 1; (*index)++)
      if ((*device = find_device (devices, sources[*index].factory)) != NULL)
        break;
  } else {
    *device = find_device (devices, sources[*index].factory);
  }
  g_list_free_full (devices, gst_object_unref);
  return TRUE;
}
