/* yun-camera-still.c: a camera frame made into a JPEG photo with EXIF.
 *
 * One short pipeline per photo: appsrc ! videoconvert ! videoscale !
 * capsfilter ! jpegenc ! jifmux ! appsink.  jifmux is a GstTagSetter and
 * writes the tags given to it as EXIF: the orientation always, the GPS
 * position only when the caller passed one.  Its XMP copy of the same tags
 * is turned off, so a photo carries its metadata once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-camera-private.h"

#include <gst/app/app.h>
#include <gst/tag/tag.h>
#include <gst/video/video.h>
#include <math.h>

/* Encoding one frame takes milliseconds; this only guards against a
 * pipeline that never answers. */
#define ENCODE_TIMEOUT (10 * GST_SECOND)

/**
 * yun_camera_capture_options_check:
 * @options: how a photo is to be taken
 * @error: where a %YUN_CAMERA_ERROR_INVALID naming the bad option goes
 *
 * Checks options as yun_camera_capture_async() will, so that a caller can
 * refuse them before showing a viewfinder.
 *
 * Returns: whether @options are usable
 */
gboolean
yun_camera_capture_options_check (const YunCameraCaptureOptions  *options,
                                  GError                        **error)
{
  const YunPosition *position;

  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  position = options->position;
  if (options->max_width < 0 || options->max_width > YUN_CAMERA_MAX_SIZE ||
      options->max_height < 0 || options->max_height > YUN_CAMERA_MAX_SIZE) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID,
                 "maxWidth and maxHeight must be from 0 (no limit) to %d",
                 YUN_CAMERA_MAX_SIZE);
    return FALSE;
  }
  if (!(options->quality >= 0 && options->quality <= 1)) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID,
                 "quality must be from 0 to 1");
    return FALSE;
  }
  if (options->rotation != 0 && options->rotation != 90 &&
      options->rotation != 180 && options->rotation != 270) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID,
                 "rotation must be 0, 90, 180 or 270");
    return FALSE;
  }
  if (position != NULL &&
      (!(fabs (position->latitude) <= 90) || !(fabs (position->longitude) <= 180))) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_INVALID,
                 "the position's latitude or longitude is out of range");
    return FALSE;
  }
  return TRUE;
}

void
yun_camera_fit_size (int  width,
                     int  height,
                     int  max_width,
                     int  max_height,
                     int *fit_width,
                     int *fit_height)
{
  double scale = 1.0;

  g_assert (width > 0 && height > 0);

  if (max_width > 0)
    scale = MIN (scale, (double) max_width / width);
  if (max_height > 0)
    scale = MIN (scale, (double) max_height / height);
  *fit_width = MAX (1, (int) round (width * scale));
  *fit_height = MAX (1, (int) round (height * scale));
}

static GstTagList *
make_tags (const YunCameraCaptureOptions *options)
{
  const YunPosition *position = options->position;
  g_autofree char *orientation = g_strdup_printf ("rotate-%d", options->rotation);
  g_autoptr(GstDateTime) now = gst_date_time_new_now_local_time ();
  GstTagList *tags = gst_tag_list_new (GST_TAG_IMAGE_ORIENTATION, orientation,
                                       GST_TAG_DATE_TIME, now,
                                       NULL);

  if (position == NULL)
    return tags;
  gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE,
                    GST_TAG_GEO_LOCATION_LATITUDE, position->latitude,
                    GST_TAG_GEO_LOCATION_LONGITUDE, position->longitude,
                    NULL);
  if (isfinite (position->accuracy))
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE,
                      GST_TAG_GEO_LOCATION_HORIZONTAL_ERROR, position->accuracy, NULL);
  if (isfinite (position->altitude))
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE,
                      GST_TAG_GEO_LOCATION_ELEVATION, position->altitude, NULL);
  if (isfinite (position->speed) && position->speed >= 0)
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE,
                      GST_TAG_GEO_LOCATION_MOVEMENT_SPEED, position->speed, NULL);
  if (isfinite (position->heading) && position->heading >= 0 && position->heading < 360)
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE,
                      GST_TAG_GEO_LOCATION_MOVEMENT_DIRECTION, position->heading, NULL);
  return tags;
}

GstElement *
yun_camera_add_element (GstElement  *pipeline,
                        const char  *factory,
                        GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_FAILED,
                 "GStreamer's %s element is not installed", factory);
    return NULL;
  }
  gst_bin_add (GST_BIN (pipeline), element);
  return element;
}

void
yun_camera_error_from_bus (GstElement      *pipeline,
                           YunCameraError   code,
                           const char      *what,
                           GError         **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (pipeline);
  g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  g_autoptr(GError) cause = NULL;

  if (message != NULL)
    gst_message_parse_error (message, &cause, NULL);
  g_set_error (error, YUN_CAMERA_ERROR, code, "%s: %s",
               what, cause != NULL ? cause->message : "no reason given");
}

static GBytes *
run_encoder (GstElement  *pipeline,
             GstElement  *source,
             GstElement  *sink,
             GstSample   *sample,
             GError     **error)
{
  g_autoptr(GstSample) jpeg = NULL;
  GstBuffer *buffer;
  GstMapInfo map;
  GBytes *bytes;

  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    yun_camera_error_from_bus (pipeline, YUN_CAMERA_ERROR_FAILED,
                               "the JPEG encoder did not start", error);
    return NULL;
  }
  gst_app_src_push_sample (GST_APP_SRC (source), sample);
  gst_app_src_end_of_stream (GST_APP_SRC (source));
  jpeg = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), ENCODE_TIMEOUT);
  buffer = jpeg != NULL ? gst_sample_get_buffer (jpeg) : NULL;
  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    yun_camera_error_from_bus (pipeline, YUN_CAMERA_ERROR_FAILED,
                               "the photo could not be encoded", error);
    return NULL;
  }
  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);
  return bytes;
}

GBytes *
yun_camera_encode_still (GstSample                     *sample,
                         const YunCameraCaptureOptions *options,
                         int                           *width,
                         int                           *height,
                         GError                       **error)
{
  g_autoptr(GstElement) pipeline = gst_pipeline_new ("yun-camera-still");
  g_autoptr(GstCaps) size_caps = NULL;
  g_autoptr(GstTagList) tags = NULL;
  GstElement *source, *convert, *scale, *filter, *encoder, *muxer, *sink;
  GstVideoInfo info;
  GBytes *jpeg;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      info.width <= 0 || info.height <= 0) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_FAILED,
                 "the camera gave a frame that is not raw video");
    return NULL;
  }
  yun_camera_fit_size (info.width, info.height, options->max_width, options->max_height,
                       width, height);

  if ((source = yun_camera_add_element (pipeline, "appsrc", error)) == NULL ||
      (convert = yun_camera_add_element (pipeline, "videoconvert", error)) == NULL ||
      (scale = yun_camera_add_element (pipeline, "videoscale", error)) == NULL ||
      (filter = yun_camera_add_element (pipeline, "capsfilter", error)) == NULL ||
      (encoder = yun_camera_add_element (pipeline, "jpegenc", error)) == NULL ||
      (muxer = yun_camera_add_element (pipeline, "jifmux", error)) == NULL ||
      (sink = yun_camera_add_element (pipeline, "appsink", error)) == NULL)
    return NULL;
  if (!gst_element_link_many (source, convert, scale, filter, encoder, muxer, sink, NULL)) {
    g_set_error (error, YUN_CAMERA_ERROR, YUN_CAMERA_ERROR_FAILED,
                 "the JPEG encoder's elements do not fit together");
    return NULL;
  }

  size_caps = gst_caps_new_simple ("video/x-raw",
                                   "width", G_TYPE_INT, *width,
                                   "height", G_TYPE_INT, *height,
                                   "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                                   NULL);
  g_object_set (source, "caps", gst_sample_get_caps (sample), "format", GST_FORMAT_TIME, NULL);
  /* Rounding the size may change the aspect ratio by a fraction of a
   * pixel: stretch rather than add a black border. */
  g_object_set (scale, "add-borders", FALSE, NULL);
  g_object_set (filter, "caps", size_caps, NULL);
  g_object_set (encoder, "quality", (int) round (options->quality * 100), NULL);
  g_object_set (sink, "sync", FALSE, NULL);

  tags = make_tags (options);
  gst_tag_setter_merge_tags (GST_TAG_SETTER (muxer), tags, GST_TAG_MERGE_REPLACE);
  gst_tag_xmp_writer_remove_all_schemas (GST_TAG_XMP_WRITER (muxer));

  jpeg = run_encoder (pipeline, source, sink, sample, error);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return jpeg;
}
