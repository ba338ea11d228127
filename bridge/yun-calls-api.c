/* yun-calls-api.c: navigator.yun.calls, on the YunCalls service.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-calls-api.h"

#include "yun-calls.h"
#include "yun-personal-api.h"

static JsonNode *
list_work (YunPersonalJob  *job,
           GError         **error)
{
  return yun_personal_api_array_node (
    yun_calls_list (job->service, yun_personal_api_get_time (job->args, "before"),
                    (guint) json_object_get_int_member_with_default (job->args, "limit", 0), error));
}

static JsonNode *
get_work (YunPersonalJob  *job,
          GError         **error)
{
  return yun_personal_api_object_node (
    yun_calls_get (job->service, json_object_get_string_member (job->args, "id"), error));
}

static JsonNode *
save_work (YunPersonalJob  *job,
           GError         **error)
{
  return yun_personal_api_object_node (
    yun_calls_save (job->service, json_object_get_object_member (job->args, "call"), error));
}

static JsonNode *
remove_work (YunPersonalJob  *job,
             GError         **error)
{
  if (!yun_calls_remove (job->service, json_object_get_string_member (job->args, "id"),
                         json_object_get_string_member_with_default (job->args, "rev", NULL), error))
    return NULL;
  return yun_personal_api_boolean_node (TRUE);
}

YUN_PERSONAL_API_HANDLER (calls_list, "calls", list_work)
YUN_PERSONAL_API_HANDLER (calls_get, "calls", get_work)
YUN_PERSONAL_API_HANDLER (calls_save, "calls", save_work)
YUN_PERSONAL_API_HANDLER (calls_remove, "calls", remove_work)

const YunBridgeMethod yun_calls_api[] = {
  { "calls", "list", calls_list },
  { "calls", "get", calls_get },
  { "calls", "save", calls_save },
  { "calls", "remove", calls_remove },
  { NULL, NULL, NULL },
};
