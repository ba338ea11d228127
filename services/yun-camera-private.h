/* yun-camera-private.h: the camera's insides, for its own files and tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>

#include "yun-camera.h"

G_BEGIN_DECLS

/* The running pipeline, or NULL when stopped (transfer none); tests watch
 * it to see it released. */
GstElement *yun_camera_get_pipeline  (YunCamera                     *self);

/* The largest size within max_width × max_height (0: no limit) with the
 * aspect ratio of width × height, never bigger than width × height. */
void        yun_camera_fit_size      (int                            width,
                                      int                            height,
                                      int                            max_width,
                                      int                            max_height,
                                      int                           *fit_width,
                                      int                           *fit_height);

/* Encodes one raw video frame as a JPEG (with EXIF) as the options say,
 * blocking: call it from a worker thread. */
GBytes     *yun_camera_encode_still  (GstSample                     *sample,
                                      const YunCameraCaptureOptions *options,
                                      int                           *width,
                                      int                           *height,
                                      GError                       **error);

/* Makes a @factory element and adds it to @pipeline; a missing plugin is
 * a %YUN_CAMERA_ERROR_FAILED. */
GstElement *yun_camera_add_element   (GstElement                    *pipeline,
                                      const char                    *factory,
                                      GError                       **error);

/* Sets @error to @code with @what and the first error message waiting on
 * @pipeline's bus. */
void        yun_camera_error_from_bus (GstElement                   *pipeline,
                                       YunCameraError                code,
                                       const char                   *what,
                                       GError                      **error);

/* Sources, by index (yun-camera-source.c).  Picks one by name ("auto",
 * "pipewire", "libcamera", "v4l2", "test", "test:PATTERN", "image:PATH")
 * with the device seen for it, if any, and the pattern or path. */
gboolean    yun_camera_source_pick   (const char                    *name,
                                      guint                         *index,
                                      char                         **argument,
                                      GstDevice                    **device,
                                      GError                       **error);
const char *yun_camera_source_name   (guint                          index);
/* The source element, set up (the test source moves and is live; the
 * image source repeats its picture as a live stream). */
GstElement *yun_camera_source_make   (guint                          index,
                                      GstDevice                     *device,
                                      const char                    *argument,
                                      GError                       **error);
/* What the source is asked for: raw video; 1280×720 at 30 fps for test. */
GstCaps    *yun_camera_source_caps   (guint                          index);

G_END_DECLS
