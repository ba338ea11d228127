/* yun-messages-api.c: navigator.yun.messages, on the YunMessages service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-messages-api.h"

#include "yun-messages.h"
#include "yun-personal-api.h"

static JsonNode *
list_work (YunPersonalJob  *job,
           GError         **error)
{
  return yun_personal_api_array_node (
    yun_messages_list (job->service, json_object_get_string_member_with_default (job->args, "thread", NULL),
                       yun_personal_api_get_time (job->args, "before"),
                       (guint) json_object_get_int_member_with_default (job->args, "limit", 0), error));
}

static JsonNode *
threads_work (YunPersonalJob  *job,
              GError         **error)
{
  return yun_personal_api_array_node (
    yun_messages_list_threads (job->service,
                               (guint) json_object_get_int_member_with_default (job->args, "limit", 0),
                               error));
}

static JsonNode *
get_work (YunPersonalJob  *job,
          GError         **error)
{
  return yun_personal_api_object_node (
    yun_messages_get (job->service, json_object_get_string_member (job->args, "id"), error));
}

static JsonNode *
save_work (YunPersonalJob  *job,
           GError         **error)
{
  return yun_personal_api_object_node (
    yun_messages_save (job->service, json_object_get_object_member (job->args, "message"), error));
}

static JsonNode *
mark_read_work (YunPersonalJob  *job,
                GError         **error)
{
  return yun_personal_api_object_node (
    yun_messages_mark_read (job->service, json_object_get_string_member (job->args, "id"), error));
}

static JsonNode *
remove_work (YunPersonalJob  *job,
             GError         **error)
{
  if (!yun_messages_remove (job->service, json_object_get_string_member (job->args, "id"),
                            json_object_get_string_member_with_default (job->args, "rev", NULL),
                            error))
    return NULL;
  return yun_personal_api_boolean_node (TRUE);
}

YUN_PERSONAL_API_HANDLER (messages_list, "messages", list_work)
YUN_PERSONAL_API_HANDLER (messages_threads, "messages", threads_work)
YUN_PERSONAL_API_HANDLER (messages_get, "messages", get_work)
YUN_PERSONAL_API_HANDLER (messages_save, "messages", save_work)
YUN_PERSONAL_API_HANDLER (messages_mark_read, "messages", mark_read_work)
YUN_PERSONAL_API_HANDLER (messages_remove, "messages", remove_work)

const YunBridgeMethod yun_messages_api[] = {
  { "messages", "list", messages_list },
  { "messages", "threads", messages_threads },
  { "messages", "get", messages_get },
  { "messages", "save", messages_save },
  { "messages", "markRead", messages_mark_read },
  { "messages", "remove", messages_remove },
  { NULL, NULL, NULL },
};
