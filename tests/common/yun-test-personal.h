/* yun-test-personal.h: a personal store and its index in a temporary
 * folder, for the personal-data tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "yun-doc-store.h"
#include "yun-personal-data.h"
#include "yun-personal-index.h"

G_BEGIN_DECLS

typedef struct {
  char *dir;
  char *store_path;
  char *index_path;
  YunDocStore *store;
  YunPersonalIndex *index;
} YunTestPersonal;

void        yun_test_personal_set_up     (YunTestPersonal *personal);
void        yun_test_personal_tear_down  (YunTestPersonal *personal);
void        yun_test_personal_reopen     (YunTestPersonal *personal);
JsonObject *yun_test_json_object         (const char      *json);
char       *yun_test_json_text           (JsonNode        *node);
void        yun_test_assert_invalid      (const GError    *error,
                                          const char      *path);
guint       yun_test_count_docs          (YunDocStore     *store,
                                          const char      *db);

G_END_DECLS
