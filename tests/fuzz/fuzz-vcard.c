/* fuzz-vcard.c: libFuzzer target for vCard import and export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "yun-vcard.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static char *
write_all (YunVcard *vcard)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < yun_vcard_get_n_cards (vcard); i++) {
    g_autoptr(GError) error = NULL;
    g_autofree char *card = yun_vcard_write (yun_vcard_get_card (vcard, i),
                                             yun_vcard_get_photo (vcard, i), &error);

    /* Whatever was read can be written. */
    g_assert_no_error (error);
    g_assert_nonnull (card);
    g_string_append (text, card);
  }
  return g_string_free (text, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(YunVcard) vcard = yun_vcard_parse ((const char *) data, size);
  g_autoptr(YunVcard) again = NULL;
  g_autofree char *written = NULL;
  g_autofree char *rewritten = NULL;

  g_assert_nonnull (vcard);
  for (guint i = 0; i < yun_vcard_get_n_problems (vcard); i++) {
    const YunVcardProblem *problem = yun_vcard_get_problem (vcard, i);

    g_assert_true (g_utf8_validate (problem->message, -1, NULL));
    g_assert_cmpuint (problem->line, >=, 1);
  }

  /* What the writer makes reads back, as the same number of cards, and
   * writing that again changes nothing.  Escaping and the data: URL can
   * push a line that was just under the reader's limit over it; that is
   * the only problem allowed. */
  written = write_all (vcard);
  again = yun_vcard_parse (written, strlen (written));
  for (guint i = 0; i < yun_vcard_get_n_problems (again); i++)
    g_assert_cmpint (yun_vcard_get_problem (again, i)->code, ==, YUN_VCARD_ERROR_TOO_LARGE);
  if (yun_vcard_get_n_problems (again) > 0)
    return 0;
  g_assert_cmpuint (yun_vcard_get_n_cards (again), ==, yun_vcard_get_n_cards (vcard));
  rewritten = write_all (again);
  g_assert_cmpstr (written, ==, rewritten);

  return 0;
}
