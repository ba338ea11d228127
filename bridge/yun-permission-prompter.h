/* yun-permission-prompter.h: whoever asks the user about a permission.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * YunPromptAnswer:
 * @YUN_PROMPT_ANSWER_DENY: deny, and remember it
 * @YUN_PROMPT_ANSWER_ALLOW_ONCE: allow this time only
 * @YUN_PROMPT_ANSWER_ALLOW_ALWAYS: allow, and remember it
 */
typedef enum {
  YUN_PROMPT_ANSWER_DENY,
  YUN_PROMPT_ANSWER_ALLOW_ONCE,
  YUN_PROMPT_ANSWER_ALLOW_ALWAYS,
} YunPromptAnswer;

/**
 * YunPermissionQuestion:
 * @app_id: the app that asks
 * @app_name: its name, from its manifest, to show the user
 * @permission: the permission's name
 * @access: "read" or "readwrite"
 * @reason: why the app wants it, from its manifest
 */
typedef struct {
  const char *app_id;
  const char *app_name;
  const char *permission;
  const char *access;
  const char *reason;
} YunPermissionQuestion;

#define YUN_TYPE_PERMISSION_PROMPTER (yun_permission_prompter_get_type ())
G_DECLARE_INTERFACE (YunPermissionPrompter, yun_permission_prompter, YUN, PERMISSION_PROMPTER, GObject)

struct _YunPermissionPrompterInterface
{
  GTypeInterface parent_iface;

  void            (*ask_async)  (YunPermissionPrompter       *self,
                                 const YunPermissionQuestion *question,
                                 GCancellable                *cancellable,
                                 GAsyncReadyCallback          callback,
                                 gpointer                     user_data);
  YunPromptAnswer (*ask_finish) (YunPermissionPrompter       *self,
                                 GAsyncResult                *result,
                                 GError                     **error);
};

void            yun_permission_prompter_ask_async  (YunPermissionPrompter       *self,
                                                    const YunPermissionQuestion *question,
                                                    GCancellable                *cancellable,
                                                    GAsyncReadyCallback          callback,
                                                    gpointer                     user_data);
YunPromptAnswer yun_permission_prompter_ask_finish (YunPermissionPrompter       *self,
                                                    GAsyncResult                *result,
                                                    GError                     **error);

G_END_DECLS
