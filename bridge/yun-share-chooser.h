/* yun-share-chooser.h: whoever asks the user where an app's share goes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * YunShareContent:
 * @app_id: the app that shares
 * @app_name: its name, to show
 * @title: (nullable): the title it shares
 * @text: (nullable): the text it shares
 * @url: (nullable): the absolute http or https URL it shares
 * @account: (nullable): the signed-in cloud user, %NULL when the phone
 *   has no cloud account (the chooser then only says so)
 *
 * What navigator.share() asked to share, already validated.
 */
typedef struct {
  const char *app_id;
  const char *app_name;
  const char *title;
  const char *text;
  const char *url;
  const char *account;
} YunShareContent;

/**
 * YunShareChoice:
 * @YUN_SHARE_CHOICE_LINK: make a revocable read-only link
 * @YUN_SHARE_CHOICE_FRIEND: put a copy into a friend's account
 *
 * Where the user chose to share.
 */
typedef enum {
  YUN_SHARE_CHOICE_LINK,
  YUN_SHARE_CHOICE_FRIEND,
} YunShareChoice;

#define YUN_TYPE_SHARE_CHOOSER (yun_share_chooser_get_type ())
G_DECLARE_INTERFACE (YunShareChooser, yun_share_chooser, YUN, SHARE_CHOOSER, GObject)

struct _YunShareChooserInterface
{
  GTypeInterface parent_iface;

  void     (*choose_async)  (YunShareChooser       *self,
                             const YunShareContent *content,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data);
  gboolean (*choose_finish) (YunShareChooser       *self,
                             GAsyncResult          *result,
                             YunShareChoice        *choice,
                             char                 **friend_name,
                             GError               **error);
  void     (*finish_share)  (YunShareChooser       *self,
                             const char            *url,
                             const GError          *error);
};

void     yun_share_chooser_choose_async  (YunShareChooser       *self,
                                          const YunShareContent *content,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data);
gboolean yun_share_chooser_choose_finish (YunShareChooser       *self,
                                          GAsyncResult          *result,
                                          YunShareChoice        *choice,
                                          char                 **friend_name,
                                          GError               **error);
void     yun_share_chooser_finish_share  (YunShareChooser       *self,
                                          const char            *url,
                                          const GError          *error);

G_END_DECLS
