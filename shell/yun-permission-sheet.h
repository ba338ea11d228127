/* yun-permission-sheet.h: the shell's permission prompt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "yun-permission-prompter.h"

G_BEGIN_DECLS

#define YUN_TYPE_PERMISSION_SHEET (yun_permission_sheet_get_type ())
G_DECLARE_FINAL_TYPE (YunPermissionSheet, yun_permission_sheet, YUN, PERMISSION_SHEET, GtkWidget)

YunPermissionSheet *yun_permission_sheet_new      (void);
gboolean            yun_permission_sheet_answer   (YunPermissionSheet  *self,
                                                   const char          *answer,
                                                   GError             **error);
gboolean            yun_permission_sheet_dismiss  (YunPermissionSheet  *self);
gboolean            yun_permission_sheet_get_question (YunPermissionSheet *self,
                                                       char              **app_name,
                                                       char              **permission,
                                                       char              **access,
                                                       char              **reason);

G_END_DECLS
