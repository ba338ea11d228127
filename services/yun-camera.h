/* yun-camera.h: the phone's camera: a viewfinder and JPEG stills.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-location.h"

G_BEGIN_DECLS

#define YUN_CAMERA_ERROR (yun_camera_error_quark ())

/**
 * YunCameraError:
 * @YUN_CAMERA_ERROR_INVALID: bad options or an unknown source name; the
 *   message names the option (the bridge's DataError)
 * @YUN_CAMERA_ERROR_UNAVAILABLE: the source asked for is not installed, has
 *   no device, or failed while running
 * @YUN_CAMERA_ERROR_FAILED: no picture could be made: no frame came in
 *   time, or encoding failed
 *
 * Why the camera could not do what was asked.
 */
typedef enum {
  YUN_CAMERA_ERROR_INVALID,
  YUN_CAMERA_ERROR_UNAVAILABLE,
  YUN_CAMERA_ERROR_FAILED,
} YunCameraError;

/* The largest width or height of a viewfinder frame or a photo. */
#define YUN_CAMERA_MAX_SIZE 16384
/* The viewfinder delivers at most this many frames a second. */
#define YUN_CAMERA_MAX_FPS 30

/**
 * YunCameraCaptureOptions:
 * @max_width: the photo is at most this wide, in pixels; 0 for the
 *   source's full width
 * @max_height: the photo is at most this high; 0 for the full height
 * @quality: JPEG quality from 0 (smallest) to 1 (best)
 * @rotation: how many degrees clockwise a viewer must turn the picture to
 *   show it upright: 0, 90, 180 or 270; written as the EXIF orientation
 * @position: (nullable): where the photo was taken, written as EXIF GPS
 *   tags; %NULL writes no location at all
 *
 * How to take a photo.  Start from %YUN_CAMERA_CAPTURE_OPTIONS_INIT.  The
 * picture is scaled down, keeping its aspect ratio, to fit within
 * @max_width × @max_height; it is never scaled up.
 */
typedef struct {
  int                max_width;
  int                max_height;
  double             quality;
  int                rotation;
  const YunPosition *position;
} YunCameraCaptureOptions;

#define YUN_CAMERA_CAPTURE_OPTIONS_INIT { .max_width = 0, .max_height = 0, \
                                          .quality = 0.92, .rotation = 0, \
                                          .position = NULL }

/**
 * YunCamera:
 *
 * One camera source in a GStreamer pipeline.  The source is one of
 * "pipewire" (pipewiresrc), "libcamera" (libcamerasrc), "v4l2" (v4l2src)
 * or "test" (videotestsrc: moving colour bars at 1280×720); "auto" picks
 * the first of the first three whose element is installed and which has a
 * device, else "test".
 *
 * The viewfinder (yun_camera_start()) delivers frames through
 * #YunCamera::frame; yun_camera_capture_async() takes a still from the
 * running source, starting it for the capture if needed.
 * yun_camera_stop() sets the pipeline to NULL and releases the device.
 * Signals and callbacks run on the thread-default main context of the
 * thread that created the camera; use the camera from that thread only.
 */
#define YUN_TYPE_CAMERA (yun_camera_get_type ())
G_DECLARE_FINAL_TYPE (YunCamera, yun_camera, YUN, CAMERA, GObject)

GQuark      yun_camera_error_quark           (void);

gboolean    yun_camera_capture_options_check (const YunCameraCaptureOptions  *options,
                                              GError                        **error);

YunCamera  *yun_camera_new                   (const char                     *source,
                                              GError                        **error);
const char *yun_camera_get_source            (YunCamera                      *self);

gboolean    yun_camera_start                 (YunCamera                      *self,
                                              int                             viewfinder_width,
                                              int                             viewfinder_height,
                                              GError                        **error);
void        yun_camera_stop                  (YunCamera                      *self);

void        yun_camera_capture_async         (YunCamera                      *self,
                                              const YunCameraCaptureOptions  *options,
                                              GCancellable                   *cancellable,
                                              GAsyncReadyCallback             callback,
                                              gpointer                        user_data);
GBytes     *yun_camera_capture_finish        (YunCamera                      *self,
                                              GAsyncResult                   *result,
                                              int                            *width,
                                              int                            *height,
                                              GError                        **error);

G_END_DECLS
