/* yun-share-sheet.h: the shell's share sheet, for navigator.share().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-share-chooser.h"

G_BEGIN_DECLS

#define YUN_TYPE_SHARE_SHEET (yun_share_sheet_get_type ())
G_DECLARE_FINAL_TYPE (YunShareSheet, yun_share_sheet, YUN, SHARE_SHEET, GtkWidget)

YunShareSheet *yun_share_sheet_new       (void);
const char    *yun_share_sheet_get_state (YunShareSheet  *self,
                                          const char    **app_name,
                                          const char    **title,
                                          const char    **text,
                                          const char    **url,
                                          const char    **message);
gboolean       yun_share_sheet_answer    (YunShareSheet  *self,
                                          const char     *choice,
                                          const char     *friend_name,
                                          GError        **error);

G_END_DECLS
