/* yun-share-chooser.c: whoever asks the user where an app's share goes.
 *
 * navigator.share() needs no standing permission: the user sees what the
 * app shares and chooses where it goes (a read-only link, or a friend),
 * or cancels, and that choice is the consent.  The bridge core has no user
 * interface; the shell implements this with its share sheet.  The sheet
 * stays busy from the question until the bridge tells it how the share
 * ended (the link to show, or why it failed), so one share runs at a
 * time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-share-chooser.h"

G_DEFINE_INTERFACE (YunShareChooser, yun_share_chooser, G_TYPE_OBJECT)

static void
yun_share_chooser_default_init (YunShareChooserInterface *iface)
{
}

/**
 * yun_share_chooser_choose_async:
 * @self: a share chooser
 * @content: what the app shares
 * @cancellable: (nullable): cancelled when the page goes away
 * @callback: called with the user's choice
 * @user_data: data for @callback
 *
 * Asks the user where to share @content.
 */
void
yun_share_chooser_choose_async (YunShareChooser       *self,
                                const YunShareContent *content,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_return_if_fail (YUN_IS_SHARE_CHOOSER (self));
  g_return_if_fail (content != NULL);

  YUN_SHARE_CHOOSER_GET_IFACE (self)->choose_async (self, content, cancellable, callback,
                                                    user_data);
}

/**
 * yun_share_chooser_choose_finish:
 * @self: a share chooser
 * @result: the result
 * @choice: (out): where the user chose to share
 * @friend_name: (out) (transfer full) (nullable): the friend's name, with
 *   %YUN_SHARE_CHOICE_FRIEND
 * @error: return location for an error: G_IO_ERROR_CANCELLED when the
 *   user cancelled, G_IO_ERROR_BUSY when another share is under way,
 *   G_IO_ERROR_NOT_INITIALIZED when there is no cloud account
 *
 * On success the chooser waits for yun_share_chooser_finish_share().
 *
 * Returns: whether the user chose where to share
 */
gboolean
yun_share_chooser_choose_finish (YunShareChooser  *self,
                                 GAsyncResult     *result,
                                 YunShareChoice   *choice,
                                 char            **friend_name,
                                 GError          **error)
{
  g_return_val_if_fail (YUN_IS_SHARE_CHOOSER (self), FALSE);

  return YUN_SHARE_CHOOSER_GET_IFACE (self)->choose_finish (self, result, choice, friend_name,
                                                            error);
}

/**
 * yun_share_chooser_finish_share:
 * @self: a share chooser
 * @url: (nullable): the link made, for %YUN_SHARE_CHOICE_LINK
 * @error: (nullable): why the share failed
 *
 * Tells the user how the share they chose ended; the chooser is free for
 * the next one.
 */
void
yun_share_chooser_finish_share (YunShareChooser *self,
                                const char      *url,
                                const GError    *error)
{
  g_return_if_fail (YUN_IS_SHARE_CHOOSER (self));

  YUN_SHARE_CHOOSER_GET_IFACE (self)->finish_share (self, url, error);
}
