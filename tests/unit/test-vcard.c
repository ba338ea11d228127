/* test-vcard.c: vCard import and export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "yun-vcard.h"

static YunVcard *
parse (const char *text)
{
  return yun_vcard_parse (text, strlen (text));
}

static char *
card_json (YunVcard *vcard,
           guint     index)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                    yun_vcard_get_card (vcard, index));

  return json_to_string (node, FALSE);
}

static void
assert_card (YunVcard   *vcard,
             guint       index,
             const char *expected)
{
  g_autofree char *json = card_json (vcard, index);

  g_assert_cmpstr (json, ==, expected);
}

/* Exactly one card, no problems, and its JSON. */
static void
assert_single (const char *text,
               const char *expected)
{
  g_autoptr(YunVcard) vcard = parse (text);

  if (yun_vcard_get_n_problems (vcard) > 0)
    g_error ("unexpected problem at line %u: %s", yun_vcard_get_problem (vcard, 0)->line,
             yun_vcard_get_problem (vcard, 0)->message);
  g_assert_cmpuint (yun_vcard_get_n_cards (vcard), ==, 1);
  assert_card (vcard, 0, expected);
}

/* The cards that were fine are imported; one problem, on @line, whose
 * message mentions @needle. */
static void
assert_problem (const char    *text,
                guint          n_cards,
                guint          line,
                YunVcardError  code,
                const char    *needle)
{
  g_autoptr(YunVcard) vcard = parse (text);
  const YunVcardProblem *problem;

  g_assert_cmpuint (yun_vcard_get_n_problems (vcard), ==, 1);
  problem = yun_vcard_get_problem (vcard, 0);
  if (strstr (problem->message, needle) == NULL)
    g_error ("message \"%s\" does not mention \"%s\"", problem->message, needle);
  g_assert_cmpuint (problem->line, ==, line);
  g_assert_cmpint (problem->code, ==, code);
  g_assert_cmpuint (yun_vcard_get_n_cards (vcard), ==, n_cards);
}

#define GOOD_CARD "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good\r\nEND:VCARD\r\n"
#define GOOD_JSON "{\"name\":{\"formatted\":\"Good\"}}"

static void
test_version_3 (void)
{
  assert_single ("BEGIN:VCARD\r\n"
                 "VERSION:3.0\r\n"
                 "N:Gump;Forrest;;Mr.;\r\n"
                 "FN:Forrest Gump\r\n"
                 "ORG:Bubba Gump Shrimp Co.\r\n"
                 "TITLE:Shrimp Man\r\n"
                 "TEL;TYPE=WORK,VOICE:(111) 555-1212\r\n"
                 "TEL;TYPE=HOME;TYPE=VOICE:(404) 555-1212\r\n"
                 "ADR;TYPE=WORK,PREF:;;100 Waters Edge;Baytown;LA;30314;United States\r\n"
                 "EMAIL;TYPE=PREF,INTERNET:forrest@example.com\r\n"
                 "REV:2008-04-24T19:52:43Z\r\n"
                 "BDAY:1944-06-06\r\n"
                 "UID:urn:uuid:0a1b\r\n"
                 "X-CUSTOM;X-PARAM=1:ignored\r\n"
                 "END:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"Forrest Gump\",\"given\":\"Forrest\",\"family\":\"Gump\","
                 "\"prefix\":\"Mr.\"},"
                 "\"tel\":[{\"value\":\"(111) 555-1212\",\"types\":[\"work\",\"voice\"]},"
                 "{\"value\":\"(404) 555-1212\",\"types\":[\"home\",\"voice\"]}],"
                 "\"email\":[{\"value\":\"forrest@example.com\",\"types\":[],\"pref\":true}],"
                 "\"address\":[{\"street\":\"100 Waters Edge\",\"locality\":\"Baytown\","
                 "\"region\":\"LA\",\"postal_code\":\"30314\",\"country\":\"United States\","
                 "\"types\":[\"work\"],\"pref\":true}],"
                 "\"org\":\"Bubba Gump Shrimp Co.\",\"title\":\"Shrimp Man\","
                 "\"uid\":\"urn:uuid:0a1b\",\"rev\":\"2008-04-24T19:52:43Z\",\"bday\":\"1944-06-06\"}");
}

static void
test_version_4 (void)
{
  assert_single ("BEGIN:VCARD\n"
                 "VERSION:4.0\n"
                 "FN:Simon Perreault\n"
                 "N:Perreault;Simon;;;ing. jr,M.Sc.\n"
                 "BDAY:--0203\n"
                 "TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+1-418-656-9254;ext=102\n"
                 "TEL;VALUE=uri;TYPE=\"work,cell,voice,video,text\":tel:+1-418-262-6501\n"
                 "EMAIL;TYPE=work:simon.perreault@viagenie.ca\n"
                 "ADR;TYPE=work:;Suite D2-630;2875 Laurier;Quebec;QC;G1V 2M2;Canada\n"
                 "ORG:Viagenie;Research\n"
                 "END:VCARD\n",
                 "{\"name\":{\"formatted\":\"Simon Perreault\",\"given\":\"Simon\","
                 "\"family\":\"Perreault\",\"suffix\":\"ing. jr,M.Sc.\"},"
                 "\"tel\":[{\"value\":\"+1-418-656-9254;ext=102\",\"types\":[\"work\",\"voice\"],"
                 "\"pref\":true},"
                 "{\"value\":\"+1-418-262-6501\",\"types\":[\"work\",\"cell\",\"voice\",\"video\","
                 "\"text\"]}],"
                 "\"email\":[{\"value\":\"simon.perreault@viagenie.ca\",\"types\":[\"work\"]}],"
                 "\"address\":[{\"extended\":\"Suite D2-630\",\"street\":\"2875 Laurier\","
                 "\"locality\":\"Quebec\",\"region\":\"QC\",\"postal_code\":\"G1V 2M2\","
                 "\"country\":\"Canada\",\"types\":[\"work\"]}],"
                 "\"org\":\"Viagenie\",\"department\":\"Research\",\"bday\":\"--0203\"}");
}

static void
test_unfolding (void)
{
  /* CRLF + space, LF + tab, and a fold inside a UTF-8 sequence: folding
   * works on octets, so the halves join before the text is decoded. */
  assert_single ("BEGIN:VCARD\r\n"
                 "VERSION:4.0\r\n"
                 "FN:Jo\r\n"
                 " hn Do\n"
                 "\te\r\n"
                 "NOTE:caf\xc3\r\n"
                 " \xa9 au lait\r\n"
                 "EMAIL;TY\r\n"
                 " PE=home:a@\r\n"
                 "  b.example\r\n"
                 "END:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"John Doe\"},"
                 "\"email\":[{\"value\":\"a@ b.example\",\"types\":[\"home\"]}],"
                 "\"note\":\"caf\xc3\xa9 au lait\"}");
}

static void
test_groups (void)
{
  assert_single ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:G\r\n"
                 "item1.TEL;type=CELL:+86 138 0000 0000\r\n"
                 "item1.X-ABLabel:mobile\r\n"
                 "item2.EMAIL:g@example.com\r\n"
                 "END:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"G\"},"
                 "\"tel\":[{\"value\":\"+86 138 0000 0000\",\"types\":[\"cell\"]}],"
                 "\"email\":[{\"value\":\"g@example.com\",\"types\":[]}]}");
}

static void
test_parameters (void)
{
  /* Lists, repeats, quoting, case, 2.1 bare types, PREF in both styles. */
  assert_single ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P\r\n"
                 "TEL;TYPE=home,work:1\r\n"
                 "TEL;TYPE=HOME;TYPE=Work;TYPE=home:2\r\n"
                 "TEL;TYPE=\"home,work\";X-Q=\"a;b:c\":3\r\n"
                 "TEL;HOME;VOICE;PREF:4\r\n"
                 "TEL;PREF=1:5\r\n"
                 "END:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"P\"},\"tel\":["
                 "{\"value\":\"1\",\"types\":[\"home\",\"work\"]},"
                 "{\"value\":\"2\",\"types\":[\"home\",\"work\"]},"
                 "{\"value\":\"3\",\"types\":[\"home\",\"work\"]},"
                 "{\"value\":\"4\",\"types\":[\"home\",\"voice\"],\"pref\":true},"
                 "{\"value\":\"5\",\"types\":[],\"pref\":true}]}");
}

static void
test_escapes (void)
{
  assert_single ("BEGIN:VCARD\r\nVERSION:4.0\r\n"
                 "FN:A\\, B\r\n"
                 "N:O\\;Brien;Pat\\,Jr;;;\r\n"
                 "NOTE:one\\ntwo\\Nthree\\, four\\; five \\\\ six \\x\r\n"
                 "ADR:;;1\\; Main St\\nFloor 2;Town;;;\r\n"
                 "END:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"A, B\",\"given\":\"Pat,Jr\",\"family\":\"O;Brien\"},"
                 "\"address\":[{\"street\":\"1; Main St\\nFloor 2\",\"locality\":\"Town\","
                 "\"types\":[]}],"
                 "\"note\":\"one\\ntwo\\nthree, four; five \\\\ six \\\\x\"}");
}

static void
test_quoted_printable (void)
{
  /* Android-style 2.1: QUOTED-PRINTABLE with CHARSET, a soft line break
   * that continues without indentation, and an encoded semicolon that is
   * not a component separator. */
  assert_single ("BEGIN:VCARD\r\n"
                 "VERSION:2.1\r\n"
                 "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=B8=89=3B;;;\r\n"
                 "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=B8=89\r\n"
                 "NOTE;CHARSET=UTF-8;QUOTED-PRINTABLE:first line=0D=0Asecond =\r\n"
                 "line=\r\n"
                 " indented\r\n"
                 "TITLE;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Gesch=E4ftsf=FChrer\r\n"
                 "TEL;CELL:13800000000\r\n"
                 "END:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"\xe5\xbc\xa0\xe4\xb8\x89\",\"given\":\"\xe4\xb8\x89;\","
                 "\"family\":\"\xe5\xbc\xa0\"},"
                 "\"tel\":[{\"value\":\"13800000000\",\"types\":[\"cell\"]}],"
                 "\"title\":\"Gesch\xc3\xa4" "ftsf\xc3\xbchrer\","
                 "\"note\":\"first line\\r\\nsecond line indented\"}");
}

static void
test_quoted_printable_only_as_encoding (void)
{
  /* A type that happens to be called quoted-printable is not an encoding:
   * its "=" at the end is a character, not a soft line break. */
  assert_single ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Q\r\n"
                 "TEL;TYPE=quoted-printable:12=\r\n"
                 "END:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"Q\"},"
                 "\"tel\":[{\"value\":\"12=\",\"types\":[\"quoted-printable\"]}]}");
}

static void
test_fn_from_n (void)
{
  /* A 2.1 card may have N without FN: the formatted name is made up. */
  assert_single ("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane;Q;Dr.;PhD\r\nEND:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"Dr. Jane Q Doe PhD\",\"given\":\"Jane\","
                 "\"family\":\"Doe\",\"additional\":\"Q\",\"prefix\":\"Dr.\",\"suffix\":\"PhD\"}}");
  /* Found by fuzz-vcard: trimmed like FN, so it reads back the same. */
  assert_single ("BEGIN:VCARD\r\nN:Doe ;Jane;;;\r\nEND:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"Jane Doe\",\"given\":\"Jane\",\"family\":\"Doe \"}}");
}

static const guint8 tiny_png[] = {
  0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01, 0x02, 0xff
};

static void
assert_photo (YunVcard   *vcard,
              const char *content_type)
{
  GBytes *photo = yun_vcard_get_photo (vcard, 0);
  JsonObject *object = json_object_get_object_member (yun_vcard_get_card (vcard, 0), "photo");

  g_assert_cmpuint (yun_vcard_get_n_problems (vcard), ==, 0);
  g_assert_nonnull (photo);
  g_assert_cmpmem (g_bytes_get_data (photo, NULL), g_bytes_get_size (photo),
                   tiny_png, sizeof tiny_png);
  g_assert_cmpstr (json_object_get_string_member (object, "content_type"), ==, content_type);
  g_assert_false (json_object_has_member (object, "url"));
}

static void
test_photo_base64 (void)
{
  g_autoptr(YunVcard) v3 = NULL;
  g_autoptr(YunVcard) v21 = NULL;
  g_autoptr(YunVcard) sniffed = NULL;

  /* 3.0 ENCODING=b, folded, with the media type as TYPE. */
  v3 = parse ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P\r\n"
              "PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgoAAQ\r\n"
              " L/\r\n"
              "END:VCARD\r\n");
  assert_photo (v3, "image/png");

  /* 2.1 BASE64 without padding; the type is guessed from the bytes. */
  v21 = parse ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:P\r\n"
               "PHOTO;ENCODING=BASE64:iVBORw0KGgoAAQL/\r\n"
               "END:VCARD\r\n");
  assert_photo (v21, "image/png");

  sniffed = parse ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P\r\n"
                   "PHOTO;ENCODING=b:iVBORw0KGgoAAQL/\r\nEND:VCARD\r\n");
  assert_photo (sniffed, "image/png");
}

static void
test_photo_data_uri (void)
{
  g_autoptr(YunVcard) vcard = parse ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:P\r\n"
                                     "PHOTO:data:image/png;base64,iVBORw0KGgoAAQL/\r\n"
                                     "END:VCARD\r\n");
  g_autoptr(YunVcard) escaped = parse ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:P\r\n"
                                       "PHOTO:data:image/png,%89PNG%0D%0A%1A%0A%00%01%02%FF\r\n"
                                       "END:VCARD\r\n");

  assert_photo (vcard, "image/png");
  assert_photo (escaped, "image/png");
}

static void
test_photo_url (void)
{
  assert_single ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:U\r\n"
                 "PHOTO;VALUE=uri:https://example.com/u.jpg\r\nEND:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"U\"},\"photo\":{\"url\":\"https://example.com/u.jpg\"}}");
  assert_single ("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:U\r\n"
                 "PHOTO;MEDIATYPE=image/gif:http://example.com/u.gif\r\nEND:VCARD\r\n",
                 "{\"name\":{\"formatted\":\"U\"},\"photo\":{\"content_type\":\"image/gif\","
                 "\"url\":\"http://example.com/u.gif\"}}");
}

static void
test_several_cards (void)
{
  g_autoptr(YunVcard) vcard = parse ("\xef\xbb\xbf" "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:One\r\nEND:VCARD\r\n"
                                     "\r\n"
                                     "begin:vcard\nversion:4.0\nfn:Two\nend:vcard\n"
                                     "BEGIN:VCARD\nFN:Three\nEND:VCARD");

  g_assert_cmpuint (yun_vcard_get_n_problems (vcard), ==, 0);
  g_assert_cmpuint (yun_vcard_get_n_cards (vcard), ==, 3);
  assert_card (vcard, 0, "{\"name\":{\"formatted\":\"One\"}}");
  assert_card (vcard, 1, "{\"name\":{\"formatted\":\"Two\"}}");
  assert_card (vcard, 2, "{\"name\":{\"formatted\":\"Three\"}}");
}

static void
test_malformed_lines (void)
{
  assert_problem (GOOD_CARD "BEGIN:VCARD\r\nFN:Bad\r\nno colon here\r\nEND:VCARD\r\n" GOOD_CARD,
                  2, 7, YUN_VCARD_ERROR_MALFORMED, "expected \":\"");
  assert_problem ("BEGIN:VCARD\r\nTEL;TYPE=\"home:1\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_MALFORMED, "no closing quote");
  assert_problem ("BEGIN:VCARD\r\nTEL;TYPE=a\"b:1\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_MALFORMED, "quote inside");
  assert_problem ("BEGIN:VCARD\r\n:value\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_MALFORMED, "expected a property name");
  assert_problem ("BEGIN:VCARD\r\nTEL;:1\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_MALFORMED, "expected a parameter name");
  assert_problem ("BEGIN:VCARD\r\nTE L:1\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_MALFORMED, "TE: expected \":\"");
}

static void
test_malformed_structure (void)
{
  /* A card cut short does not take the next one with it. */
  assert_problem ("BEGIN:VCARD\r\nFN:Cut\r\n" GOOD_CARD, 1, 1, YUN_VCARD_ERROR_MALFORMED,
                  "no END:VCARD before the next BEGIN:VCARD at line 3");
  assert_problem (GOOD_CARD "BEGIN:VCARD\r\nFN:Cut\r\n", 1, 5, YUN_VCARD_ERROR_MALFORMED,
                  "no END:VCARD");
  assert_problem (GOOD_CARD "END:VCARD\r\n", 1, 5, YUN_VCARD_ERROR_MALFORMED,
                  "END:VCARD without BEGIN:VCARD");
  assert_problem ("hello\r\nworld\r\n" GOOD_CARD, 1, 1, YUN_VCARD_ERROR_MALFORMED,
                  "outside BEGIN:VCARD");
  assert_problem ("BEGIN:VCARD\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_MALFORMED, "only BEGIN:VCARD and END:VCARD");
  assert_problem ("BEGIN:VCARD\r\nVERSION:5.0\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_MALFORMED, "5.0 is not a vCard version");
}

static void
test_malformed_encodings (void)
{
  assert_problem ("BEGIN:VCARD\r\nPHOTO;ENCODING=b:abc*def\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_ENCODING, "PHOTO: not valid base64");
  assert_problem ("BEGIN:VCARD\r\nPHOTO:data:image/png;base64,a=b=\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_ENCODING, "not valid base64");
  assert_problem ("BEGIN:VCARD\r\nPHOTO:not a link\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_MALFORMED, "PHOTO: expected");
  assert_problem ("BEGIN:VCARD\r\nNOTE;ENCODING=QUOTED-PRINTABLE:bad =ZZ\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_ENCODING, "quoted-printable");
  assert_problem ("BEGIN:VCARD\r\nFN:Latin \xe9\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_ENCODING, "FN: the value is not valid UTF-8");
  assert_problem ("BEGIN:VCARD\r\nNOTE;ENCODING=QUOTED-PRINTABLE:nul=00\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_ENCODING, "not valid UTF-8");
  assert_problem ("BEGIN:VCARD\r\nFN;CHARSET=NO-SUCH-CHARSET:x\r\nEND:VCARD\r\n" GOOD_CARD,
                  1, 2, YUN_VCARD_ERROR_ENCODING, "CHARSET=NO-SUCH-CHARSET");

  /* Found by fuzz-vcard: iconv's message quotes a CHARSET that is not
   * UTF-8; problem messages must be UTF-8 all the same. */
  {
    g_autoptr(YunVcard) vcard = parse ("BEGIN:VCARD\r\nFN;CHARSET=X-\xd5\xc4:x\r\nEND:VCARD\r\n");

    g_assert_cmpuint (yun_vcard_get_n_problems (vcard), ==, 1);
    g_assert_true (g_utf8_validate (yun_vcard_get_problem (vcard, 0)->message, -1, NULL));
  }
}

static void
test_line_too_long (void)
{
  g_autoptr(GString) text = g_string_new ("BEGIN:VCARD\r\nFN:x\r\nNOTE:");
  g_autoptr(GString) folded = g_string_new ("BEGIN:VCARD\r\nNOTE:");
  g_autoptr(GString) fits = g_string_new ("BEGIN:VCARD\r\nNOTE:");

  for (int i = 0; i < YUN_VCARD_MAX_LINE; i++)
    g_string_append_c (text, 'a');
  g_string_append (text, "\r\nEND:VCARD\r\n" GOOD_CARD);
  assert_problem (text->str, 1, 3, YUN_VCARD_ERROR_TOO_LARGE, "over 65536 bytes unfolded");

  /* Folded lines count once unfolded. */
  for (int i = 0; i < YUN_VCARD_MAX_LINE / 70 + 1; i++)
    g_string_append (folded, "0123456789012345678901234567890123456789012345678901234567890123456789"
                             "\r\n ");
  g_string_append (folded, "x\r\nEND:VCARD\r\n" GOOD_CARD);
  assert_problem (folded->str, 1, 2, YUN_VCARD_ERROR_TOO_LARGE, "unfolded");

  /* Exactly at the limit is fine. */
  for (gsize i = strlen ("NOTE:"); i < YUN_VCARD_MAX_LINE; i++)
    g_string_append_c (fits, 'b');
  g_string_append (fits, "\r\nEND:VCARD\r\n");
  {
    g_autoptr(YunVcard) vcard = parse (fits->str);

    g_assert_cmpuint (yun_vcard_get_n_problems (vcard), ==, 0);
    g_assert_cmpuint (yun_vcard_get_n_cards (vcard), ==, 1);
  }
}

static void
test_card_too_large (void)
{
  g_autoptr(GString) text = g_string_new ("BEGIN:VCARD\r\nFN:big\r\n");
  guint lines = 0;

  while (text->len <= YUN_VCARD_MAX_CARD) {
    g_string_append (text, "NOTE:0123456789012345678901234567890123456789012345678901234567890\r\n");
    lines++;
  }
  g_string_append (text, "END:VCARD\r\n" GOOD_CARD);
  assert_problem (text->str, 1, lines + 2, YUN_VCARD_ERROR_TOO_LARGE, "over 1048576 bytes");
}

static void
test_too_many_cards (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(YunVcard) vcard = NULL;
  const YunVcardProblem *problem;

  for (int i = 0; i <= YUN_VCARD_MAX_CARDS; i++)
    g_string_append (text, "BEGIN:VCARD\nEND:VCARD\n");
  vcard = parse (text->str);

  g_assert_cmpuint (yun_vcard_get_n_cards (vcard), ==, YUN_VCARD_MAX_CARDS);
  g_assert_cmpuint (yun_vcard_get_n_problems (vcard), ==, 1);
  problem = yun_vcard_get_problem (vcard, 0);
  g_assert_cmpint (problem->code, ==, YUN_VCARD_ERROR_TOO_MANY);
  g_assert_cmpuint (problem->line, ==, 2 * YUN_VCARD_MAX_CARDS + 1);
}

static void
test_problems_keep_order_and_lines (void)
{
  g_autoptr(YunVcard) vcard = parse (GOOD_CARD
                                     "BEGIN:VCARD\nBAD LINE\nEND:VCARD\n"
                                     GOOD_CARD
                                     "BEGIN:VCARD\nFN:\xff\nEND:VCARD\n"
                                     GOOD_CARD);

  g_assert_cmpuint (yun_vcard_get_n_cards (vcard), ==, 3);
  g_assert_cmpuint (yun_vcard_get_n_problems (vcard), ==, 2);
  g_assert_cmpuint (yun_vcard_get_problem (vcard, 0)->line, ==, 6);
  g_assert_cmpuint (yun_vcard_get_problem (vcard, 1)->line, ==, 13);
  assert_card (vcard, 2, GOOD_JSON);
}

/* A stream that hands out its data 7 bytes at a time, so lines and CRLF
 * pairs are split across reads. */
#define TEST_TYPE_TRICKLE_STREAM (test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, TEST, TRICKLE_STREAM, GInputStream)

struct _TestTrickleStream
{
  GInputStream parent_instance;

  GBytes *bytes;
  gsize offset;
};

G_DEFINE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
test_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (stream);
  gsize size;
  const char *data = g_bytes_get_data (self->bytes, &size);
  gsize n = MIN (MIN (count, 7), size - self->offset);

  memcpy (buffer, data + self->offset, n);
  self->offset += n;
  return (gssize) n;
}

static void
test_trickle_stream_finalize (GObject *object)
{
  g_bytes_unref (TEST_TRICKLE_STREAM (object)->bytes);
  G_OBJECT_CLASS (test_trickle_stream_parent_class)->finalize (object);
}

static void
test_trickle_stream_class_init (TestTrickleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_trickle_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_trickle_stream_read;
}

static void
test_trickle_stream_init (TestTrickleStream *self)
{
}

static GInputStream *
trickle_stream (const char *text,
                gsize       length)
{
  TestTrickleStream *stream = g_object_new (TEST_TYPE_TRICKLE_STREAM, NULL);

  stream->bytes = g_bytes_new (text, length);
  return G_INPUT_STREAM (stream);
}

static void
assert_same_result (YunVcard *a,
                    YunVcard *b)
{
  g_assert_cmpuint (yun_vcard_get_n_cards (a), ==, yun_vcard_get_n_cards (b));
  g_assert_cmpuint (yun_vcard_get_n_problems (a), ==, yun_vcard_get_n_problems (b));
  for (guint i = 0; i < yun_vcard_get_n_cards (a); i++) {
    g_autofree char *ja = card_json (a, i);
    g_autofree char *jb = card_json (b, i);

    g_assert_cmpstr (ja, ==, jb);
  }
  for (guint i = 0; i < yun_vcard_get_n_problems (a); i++) {
    g_assert_cmpuint (yun_vcard_get_problem (a, i)->line, ==, yun_vcard_get_problem (b, i)->line);
    g_assert_cmpstr (yun_vcard_get_problem (a, i)->message, ==,
                     yun_vcard_get_problem (b, i)->message);
  }
}

static void
test_stream_matches_string (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new ("\xef\xbb\xbf" GOOD_CARD
                                          "BEGIN:VCARD\r\nNOTE;QUOTED-PRINTABLE:a=\r\nb\r\n"
                                          " c\r\nEND:VCARD\r\n"
                                          "BEGIN:VCARD\r\nNOTE:");
  g_autoptr(YunVcard) from_string = NULL;
  g_autoptr(YunVcard) from_stream = NULL;
  g_autoptr(YunVcard) from_chunks = NULL;
  g_autoptr(GInputStream) trickle = NULL;
  g_autoptr(GInputStream) memory = NULL;
  g_autoptr(GBytes) bytes = NULL;

  /* A line far over the limit, then more cards, then no final newline. */
  for (int i = 0; i < 3 * YUN_VCARD_MAX_LINE; i++)
    g_string_append_c (text, 'z');
  g_string_append (text, "\r\nEND:VCARD\r\n" GOOD_CARD "BEGIN:VCARD\nFN:last\nEND:VCARD");

  from_string = yun_vcard_parse (text->str, text->len);
  g_assert_cmpuint (yun_vcard_get_n_cards (from_string), ==, 4);
  g_assert_cmpuint (yun_vcard_get_n_problems (from_string), ==, 1);

  trickle = trickle_stream (text->str, text->len);
  from_stream = yun_vcard_parse_stream (trickle, NULL, &error);
  g_assert_no_error (error);
  assert_same_result (from_string, from_stream);

  bytes = g_bytes_new (text->str, text->len);
  memory = g_memory_input_stream_new_from_bytes (bytes);
  from_chunks = yun_vcard_parse_stream (memory, NULL, &error);
  g_assert_no_error (error);
  assert_same_result (from_string, from_chunks);
}

typedef struct {
  GPtrArray *json;     /* of char *: each card handed over, as JSON */
  GArray *lines;       /* of guint */
  guint photos;
} Handed;

static void
collect_card (JsonObject *card,
              GBytes     *photo,
              guint       line,
              gpointer    data)
{
  Handed *handed = data;
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), card);

  g_ptr_array_add (handed->json, json_to_string (node, FALSE));
  g_array_append_val (handed->lines, line);
  handed->photos += photo != NULL;
}

/* Each card goes to the function as it is read, in order, with its line
 * and photo, and the result keeps none of them but all the problems. */
static void
test_parse_each_hands_cards_over (void)
{
  static const char text[] =
    GOOD_CARD
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nTEL;ENCODING=QUOTED-PRINTABLE:=ZZ\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pictured\r\n"
    "PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo=\r\nEND:VCARD\r\n";
  g_autoptr(YunVcard) kept = parse (text);
  g_autoptr(YunVcard) handed_over = NULL;
  g_autoptr(GPtrArray) json = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  Handed handed = { json, lines, 0 };

  handed_over = yun_vcard_parse_each (text, strlen (text), collect_card, &handed);
  g_assert_cmpuint (yun_vcard_get_n_cards (handed_over), ==, 0);
  g_assert_cmpuint (yun_vcard_get_n_cards (kept), ==, 2);
  g_assert_cmpuint (json->len, ==, 2);
  for (guint i = 0; i < json->len; i++) {
    g_autofree char *expected = card_json (kept, i);

    g_assert_cmpstr (g_ptr_array_index (json, i), ==, expected);
    g_assert_cmpuint (g_array_index (lines, guint, i), ==, yun_vcard_get_line (kept, i));
  }
  g_assert_cmpuint (g_array_index (lines, guint, 1), ==, 10);
  g_assert_cmpuint (handed.photos, ==, 1);

  g_assert_cmpuint (yun_vcard_get_n_problems (handed_over), ==, 1);
  g_assert_cmpuint (yun_vcard_get_problem (handed_over, 0)->line, ==,
                    yun_vcard_get_problem (kept, 0)->line);
  g_assert_cmpstr (yun_vcard_get_problem (handed_over, 0)->message, ==,
                   yun_vcard_get_problem (kept, 0)->message);
}

static gboolean
all_lines_fold_correctly (const char *text)
{
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_str_has_suffix (text, "\r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    if (strlen (lines[i]) > 75 || !g_utf8_validate (lines[i], -1, NULL) ||
        strchr (lines[i], '\n') != NULL)
      return FALSE;
  }
  return TRUE;
}

static void
test_write_folds_at_75_octets (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) card = json_object_new ();
  g_autoptr(GString) note = g_string_new (NULL);
  g_autoptr(YunVcard) back = NULL;
  g_autofree char *text = NULL;

  /* Two-, three- and four-byte characters, so folds fall inside them. */
  for (int i = 0; i < 60; i++)
    g_string_append (note, "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80");
  json_object_set_string_member (card, "note", note->str);

  text = yun_vcard_write (card, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:\r\nNOTE:"));
  g_assert_true (all_lines_fold_correctly (text));
  g_assert_nonnull (strstr (text, "\r\n "));

  back = parse (text);
  g_assert_cmpuint (yun_vcard_get_n_problems (back), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (yun_vcard_get_card (back, 0), "note"), ==,
                   note->str);
}

static void
test_write_escapes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) card = NULL;
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_parser_load_from_data (parser,
                              "{\"name\": {\"formatted\": \"A, B; C\\\\D\", \"family\": \"x;y\"},"
                              " \"note\": \"l1\\r\\nl2\\rl3\\nl4\","
                              " \"tel\": [{\"value\": \"+1\", \"types\": [\"Home\", \"bad type\", \"pref\"],"
                              "           \"pref\": true}]}", -1, NULL);
  card = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  text = yun_vcard_write (card, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "BEGIN:VCARD\r\n"
                   "VERSION:4.0\r\n"
                   "FN:A\\, B\\; C\\\\D\r\n"
                   "N:x\\;y;;;;\r\n"
                   "TEL;TYPE=home;PREF=1:+1\r\n"
                   "NOTE:l1\\nl2\\nl3\\nl4\r\n"
                   "END:VCARD\r\n");
}

static void
test_write_refuses_non_contacts (void)
{
  const char *bad[][2] = {
    { "{\"name\": \"Bob\"}", "name: expected an object" },
    { "{\"name\": {\"given\": 3}}", "name.given: expected a string" },
    { "{\"tel\": {}}", "tel: expected an array" },
    { "{\"tel\": [\"123\"]}", "tel[0]: expected an object" },
    { "{\"tel\": [{\"types\": []}]}", "tel[0].value: expected a string" },
    { "{\"email\": [{\"value\": \"a@b\", \"types\": \"home\"}]}", "email[0].types: expected an array" },
    { "{\"email\": [{\"value\": \"a@b\", \"pref\": 1}]}", "email[0].pref: expected a boolean" },
    { "{\"address\": [{\"street\": []}]}", "address[0].street: expected a string" },
    { "{\"photo\": {\"url\": \"not a url\"}}", "photo.url: expected a URL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *text = NULL;

    g_assert_true (json_parser_load_from_data (parser, bad[i][0], -1, NULL));
    text = yun_vcard_write (json_node_get_object (json_parser_get_root (parser)), NULL, &error);
    g_assert_null (text);
    g_assert_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID);
    if (strstr (error->message, bad[i][1]) == NULL)
      g_error ("message \"%s\" does not mention \"%s\"", error->message, bad[i][1]);
  }
}

/* parse -> write -> parse gives the same contact and photo. */
static void
assert_round_trip (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(YunVcard) first = parse (text);
  g_autoptr(GString) written = g_string_new (NULL);
  g_autoptr(YunVcard) second = NULL;

  g_assert_cmpuint (yun_vcard_get_n_problems (first), ==, 0);
  for (guint i = 0; i < yun_vcard_get_n_cards (first); i++) {
    g_autofree char *card = yun_vcard_write (yun_vcard_get_card (first, i),
                                             yun_vcard_get_photo (first, i), &error);

    g_assert_no_error (error);
    g_assert_true (all_lines_fold_correctly (card));
    g_string_append (written, card);
  }

  second = yun_vcard_parse (written->str, written->len);
  g_assert_cmpuint (yun_vcard_get_n_problems (second), ==, 0);
  g_assert_cmpuint (yun_vcard_get_n_cards (second), ==, yun_vcard_get_n_cards (first));
  for (guint i = 0; i < yun_vcard_get_n_cards (first); i++) {
    g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), yun_vcard_get_card (first, i));
    g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), yun_vcard_get_card (second, i));
    GBytes *photo_a = yun_vcard_get_photo (first, i);
    GBytes *photo_b = yun_vcard_get_photo (second, i);

    if (!json_node_equal (a, b)) {
      g_autofree char *ja = json_to_string (a, FALSE);
      g_autofree char *jb = json_to_string (b, FALSE);

      g_error ("card %u changed in the round trip:\n%s\n%s", i, ja, jb);
    }
    g_assert_true ((photo_a == NULL) == (photo_b == NULL));
    if (photo_a != NULL)
      g_assert_true (g_bytes_equal (photo_a, photo_b));
  }
}

static void
test_round_trip (void)
{
  assert_round_trip ("BEGIN:VCARD\r\n"
                     "VERSION:3.0\r\n"
                     "N:Gump;Forrest;A,B;Mr.;III\r\n"
                     "FN:Forrest Gump\r\n"
                     "ORG:Bubba Gump Shrimp Co.;Boats;Nets\r\n"
                     "TITLE:Shrimp Man\r\n"
                     "TEL;TYPE=WORK,VOICE:(111) 555-1212\r\n"
                     "TEL;TYPE=HOME;TYPE=PREF:(404) 555-1212\r\n"
                     "ADR;TYPE=WORK:PO 1;Unit 2;100 Waters Edge\\nBack door;Baytown;LA;30314;USA\r\n"
                     "EMAIL;TYPE=PREF,INTERNET:forrest@example.com\r\n"
                     "NOTE:Semi\\; colon\\, comma \\\\ back\\nslash and a long line that goes well "
                     "beyond seventy-five octets \xe4\xb8\xad\xe6\x96\x87\r\n"
                     "REV:2008-04-24T19:52:43Z\r\n"
                     "BDAY:1944-06-06\r\n"
                     "UID:urn:uuid:0a1b\r\n"
                     "PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgoAAQL/\r\n"
                     "END:VCARD\r\n"
                     "BEGIN:VCARD\r\n"
                     "VERSION:2.1\r\n"
                     "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0;=E4=B8=89;;;\r\n"
                     "TEL;CELL;PREF:13800000000\r\n"
                     "PHOTO;VALUE=URL;TYPE=GIF:http://example.com/p.gif\r\n"
                     "END:VCARD\r\n"
                     "BEGIN:VCARD\r\n"
                     "VERSION:4.0\r\n"
                     "FN:Only Org\r\n"
                     "ORG:;Dept only\r\n"
                     "EMAIL:x@example.com\r\n"
                     "END:VCARD\r\n"
                     "BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n");
}

/* Not a test: how long reading 10,000 cards takes (DESIGN.md wants an
 * import of 10,000 under 1 s).  Run with -m perf. */
static void
test_perf_10k (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(YunVcard) vcard = NULL;
  gint64 start;
  double seconds;

  if (!g_test_perf ()) {
    g_test_skip ("a measurement; run with -m perf");
    return;
  }

  for (int i = 0; i < 10000; i++)
    g_string_append_printf (text,
                            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
                            "N:Family%d;Given%d;;;\r\nFN:Given%d Family%d\r\n"
                            "TEL;TYPE=CELL,VOICE:+86 138 %04d %04d\r\n"
                            "TEL;TYPE=HOME:+86 10 %04d %04d\r\n"
                            "EMAIL;TYPE=INTERNET,HOME:given%d@example.com\r\n"
                            "ADR;TYPE=HOME:;;%d Main Street;Hangzhou;Zhejiang;310000;China\r\n"
                            "ORG:Company %d\r\nNOTE:Met at a conference\\, year %d.\r\n"
                            "UID:urn:uuid:%08d-0000-4000-8000-000000000000\r\n"
                            "BDAY:1980-01-%02d\r\nREV:2024-01-01T00:00:00Z\r\n"
                            "END:VCARD\r\n",
                            i, i, i, i, i / 10000, i % 10000, i % 7919, i % 9973, i, i, i, i, i,
                            i % 28 + 1);

  start = g_get_monotonic_time ();
  vcard = yun_vcard_parse (text->str, text->len);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  g_assert_cmpuint (yun_vcard_get_n_cards (vcard), ==, 10000);
  g_assert_cmpuint (yun_vcard_get_n_problems (vcard), ==, 0);
  g_test_minimized_result (seconds, "parsed 10,000 cards (%.1f MB) in %.3f s",
                           text->len / 1e6, seconds);
}

/* Bytes that start like a PNG, and are not all alike, so that base64
 * gives a long line of varied text. */
static GBytes *
fake_photo (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + i / 251);
  memcpy (data, "\x89PNG\r\n\x1a\n", 8);
  return g_bytes_new_take (data, size);
}

static char *
photo_card (GBytes   *photo,
            gboolean  folded)
{
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (photo, NULL),
                                             g_bytes_get_size (photo));
  GString *text = g_string_new ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pic\r\n"
                                "PHOTO;ENCODING=b;TYPE=PNG:");

  for (const char *p = base64; *p != '\0'; p++) {
    g_string_append_c (text, *p);
    if (folded && (p - base64) % 74 == 73)
      g_string_append (text, "\r\n ");
  }
  g_string_append (text, "\r\nEND:VCARD\r\n" GOOD_CARD);
  return g_string_free (text, FALSE);
}

/* A photo far over the 64 KiB of other lines, one line or folded. */
static void
test_photo_large_embedded (void)
{
  g_autoptr(GBytes) photo = fake_photo (2 * 1024 * 1024);

  for (guint folded = 0; folded < 2; folded++) {
    g_autofree char *text = photo_card (photo, folded);
    g_autoptr(YunVcard) vcard = parse (text);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, strlen (text), NULL);
    g_autoptr(YunVcard) streamed = yun_vcard_parse_stream (stream, NULL, NULL);

    g_assert_cmpuint (yun_vcard_get_n_problems (vcard), ==, 0);
    g_assert_cmpuint (yun_vcard_get_n_cards (vcard), ==, 2);
    g_assert_true (g_bytes_equal (yun_vcard_get_photo (vcard, 0), photo));
    g_assert_cmpuint (yun_vcard_get_n_problems (streamed), ==, 0);
    g_assert_true (g_bytes_equal (yun_vcard_get_photo (streamed, 0), photo));
  }
}

/* Photos have a limit too, and it is theirs alone. */
static void
test_photo_over_limit (void)
{
  g_autoptr(GBytes) photo = fake_photo (YUN_VCARD_MAX_PHOTO_LINE / 4 * 3 + 3);
  g_autoptr(GString) note = g_string_new ("BEGIN:VCARD\r\nFN:Long\r\nNOTE:");

  for (guint folded = 0; folded < 2; folded++) {
    g_autofree char *text = photo_card (photo, folded);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (text, strlen (text), NULL);
    g_autoptr(YunVcard) streamed = yun_vcard_parse_stream (stream, NULL, NULL);

    assert_problem (text, 1, 4, YUN_VCARD_ERROR_TOO_LARGE, "PHOTO");
    g_assert_cmpuint (yun_vcard_get_n_cards (streamed), ==, 1);
    g_assert_cmpuint (yun_vcard_get_n_problems (streamed), ==, 1);
    g_assert_cmpuint (yun_vcard_get_problem (streamed, 0)->line, ==, 4);
  }

  /* A NOTE as long as a photo is still too long. */
  for (guint i = 0; i < 100 * 1024; i++)
    g_string_append_c (note, 'n');
  g_string_append (note, "\r\nEND:VCARD\r\n" GOOD_CARD);
  assert_problem (note->str, 1, 3, YUN_VCARD_ERROR_TOO_LARGE, "over 65536 bytes unfolded");
}

/* Many PHOTO lines in one card count together. */
static void
test_photo_lines_add_up (void)
{
  g_autoptr(GBytes) photo = fake_photo (40 * 1024);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (photo, NULL),
                                             g_bytes_get_size (photo));
  g_autoptr(GString) text = g_string_new ("BEGIN:VCARD\r\nFN:Many\r\n");
  guint lines = 2;

  while (text->len <= YUN_VCARD_MAX_PHOTO_LINE + 1024) {
    g_string_append_printf (text, "PHOTO;ENCODING=b:%s\r\n", base64);
    lines++;
  }
  g_string_append (text, "END:VCARD\r\n" GOOD_CARD);
  assert_problem (text->str, 1, lines, YUN_VCARD_ERROR_TOO_LARGE, "PHOTO");
}

static void
test_card_lines (void)
{
  g_autoptr(YunVcard) vcard = parse ("\r\n" GOOD_CARD "junk\r\n" GOOD_CARD);

  g_assert_cmpuint (yun_vcard_get_n_cards (vcard), ==, 2);
  g_assert_cmpuint (yun_vcard_get_line (vcard, 0), ==, 2);
  g_assert_cmpuint (yun_vcard_get_line (vcard, 1), ==, 7);
}

static void
test_write_3_0 (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) photo = fake_photo (300);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(YunVcard) back = NULL;
  JsonObject *card;

  json_parser_load_from_data (parser, "{\"tel\": [{\"value\": \"123\", \"types\": [\"cell\"],"
                                      " \"pref\": true}], \"email\": [{\"value\": \"a@b\","
                                      " \"pref\": true}], \"photo\": {\"content_type\": \"image/png\"}}",
                              -1, &error);
  g_assert_no_error (error);
  card = json_node_get_object (json_parser_get_root (parser));
  text = yun_vcard_write_version (card, photo, YUN_VCARD_VERSION_3_0, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nN:;;;;\r\n"));
  g_assert_nonnull (strstr (text, "TEL;TYPE=cell,pref:123\r\n"));
  g_assert_nonnull (strstr (text, "EMAIL;TYPE=pref:a@b\r\n"));
  g_assert_nonnull (strstr (text, "PHOTO;ENCODING=b;TYPE=PNG:"));

  back = parse (text);
  g_assert_cmpuint (yun_vcard_get_n_problems (back), ==, 0);
  g_assert_true (g_bytes_equal (yun_vcard_get_photo (back, 0), photo));
  assert_card (back, 0, "{\"tel\":[{\"value\":\"123\",\"types\":[\"cell\"],\"pref\":true}],"
                        "\"email\":[{\"value\":\"a@b\",\"types\":[],\"pref\":true}],"
                        "\"photo\":{\"content_type\":\"image/png\"}}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/yun/services/vcard/version-3", test_version_3);
  g_test_add_func ("/yun/services/vcard/version-4", test_version_4);
  g_test_add_func ("/yun/services/vcard/unfolding", test_unfolding);
  g_test_add_func ("/yun/services/vcard/groups", test_groups);
  g_test_add_func ("/yun/services/vcard/parameters", test_parameters);
  g_test_add_func ("/yun/services/vcard/escapes", test_escapes);
  g_test_add_func ("/yun/services/vcard/quoted-printable", test_quoted_printable);
  g_test_add_func ("/yun/services/vcard/quoted-printable-only-as-encoding",
                   test_quoted_printable_only_as_encoding);
  g_test_add_func ("/yun/services/vcard/fn-from-n", test_fn_from_n);
  g_test_add_func ("/yun/services/vcard/photo-base64", test_photo_base64);
  g_test_add_func ("/yun/services/vcard/photo-data-uri", test_photo_data_uri);
  g_test_add_func ("/yun/services/vcard/photo-url", test_photo_url);
  g_test_add_func ("/yun/services/vcard/photo-large-embedded", test_photo_large_embedded);
  g_test_add_func ("/yun/services/vcard/photo-over-limit", test_photo_over_limit);
  g_test_add_func ("/yun/services/vcard/photo-lines-add-up", test_photo_lines_add_up);
  g_test_add_func ("/yun/services/vcard/card-lines", test_card_lines);
  g_test_add_func ("/yun/services/vcard/write-3.0", test_write_3_0);
  g_test_add_func ("/yun/services/vcard/several-cards", test_several_cards);
  g_test_add_func ("/yun/services/vcard/malformed-lines", test_malformed_lines);
  g_test_add_func ("/yun/services/vcard/malformed-structure", test_malformed_structure);
  g_test_add_func ("/yun/services/vcard/malformed-encodings", test_malformed_encodings);
  g_test_add_func ("/yun/services/vcard/line-too-long", test_line_too_long);
  g_test_add_func ("/yun/services/vcard/card-too-large", test_card_too_large);
  g_test_add_func ("/yun/services/vcard/too-many-cards", test_too_many_cards);
  g_test_add_func ("/yun/services/vcard/problems-keep-order-and-lines",
                   test_problems_keep_order_and_lines);
  g_test_add_func ("/yun/services/vcard/stream-matches-string", test_stream_matches_string);
  g_test_add_func ("/yun/services/vcard/parse-each-hands-cards-over",
                   test_parse_each_hands_cards_over);
  g_test_add_func ("/yun/services/vcard/write-folds-at-75-octets", test_write_folds_at_75_octets);
  g_test_add_func ("/yun/services/vcard/write-escapes", test_write_escapes);
  g_test_add_func ("/yun/services/vcard/write-refuses-non-contacts",
                   test_write_refuses_non_contacts);
  g_test_add_func ("/yun/services/vcard/round-trip", test_round_trip);
  g_test_add_func ("/yun/services/vcard/perf-10k", test_perf_10k);

  return g_test_run ();
}
