/* yun-picture-taker.h: whoever lets the user take a picture for an app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "yun-location.h"

G_BEGIN_DECLS

/**
 * YunPictureRequest:
 * @app_id: the app that asks
 * @app_name: its name, to show
 * @max_width: the largest width wanted, or 0
 * @max_height: the largest height wanted, or 0
 * @quality: JPEG quality, 0 to 1
 * @with_location: the app may know where the phone is (the user allowed it
 *   the location permission): the picture may carry the position
 *
 * What camera.takePicture() asked for, already validated.
 */
typedef struct {
  const char *app_id;
  const char *app_name;
  int max_width;
  int max_height;
  double quality;
  gboolean with_location;
} YunPictureRequest;

#define YUN_TYPE_PICTURE_TAKER (yun_picture_taker_get_type ())
G_DECLARE_INTERFACE (YunPictureTaker, yun_picture_taker, YUN, PICTURE_TAKER, GObject)

struct _YunPictureTakerInterface
{
  GTypeInterface parent_iface;

  void    (*take_async)  (YunPictureTaker         *self,
                          const YunPictureRequest *request,
                          GCancellable            *cancellable,
                          GAsyncReadyCallback      callback,
                          gpointer                 user_data);
  GBytes *(*take_finish) (YunPictureTaker         *self,
                          GAsyncResult            *result,
                          YunPosition            **position,
                          GError                 **error);
};

void    yun_picture_taker_take_async  (YunPictureTaker         *self,
                                       const YunPictureRequest *request,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data);
GBytes *yun_picture_taker_take_finish (YunPictureTaker         *self,
                                       GAsyncResult            *result,
                                       YunPosition            **position,
                                       GError                 **error);

G_END_DECLS
