/* yun-permission-prompter.c: whoever asks the user about a permission.
 *
 * The bridge decides when to ask; the shell implements this interface to
 * show the question.  At most one question is open at a time: the
 * permission gate queues the rest.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-permission-prompter.h"

G_DEFINE_INTERFACE (YunPermissionPrompter, yun_permission_prompter, G_TYPE_OBJECT)

static void
yun_permission_prompter_default_init (YunPermissionPrompterInterface *iface)
{
}

/**
 * yun_permission_prompter_ask_async:
 * @self: a prompter
 * @question: what to ask; copied as needed
 * @cancellable: (nullable): cancels the question, which then counts as denied
 * @callback: called with the user's answer
 * @user_data: data for @callback
 *
 * Shows the user the question.
 */
void
yun_permission_prompter_ask_async (YunPermissionPrompter       *self,
                                   const YunPermissionQuestion *question,
                                   GCancellable                *cancellable,
                                   GAsyncReadyCallback          callback,
                                   gpointer                     user_data)
{
  g_return_if_fail (YUN_IS_PERMISSION_PROMPTER (self));
  g_return_if_fail (question != NULL);

  YUN_PERMISSION_PROMPTER_GET_IFACE (self)->ask_async (self, question, cancellable, callback,
                                                       user_data);
}

/**
 * yun_permission_prompter_ask_finish:
 * @self: a prompter
 * @result: the result given to the callback
 * @error: return location for an error (the question could not be shown)
 *
 * Returns: the answer; %YUN_PROMPT_ANSWER_DENY with @error set on failure
 */
YunPromptAnswer
yun_permission_prompter_ask_finish (YunPermissionPrompter  *self,
                                    GAsyncResult           *result,
                                    GError                **error)
{
  g_return_val_if_fail (YUN_IS_PERMISSION_PROMPTER (self), YUN_PROMPT_ANSWER_DENY);

  return YUN_PERMISSION_PROMPTER_GET_IFACE (self)->ask_finish (self, result, error);
}
