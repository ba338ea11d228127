/* yun-contact-chooser.h: whoever lets the user pick contacts for an app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * YunContactChoice:
 * @app_id: the app that asks
 * @app_name: its name, to show
 * @properties: (array zero-terminated=1): what the app will get of each
 *   chosen contact: "name", "email", "tel", "address", "icon"
 * @multiple: whether the user may choose more than one
 *
 * What navigator.contacts.select() asked for, already validated.
 */
typedef struct {
  const char *app_id;
  const char *app_name;
  const char * const *properties;
  gboolean multiple;
} YunContactChoice;

#define YUN_TYPE_CONTACT_CHOOSER (yun_contact_chooser_get_type ())
G_DECLARE_INTERFACE (YunContactChooser, yun_contact_chooser, YUN, CONTACT_CHOOSER, GObject)

struct _YunContactChooserInterface
{
  GTypeInterface parent_iface;

  void   (*choose_async)  (YunContactChooser      *self,
                           const YunContactChoice *choice,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data);
  GStrv  (*choose_finish) (YunContactChooser      *self,
                           GAsyncResult           *result,
                           GError                **error);
};

void  yun_contact_chooser_choose_async  (YunContactChooser      *self,
                                         const YunContactChoice *choice,
                                         GCancellable           *cancellable,
                                         GAsyncReadyCallback     callback,
                                         gpointer                user_data);
GStrv yun_contact_chooser_choose_finish (YunContactChooser      *self,
                                         GAsyncResult           *result,
                                         GError                **error);

G_END_DECLS
