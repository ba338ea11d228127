/* yun-calls.c: the call history, on the personal document store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-calls.h"

#include "yun-personal-data-private.h"

#define DB YUN_PERSONAL_DB_CALLS

struct _YunCalls
{
  GObject parent_instance;

  YunPersonalIndex *index;
};

G_DEFINE_FINAL_TYPE (YunCalls, yun_calls, G_TYPE_OBJECT)

static const char * const directions[] = { "in", "out", "missed", NULL };

static const YunPdField fields[] = {
  { "number", YUN_PD_STRING, TRUE, YUN_CALLS_MAX_NUMBER, 0, NULL },
  { "direction", YUN_PD_CHOICE, TRUE, 0, 0, directions },
  { "duration", YUN_PD_INTEGER, FALSE, YUN_CALLS_MAX_DURATION, 0, NULL },
  { "time", YUN_PD_TIME, FALSE, 0, 0, NULL },
};

static void
yun_calls_finalize (GObject *object)
{
  YunCalls *self = YUN_CALLS (object);

  g_clear_object (&self->index);

  G_OBJECT_CLASS (yun_calls_parent_class)->finalize (object);
}

static void
yun_calls_class_init (YunCallsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yun_calls_finalize;
}

static void
yun_calls_init (YunCalls *self)
{
}

/**
 * yun_calls_new:
 * @index: the personal index, and through it the personal store
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the call history, its database made when
 *   missing, or %NULL with @error set
 */
YunCalls *
yun_calls_new (YunPersonalIndex  *index,
               GError           **error)
{
  g_autoptr(YunCalls) self = NULL;

  g_return_val_if_fail (YUN_IS_PERSONAL_INDEX (index), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!yun_pd_ensure_db (yun_personal_index_get_store (index), DB, error))
    return NULL;
  self = g_object_new (YUN_TYPE_CALLS, NULL);
  self->index = g_object_ref (index);
  return g_steal_pointer (&self);
}

/**
 * yun_calls_save:
 * @self: a #YunCalls
 * @call: the call, in the shape of #YunCalls; with "id" and "rev" it
 *   replaces that revision
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the call as stored, or %NULL with @error set
 */
JsonObject *
yun_calls_save (YunCalls    *self,
                JsonObject  *call,
                GError     **error)
{
  g_return_val_if_fail (YUN_IS_CALLS (self), NULL);
  g_return_val_if_fail (call != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return yun_pd_save_fields (self->index, DB, "call", call, fields, G_N_ELEMENTS (fields), error);
}

/**
 * yun_calls_get:
 * @self: a #YunCalls
 * @id: a call's id
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the call, or %NULL with @error set
 */
JsonObject *
yun_calls_get (YunCalls    *self,
               const char  *id,
               GError     **error)
{
  g_return_val_if_fail (YUN_IS_CALLS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return yun_pd_get (yun_personal_index_get_store (self->index), DB, id, yun_pd_from_doc, error);
}

/**
 * yun_calls_remove:
 * @self: a #YunCalls
 * @id: a call's id
 * @rev: (nullable): the revision the caller read; %NULL for the current
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: %TRUE when the call was removed from the history
 */
gboolean
yun_calls_remove (YunCalls    *self,
                  const char  *id,
                  const char  *rev,
                  GError     **error)
{
  g_return_val_if_fail (YUN_IS_CALLS (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return yun_pd_remove (self->index, DB, id, rev, error);
}

/**
 * yun_calls_list:
 * @self: a #YunCalls
 * @before: only calls older than this time; 0 for no bound
 * @limit: the most calls; 0 for the default
 * @error: return location for a #YunPersonalDataError
 *
 * Returns: (transfer full): the calls, newest first, or %NULL with @error
 *   set
 */
JsonArray *
yun_calls_list (YunCalls    *self,
                gint64       before,
                guint        limit,
                GError     **error)
{
  g_return_val_if_fail (YUN_IS_CALLS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return yun_pd_list (self->index, DB, NULL, before, limit, yun_pd_from_doc, error);
}
