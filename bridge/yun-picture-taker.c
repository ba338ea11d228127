/* yun-picture-taker.c: whoever lets the user take a picture for an app.
 *
 * The bridge core has no user interface; the shell implements this with
 * its viewfinder.  The result is a JPEG; cancelling is G_IO_ERROR_CANCELLED.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-picture-taker.h"

G_DEFINE_INTERFACE (YunPictureTaker, yun_picture_taker, G_TYPE_OBJECT)

static void
yun_picture_taker_default_init (YunPictureTakerInterface *iface)
{
}

/**
 * yun_picture_taker_take_async:
 * @self: a picture taker
 * @request: what the app asked for
 * @cancellable: (nullable): cancelled when the page goes away
 * @callback: called with the picture, or when the user cancels
 * @user_data: data for @callback
 *
 * Shows the user a viewfinder for the app.
 */
void
yun_picture_taker_take_async (YunPictureTaker         *self,
                              const YunPictureRequest *request,
                              GCancellable            *cancellable,
                              GAsyncReadyCallback      callback,
                              gpointer                 user_data)
{
  g_return_if_fail (YUN_IS_PICTURE_TAKER (self));
  g_return_if_fail (request != NULL);

  YUN_PICTURE_TAKER_GET_IFACE (self)->take_async (self, request, cancellable, callback, user_data);
}

/**
 * yun_picture_taker_take_finish:
 * @self: a picture taker
 * @result: the result
 * @position: (out) (optional) (nullable) (transfer full): where the picture
 *   was taken, when the request allowed it and the phone knew
 * @error: return location for an error; G_IO_ERROR_CANCELLED when the user
 *   cancelled
 *
 * Returns: (transfer full) (nullable): the picture as JPEG
 */
GBytes *
yun_picture_taker_take_finish (YunPictureTaker  *self,
                               GAsyncResult     *result,
                               YunPosition     **position,
                               GError          **error)
{
  g_autoptr(YunPosition) where = NULL;
  GBytes *picture;

  g_return_val_if_fail (YUN_IS_PICTURE_TAKER (self), NULL);

  picture = YUN_PICTURE_TAKER_GET_IFACE (self)->take_finish (self, result, &where, error);
  if (position != NULL)
    *position = g_steal_pointer (&where);
  return picture;
}
