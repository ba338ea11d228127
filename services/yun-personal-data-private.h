/* yun-personal-data-private.h: validation and record plumbing shared by the
 * personal-data services.  Not for callers outside services/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "yun-doc-store.h"
#include "yun-personal-data.h"
#include "yun-personal-index.h"

G_BEGIN_DECLS

/* Reading one field of untrusted JSON.  @path names it in messages, such
 * as "contact.tel[2].value".  A JSON null counts as absent. */

gboolean    yun_pd_read_string   (JsonNode     *node,
                                  const char   *path,
                                  gsize         max_bytes,
                                  const char  **out,
                                  GError      **error);
gboolean    yun_pd_read_time     (JsonNode     *node,
                                  const char   *path,
                                  gint64       *out,
                                  GError      **error);
gboolean    yun_pd_read_integer  (JsonNode     *node,
                                  const char   *path,
                                  gint64        min,
                                  gint64        max,
                                  gint64       *out,
                                  GError      **error);
gboolean    yun_pd_read_double   (JsonNode     *node,
                                  const char   *path,
                                  double        min,
                                  double        max,
                                  double       *out,
                                  GError      **error);
gboolean    yun_pd_read_boolean  (JsonNode     *node,
                                  const char   *path,
                                  gboolean     *out,
                                  GError      **error);
gboolean    yun_pd_read_object   (JsonNode     *node,
                                  const char   *path,
                                  JsonObject  **out,
                                  GError      **error);
gboolean    yun_pd_read_array    (JsonNode     *node,
                                  const char   *path,
                                  guint         max_items,
                                  JsonArray   **out,
                                  GError      **error);
gboolean    yun_pd_check_members (JsonObject         *object,
                                  const char         *path,
                                  const char * const *allowed,
                                  GError            **error);
JsonNode   *yun_pd_member        (JsonObject   *object,
                                  const char   *member);
gboolean    yun_pd_read_id_rev   (JsonObject   *input,
                                  const char   *noun,
                                  const char  **id,
                                  const char  **rev,
                                  GError      **error);

gboolean    yun_pd_read_image    (GBytes             *image,
                                  const char         *path,
                                  gsize               max_bytes,
                                  const char * const *allowed_types,
                                  const char        **content_type,
                                  guint              *width,
                                  guint              *height,
                                  GError            **error);
JsonObject *yun_pd_inline_attachment (GBytes     *data,
                                      const char *content_type);

/**
 * YunPdField:
 * @name: the member
 * @kind: what it holds
 * @required: whether it must be given; when not, a time defaults to now,
 *   a boolean to %FALSE, a list to empty and a string to absent
 * @max: the longest string in bytes, or the highest integer
 * @max_items: the most entries of a list
 * @choices: (nullable): the values a %YUN_PD_CHOICE may take
 *
 * One member of a flat record (a message, a call).
 */
typedef enum {
  YUN_PD_STRING,
  YUN_PD_STRING_LIST,
  YUN_PD_TIME,
  YUN_PD_INTEGER,
  YUN_PD_BOOLEAN,
  YUN_PD_CHOICE,
} YunPdKind;

typedef struct {
  const char *name;
  YunPdKind kind;
  gboolean required;
  gint64 max;
  guint max_items;
  const char * const *choices;
} YunPdField;

JsonObject *yun_pd_validate_fields (JsonObject        *input,
                                    const char        *noun,
                                    const YunPdField  *fields,
                                    guint              n_fields,
                                    const char * const *also_allowed,
                                    GError           **error);

/* Records in a database of the personal store. */

gboolean    yun_pd_ensure_db     (YunDocStore  *store,
                                  const char   *db,
                                  GError      **error);
gboolean    yun_pd_store_error   (GError      **error,
                                  GError       *store_error);
JsonObject *yun_pd_from_doc      (JsonObject   *doc);
JsonObject *yun_pd_put           (YunPersonalIndex *index,
                                  const char   *db,
                                  JsonObject   *body,
                                  const char   *id,
                                  const char   *rev,
                                  GError      **error);
JsonObject *yun_pd_get_doc       (YunDocStore  *store,
                                  const char   *db,
                                  const char   *id,
                                  GError      **error);
gboolean    yun_pd_remove        (YunPersonalIndex *index,
                                  const char   *db,
                                  const char   *id,
                                  const char   *rev,
                                  GError      **error);
void        yun_pd_refresh_index (YunPersonalIndex *index,
                                  const char   *db);
JsonArray  *yun_pd_get_many      (YunDocStore  *store,
                                  const char   *db,
                                  GPtrArray    *ids,
                                  JsonObject *(*convert) (JsonObject *doc),
                                  GError      **error);
guint       yun_pd_clamp_limit   (guint         limit);
JsonObject *yun_pd_save_fields   (YunPersonalIndex  *index,
                                  const char        *db,
                                  const char        *noun,
                                  JsonObject        *input,
                                  const YunPdField  *fields,
                                  guint              n_fields,
                                  GError           **error);
JsonObject *yun_pd_get           (YunDocStore  *store,
                                  const char   *db,
                                  const char   *id,
                                  JsonObject *(*convert) (JsonObject *doc),
                                  GError      **error);
JsonArray  *yun_pd_list          (YunPersonalIndex  *index,
                                  const char        *db,
                                  const char        *thread,
                                  gint64             before,
                                  guint              limit,
                                  JsonObject *(*convert) (JsonObject *doc),
                                  GError           **error);

G_END_DECLS
