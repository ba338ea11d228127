/* yun-vcard.c: vCard 2.1, 3.0 and 4.0 import, vCard 3.0 and 4.0 export.
 *
 * Reading follows RFC 6350 (4.0) and RFC 2426 (3.0) and accepts what phones
 * write in the older 2.1 style: bare parameters (TEL;HOME;VOICE:),
 * QUOTED-PRINTABLE values with soft line breaks, and CHARSET.  A card that
 * cannot be read is reported with its line number and skipped; the cards
 * around it are still imported.
 *
 * Each card becomes a JSON object shaped like a W3C Contact:
 *
 *   {"name": {"formatted", "given", "family", "additional", "prefix",
 *             "suffix"},
 *    "tel": [{"value", "types": [...], "pref"?}], "email": [...],
 *    "address": [{"street", "locality", "region", "postal_code", "country",
 *                 "po_box"?, "extended"?, "types", "pref"?}],
 *    "org", "department", "title", "note", "uid", "rev", "bday",
 *    "photo": {"content_type", "url"?}}
 *
 * Members with nothing to say are left out.  An embedded photo's bytes are
 * not JSON: they come from yun_vcard_get_photo().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-vcard.h"

#include <string.h>

#define READ_CHUNK (64 * 1024)
/* Names longer than this are kept cut short: the properties and
 * parameters this reads all have short names. */
#define MAX_NAME 32
/* More parameter values than this on one property is not a real card. */
#define MAX_PARAMS 64
/* Physical lines are cut here; what a logical line may hold depends on
 * whether it is a PHOTO. */
#define MAX_PHYSICAL (YUN_VCARD_MAX_PHOTO_LINE + 1)

typedef struct {
  JsonObject *contact;
  GBytes *photo;
  guint line;
} Card;

struct _YunVcard
{
  GObject parent_instance;

  GPtrArray *cards;     /* of Card */
  GArray *problems;     /* of YunVcardProblem */
};

G_DEFINE_FINAL_TYPE (YunVcard, yun_vcard, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-vcard-error-quark, yun_vcard_error)

static void
card_free (Card *card)
{
  json_object_unref (card->contact);
  g_clear_pointer (&card->photo, g_bytes_unref);
  g_free (card);
}

static void
problem_clear (YunVcardProblem *problem)
{
  g_free (problem->message);
}

/* One content line taken apart.  Reading a card meets hundreds of
 * thousands of these, so they live on the stack. */

typedef struct {
  char name[MAX_NAME];  /* uppercase */
  char *value;
} Param;

typedef struct {
  char name[MAX_NAME];  /* uppercase */
  Param params[MAX_PARAMS];  /* one per value of a list */
  guint n_params;
  const char *value;    /* points into the line */
  gsize value_length;
} Property;

static void
property_clear (Property *prop)
{
  for (guint i = 0; i < prop->n_params; i++)
    g_free (prop->params[i].value);
  prop->n_params = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Property, property_clear)

/* What a card says, gathered while its lines go by and turned into JSON
 * at END:VCARD, in one fixed member order. */
typedef struct {
  char *formatted;
  char *family;
  char *given;
  char *additional;
  char *prefix;
  char *suffix;
  gboolean have_n;
  JsonArray *tel;
  JsonArray *email;
  JsonArray *address;
  char *org;
  char *department;
  char *title;
  char *note;
  char *uid;
  char *rev;
  char *bday;
  char *photo_type;
  char *photo_url;
  GBytes *photo;
  gboolean have_photo;
} Fields;

static void
fields_clear (Fields *fields)
{
  g_free (fields->formatted);
  g_free (fields->family);
  g_free (fields->given);
  g_free (fields->additional);
  g_free (fields->prefix);
  g_free (fields->suffix);
  g_clear_pointer (&fields->tel, json_array_unref);
  g_clear_pointer (&fields->email, json_array_unref);
  g_clear_pointer (&fields->address, json_array_unref);
  g_free (fields->org);
  g_free (fields->department);
  g_free (fields->title);
  g_free (fields->note);
  g_free (fields->uid);
  g_free (fields->rev);
  g_free (fields->bday);
  g_free (fields->photo_type);
  g_free (fields->photo_url);
  g_clear_pointer (&fields->photo, g_bytes_unref);
  memset (fields, 0, sizeof *fields);
}

typedef enum {
  OUTSIDE,
  IN_CARD,
  SKIPPING,
} State;

typedef struct {
  YunVcard *result;
  /* Where read cards go when they are not kept in result. */
  YunVcardFunc func;
  gpointer user_data;

  State state;
  guint card_line;
  gsize card_bytes;
  gsize card_photo_bytes;
  Fields fields;
  guint n_begun;
  gboolean stopped;
  /* Text outside cards is reported once per stretch, not per line. */
  gboolean junk_reported;

  /* The logical line being unfolded. */
  GString *logical;
  gboolean have_logical;
  guint logical_line;
  gsize logical_raw;
  gboolean logical_too_long;
  /* Whether the logical line is a PHOTO, known from its first bytes. */
  gboolean logical_photo;
} Parser;

static void
add_problem (Parser        *parser,
             guint          line,
             YunVcardError  code,
             const char    *format,
             ...) G_GNUC_PRINTF (4, 5);

static void
add_problem (Parser        *parser,
             guint          line,
             YunVcardError  code,
             const char    *format,
             ...)
{
  YunVcardProblem problem = { line, code, NULL };
  va_list args;

  va_start (args, format);
  problem.message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Messages quote the input (a CHARSET name in iconv's own words, say),
   * and whoever shows them needs UTF-8. */
  if (!g_utf8_validate (problem.message, -1, NULL)) {
    char *valid = g_utf8_make_valid (problem.message, -1);

    g_free (problem.message);
    problem.message = valid;
  }
  g_array_append_val (parser->result->problems, problem);
}

/* Fails the card being read; its remaining lines are skipped. */
static void
fail_card (Parser       *parser,
           guint         line,
           const GError *error)
{
  add_problem (parser, line, error->code, "%s", error->message);
  fields_clear (&parser->fields);
  parser->state = SKIPPING;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

static void
copy_name (char        name[MAX_NAME],
           const char *text,
           gsize       length)
{
  length = MIN (length, MAX_NAME - 1);
  for (gsize i = 0; i < length; i++)
    name[i] = g_ascii_toupper (text[i]);
  name[length] = '\0';
}

/* RFC 6868: ^n is a newline, ^^ a caret and ^' a double quote. */
static char *
decode_param_value (const char *text,
                    gsize       length)
{
  GString *value;

  if (memchr (text, '^', length) == NULL)
    return g_strndup (text, length);

  value = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++) {
    if (text[i] == '^' && i + 1 < length && strchr ("n^'", text[i + 1]) != NULL) {
      char next = text[++i];

      g_string_append_c (value, next == 'n' ? '\n' : next == '\'' ? '"' : '^');
    } else {
      g_string_append_c (value, text[i]);
    }
  }
  return g_string_free (value, FALSE);
}

/* vCard 2.1 lets a parameter's value stand alone: TEL;HOME;VOICE: and
 * NOTE;QUOTED-PRINTABLE:.  Those are types, or encodings. */
static gboolean
add_param (Property    *prop,
           const char  *name,
           gsize        name_length,
           char        *value,
           GError     **error)
{
  Param *param;

  if (prop->n_params == MAX_PARAMS) {
    g_free (value);
    g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                 "%s: more than %d parameter values", prop->name, MAX_PARAMS);
    return FALSE;
  }
  param = &prop->params[prop->n_params++];

  if (name == NULL) {
    static const char * const encodings[] = {
      "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT", NULL
    };
    gboolean is_encoding = FALSE;

    for (guint i = 0; encodings[i] != NULL; i++)
      is_encoding |= g_ascii_strcasecmp (value, encodings[i]) == 0;
    g_strlcpy (param->name, is_encoding ? "ENCODING" : "TYPE", MAX_NAME);
  } else {
    copy_name (param->name, name, name_length);
  }
  param->value = value;
  return TRUE;
}

static gboolean
parse_property (const char  *line,
                gsize        length,
                Property    *prop,
                GError     **error)
{
  gsize i = 0;
  gsize start;

  while (i < length && is_name_char (line[i]))
    i++;
  if (i < length && line[i] == '.' && i > 0) {
    /* A group such as item1.TEL: it only ties properties together, which
     * the contact shape has no use for. */
    start = ++i;
    while (i < length && is_name_char (line[i]))
      i++;
  } else {
    start = 0;
  }
  if (i == start) {
    g_set_error_literal (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                         "expected a property name such as TEL");
    return FALSE;
  }
  copy_name (prop->name, line + start, i - start);

  while (i < length && line[i] == ';') {
    gsize name_start = ++i;
    gsize name_length;

    while (i < length && is_name_char (line[i]))
      i++;
    name_length = i - name_start;
    if (name_length == 0) {
      g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                   "%s: expected a parameter name after \";\"", prop->name);
      return FALSE;
    }

    if (i >= length || line[i] != '=') {
      if (!add_param (prop, NULL, 0, g_strndup (line + name_start, name_length), error))
        return FALSE;
      continue;
    }

    do {
      i++;
      if (i < length && line[i] == '"') {
        start = ++i;
        while (i < length && line[i] != '"')
          i++;
        if (i >= length) {
          g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                       "%s: a quoted parameter value has no closing quote", prop->name);
          return FALSE;
        }
        if (!add_param (prop, line + name_start, name_length,
                        decode_param_value (line + start, i - start), error))
          return FALSE;
        i++;
      } else {
        start = i;
        while (i < length && strchr (";:,\"", line[i]) == NULL)
          i++;
        if (i < length && line[i] == '"') {
          g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                       "%s: a quote inside an unquoted parameter value", prop->name);
          return FALSE;
        }
        if (!add_param (prop, line + name_start, name_length,
                        decode_param_value (line + start, i - start), error))
          return FALSE;
      }
    } while (i < length && line[i] == ',');
  }

  if (i >= length || line[i] != ':') {
    g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                 "%s: expected \":\" after the property name and parameters", prop->name);
    return FALSE;
  }

  prop->value = line + i + 1;
  prop->value_length = length - i - 1;
  return TRUE;
}

static const char *
get_param (const Property *prop,
           const char     *name)
{
  for (guint i = 0; i < prop->n_params; i++) {
    const Param *param = &prop->params[i];

    if (strcmp (param->name, name) == 0)
      return param->value;
  }
  return NULL;
}

/* Value decoding. */

static int
hex_value (char c)
{
  if (g_ascii_isdigit (c))
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static GByteArray *
decode_quoted_printable (const char  *text,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new (length);

  for (gsize i = 0; i < length; i++) {
    guint8 c = (guint8) text[i];

    if (c == '=') {
      int high = i + 1 < length ? hex_value (text[i + 1]) : -1;
      int low = i + 2 < length ? hex_value (text[i + 2]) : -1;

      /* A soft line break that survived unfolding: "=" at the very end. */
      if (i + 1 == length)
        break;
      if (high < 0 || low < 0) {
        g_set_error_literal (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_ENCODING,
                             "quoted-printable: \"=\" is not followed by two hex digits");
        return NULL;
      }
      c = (guint8) (high * 16 + low);
      i += 2;
    }
    g_byte_array_append (bytes, &c, 1);
  }
  return g_steal_pointer (&bytes);
}

/* Base64 as cards carry it: whitespace left by folding is skipped and the
 * padding may be missing, but anything else outside the alphabet is an
 * error (g_base64_decode() would skip it silently). */
static GBytes *
decode_base64 (const char  *text,
               gsize        length,
               GError     **error)
{
  g_autoptr(GString) clean = g_string_sized_new (length + 3);
  gsize padding = 0;
  guchar *data;
  gsize size;

  for (gsize i = 0; i < length; i++) {
    char c = text[i];

    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
      continue;
    if (c == '=') {
      padding++;
      continue;
    }
    if (padding > 0 || (!g_ascii_isalnum (c) && c != '+' && c != '/'))
      goto bad;
    g_string_append_c (clean, c);
  }
  if (padding > 2 || clean->len % 4 == 1)
    goto bad;
  while (clean->len % 4 != 0)
    g_string_append_c (clean, '=');

  if (clean->len == 0)
    return g_bytes_new (NULL, 0);
  data = g_base64_decode (clean->str, &size);
  return g_bytes_new_take (data, size);

bad:
  g_set_error_literal (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_ENCODING, "not valid base64");
  return NULL;
}

static gboolean
is_encoding (const Property *prop,
             const char     *name)
{
  const char *encoding = get_param (prop, "ENCODING");

  return encoding != NULL && g_ascii_strcasecmp (encoding, name) == 0;
}

static gboolean
is_base64 (const Property *prop)
{
  return is_encoding (prop, "B") || is_encoding (prop, "BASE64");
}

/* Backslash escapes of text values: \\ \, \; \n and \N.  An unknown escape
 * is kept as it is. */
static char *
unescape_text (const char *text,
               gsize       length)
{
  GString *value;

  if (memchr (text, '\\', length) == NULL)
    return g_strndup (text, length);

  value = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++) {
    if (text[i] == '\\' && i + 1 < length) {
      char next = text[i + 1];

      if (next == 'n' || next == 'N') {
        g_string_append_c (value, '\n');
        i++;
        continue;
      }
      if (next == '\\' || next == ',' || next == ';' || next == ':') {
        g_string_append_c (value, next);
        i++;
        continue;
      }
    }
    g_string_append_c (value, text[i]);
  }
  return g_string_free (value, FALSE);
}

/* Decodes one value, or one component of a structured value, into UTF-8
 * text, following the property's ENCODING and CHARSET. */
static char *
decode_text (const Property  *prop,
             const char      *raw,
             gsize            length,
             GError         **error)
{
  g_autoptr(GByteArray) qp = NULL;
  g_autoptr(GBytes) b64 = NULL;
  g_autofree char *converted = NULL;
  const char *charset = get_param (prop, "CHARSET");
  const char *text = raw;
  gsize size = length;
  const char *end;

  if (is_encoding (prop, "QUOTED-PRINTABLE")) {
    qp = decode_quoted_printable (raw, length, error);
    if (qp == NULL)
      return NULL;
    text = (const char *) qp->data;
    size = qp->len;
  } else if (is_base64 (prop)) {
    b64 = decode_base64 (raw, length, error);
    if (b64 == NULL)
      return NULL;
    text = g_bytes_get_data (b64, &size);
  }

  if (charset != NULL && g_ascii_strcasecmp (charset, "UTF-8") != 0 &&
      g_ascii_strcasecmp (charset, "UTF8") != 0) {
    g_autoptr(GError) local_error = NULL;
    gsize written;

    converted = g_convert (text != NULL ? text : "", size, "UTF-8", charset, NULL, &written,
                           &local_error);
    if (converted == NULL) {
      g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_ENCODING,
                   "%s: cannot read the text as CHARSET=%s: %s", prop->name,
                   g_utf8_validate (charset, -1, NULL) ? charset : "?", local_error->message);
      return NULL;
    }
    text = converted;
    size = written;
  }

  if (!g_utf8_validate_len (text != NULL ? text : "", size, &end)) {
    g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_ENCODING,
                 "%s: the value is not valid UTF-8 (at byte %" G_GSIZE_FORMAT "); "
                 "a CHARSET parameter may be missing", prop->name, (gsize) (end - text));
    return NULL;
  }

  return unescape_text (text != NULL ? text : "", size);
}

/* Splits a structured value (N, ADR, ORG) at the semicolons that are not
 * escaped, and decodes each component. */
static GStrv
decode_components (const Property  *prop,
                   guint            min_components,
                   GError         **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *value = prop->value;
  gsize length = prop->value_length;
  gsize start = 0;
  guint n = 0;

  for (gsize i = 0; i <= length; i++) {
    if (i < length && value[i] == '\\') {
      i++;
      continue;
    }
    if (i == length || value[i] == ';') {
      char *component = decode_text (prop, value + start, i - start, error);

      if (component == NULL)
        return NULL;
      g_strv_builder_add (builder, component);
      g_free (component);
      n++;
      start = i + 1;
    }
  }
  for (; n < min_components; n++)
    g_strv_builder_add (builder, "");

  return g_strv_builder_end (builder);
}

static char *
nonempty_or_null (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

/* TYPE values, lowercase and without repeats, and whether PREF was given
 * (4.0's PREF=n, or 3.0's TYPE=pref). */
static gboolean
has_string (JsonArray  *array,
            const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++) {
    if (strcmp (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  }
  return FALSE;
}

static JsonArray *
collect_types (const Property *prop,
               gboolean       *pref)
{
  g_autoptr(JsonArray) types = json_array_new ();

  *pref = FALSE;
  for (guint i = 0; i < prop->n_params; i++) {
    const Param *param = &prop->params[i];
    g_auto(GStrv) values = NULL;

    if (strcmp (param->name, "PREF") == 0) {
      *pref = TRUE;
      continue;
    }
    if (strcmp (param->name, "TYPE") != 0)
      continue;

    values = g_strsplit (param->value, ",", -1);
    for (guint j = 0; values[j] != NULL; j++) {
      g_autofree char *type = g_ascii_strdown (g_strstrip (values[j]), -1);

      if (*type == '\0' || !g_utf8_validate (type, -1, NULL) ||
          strcmp (type, "internet") == 0)
        continue;
      if (strcmp (type, "pref") == 0) {
        *pref = TRUE;
        continue;
      }
      if (!has_string (types, type))
        json_array_add_string_element (types, type);
    }
  }
  return g_steal_pointer (&types);
}

static JsonObject *
typed_value (const Property  *prop,
             const char      *strip_scheme,
             GError         **error)
{
  g_autofree char *value = decode_text (prop, prop->value, prop->value_length, error);
  g_autoptr(JsonObject) object = NULL;
  const char *text;
  gboolean pref;

  if (value == NULL)
    return NULL;
  text = g_strstrip (value);
  if (strip_scheme != NULL && g_ascii_strncasecmp (text, strip_scheme, strlen (strip_scheme)) == 0)
    text += strlen (strip_scheme);

  object = json_object_new ();
  json_object_set_string_member (object, "value", text);
  json_object_set_array_member (object, "types", collect_types (prop, &pref));
  if (pref)
    json_object_set_boolean_member (object, "pref", TRUE);
  return g_steal_pointer (&object);
}

static void
set_if_nonempty (JsonObject *object,
                 const char *member,
                 const char *value)
{
  if (value != NULL && *value != '\0')
    json_object_set_string_member (object, member, value);
}

static JsonObject *
address_value (const Property  *prop,
               GError         **error)
{
  g_auto(GStrv) parts = decode_components (prop, 7, error);
  g_autoptr(JsonObject) object = NULL;
  gboolean pref;

  if (parts == NULL)
    return NULL;

  object = json_object_new ();
  set_if_nonempty (object, "po_box", parts[0]);
  set_if_nonempty (object, "extended", parts[1]);
  set_if_nonempty (object, "street", parts[2]);
  set_if_nonempty (object, "locality", parts[3]);
  set_if_nonempty (object, "region", parts[4]);
  set_if_nonempty (object, "postal_code", parts[5]);
  set_if_nonempty (object, "country", parts[6]);
  json_object_set_array_member (object, "types", collect_types (prop, &pref));
  if (pref)
    json_object_set_boolean_member (object, "pref", TRUE);
  return g_steal_pointer (&object);
}

static char *
media_type_of (const char *type)
{
  static const struct {
    const char *name;
    const char *media_type;
  } known[] = {
    { "JPEG", "image/jpeg" }, { "JPG", "image/jpeg" }, { "PNG", "image/png" },
    { "GIF", "image/gif" }, { "BMP", "image/bmp" }, { "TIFF", "image/tiff" },
    { "WEBP", "image/webp" }, { "HEIC", "image/heic" },
  };

  if (type == NULL || !g_utf8_validate (type, -1, NULL))
    return NULL;
  if (strchr (type, '/') != NULL)
    return g_ascii_strdown (type, -1);
  for (guint i = 0; i < G_N_ELEMENTS (known); i++) {
    if (g_ascii_strcasecmp (type, known[i].name) == 0)
      return g_strdup (known[i].media_type);
  }
  return NULL;
}

static char *
sniff_media_type (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return g_strdup ("image/jpeg");
  if (size >= 4 && memcmp (data, "\x89PNG", 4) == 0)
    return g_strdup ("image/png");
  if (size >= 4 && memcmp (data, "GIF8", 4) == 0)
    return g_strdup ("image/gif");
  if (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return g_strdup ("image/webp");
  if (size >= 2 && memcmp (data, "BM", 2) == 0)
    return g_strdup ("image/bmp");
  return g_strdup ("application/octet-stream");
}

/* A URL needs a scheme and no spaces or control characters. */
static gboolean
looks_like_url (const char *text,
                gsize       length)
{
  gsize i = 0;

  if (length == 0 || !g_ascii_isalpha (text[0]))
    return FALSE;
  while (i < length && (g_ascii_isalnum (text[i]) || strchr ("+.-", text[i]) != NULL))
    i++;
  if (i >= length || text[i] != ':')
    return FALSE;
  for (i = 0; i < length; i++) {
    if ((guchar) text[i] <= 0x20 || text[i] == 0x7f)
      return FALSE;
  }
  return g_utf8_validate_len (text, length, NULL);
}

static GBytes *
percent_decode (const char  *text,
                gsize        length,
                GError     **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new (length);

  for (gsize i = 0; i < length; i++) {
    guint8 c = (guint8) text[i];

    if (c == '%') {
      int high = i + 1 < length ? hex_value (text[i + 1]) : -1;
      int low = i + 2 < length ? hex_value (text[i + 2]) : -1;

      if (high < 0 || low < 0) {
        g_set_error_literal (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_ENCODING,
                             "PHOTO: bad %-escape in a data: URL");
        return NULL;
      }
      c = (guint8) (high * 16 + low);
      i += 2;
    }
    g_byte_array_append (bytes, &c, 1);
  }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* PHOTO: base64 data (3.0 ENCODING=b, 2.1 BASE64), a data: URL (4.0), or a
 * link to the picture. */
static gboolean
read_photo (Fields          *fields,
            const Property  *prop,
            GError         **error)
{
  const char *value = prop->value;
  gsize length = prop->value_length;
  const char *value_type = get_param (prop, "VALUE");
  g_autofree char *media_type = media_type_of (get_param (prop, "MEDIATYPE"));

  if (media_type == NULL)
    media_type = media_type_of (get_param (prop, "TYPE"));

  if (is_base64 (prop)) {
    fields->photo = decode_base64 (value, length, error);
    if (fields->photo == NULL) {
      g_prefix_error (error, "PHOTO: ");
      return FALSE;
    }
  } else if (length >= 5 && g_ascii_strncasecmp (value, "data:", 5) == 0) {
    const char *comma = memchr (value, ',', length);
    g_autofree char *header = NULL;
    gboolean base64;
    char *semicolon;

    if (comma == NULL) {
      g_set_error_literal (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                           "PHOTO: a data: URL without \",\"");
      return FALSE;
    }
    header = g_strndup (value + 5, comma - value - 5);
    base64 = g_str_has_suffix (header, ";base64");
    semicolon = strchr (header, ';');
    if (semicolon != NULL)
      *semicolon = '\0';
    if (*header != '\0') {
      g_free (media_type);
      media_type = media_type_of (header);
    }
    fields->photo = base64
                    ? decode_base64 (comma + 1, value + length - comma - 1, error)
                    : percent_decode (comma + 1, value + length - comma - 1, error);
    if (fields->photo == NULL) {
      if (base64)
        g_prefix_error (error, "PHOTO: ");
      return FALSE;
    }
  } else if ((value_type != NULL && (g_ascii_strcasecmp (value_type, "uri") == 0 ||
                                     g_ascii_strcasecmp (value_type, "url") == 0)) ||
             looks_like_url (value, length)) {
    if (!looks_like_url (value, length)) {
      g_set_error_literal (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                           "PHOTO: the value is not a URL");
      return FALSE;
    }
    fields->photo_url = g_strndup (value, length);
  } else {
    g_set_error_literal (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                         "PHOTO: expected base64 data, a data: URL or a link");
    return FALSE;
  }

  if (fields->photo != NULL && media_type == NULL)
    media_type = sniff_media_type (fields->photo);
  fields->photo_type = g_steal_pointer (&media_type);
  fields->have_photo = TRUE;
  return TRUE;
}

static gboolean
read_single (char           **field,
             const Property  *prop,
             GError         **error)
{
  char *value;

  /* The first of a property that a contact has once wins. */
  if (*field != NULL)
    return TRUE;
  value = decode_text (prop, prop->value, prop->value_length, error);
  if (value == NULL)
    return FALSE;
  *field = value;
  return TRUE;
}

static gboolean
add_to_list (JsonArray  **list,
             JsonObject  *item)
{
  if (item == NULL)
    return FALSE;
  if (*list == NULL)
    *list = json_array_new ();
  json_array_add_object_element (*list, item);
  return TRUE;
}

static gboolean
read_property (Fields          *fields,
               const Property  *prop,
               GError         **error)
{
  const char *name = prop->name;

  if (strcmp (name, "VERSION") == 0) {
    g_autofree char *version = g_strndup (prop->value, prop->value_length);

    g_strstrip (version);
    if (strcmp (version, "2.1") != 0 && strcmp (version, "3.0") != 0 &&
        strcmp (version, "4.0") != 0) {
      g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                   "VERSION: %s is not a vCard version this reads (2.1, 3.0, 4.0)",
                   g_utf8_validate (version, -1, NULL) ? version : "?");
      return FALSE;
    }
    return TRUE;
  }
  if (strcmp (name, "FN") == 0) {
    g_autofree char *formatted = NULL;

    if (!read_single (&formatted, prop, error))
      return FALSE;
    if (fields->formatted == NULL)
      fields->formatted = nonempty_or_null (g_strstrip (formatted));
    return TRUE;
  }
  if (strcmp (name, "N") == 0) {
    g_auto(GStrv) parts = NULL;

    if (fields->have_n)
      return TRUE;
    parts = decode_components (prop, 5, error);
    if (parts == NULL)
      return FALSE;
    fields->family = nonempty_or_null (parts[0]);
    fields->given = nonempty_or_null (parts[1]);
    fields->additional = nonempty_or_null (parts[2]);
    fields->prefix = nonempty_or_null (parts[3]);
    fields->suffix = nonempty_or_null (parts[4]);
    fields->have_n = TRUE;
    return TRUE;
  }
  if (strcmp (name, "TEL") == 0)
    return add_to_list (&fields->tel, typed_value (prop, "tel:", error));
  if (strcmp (name, "EMAIL") == 0)
    return add_to_list (&fields->email, typed_value (prop, NULL, error));
  if (strcmp (name, "ADR") == 0)
    return add_to_list (&fields->address, address_value (prop, error));
  if (strcmp (name, "ORG") == 0) {
    g_auto(GStrv) parts = NULL;

    if (fields->org != NULL || fields->department != NULL)
      return TRUE;
    parts = decode_components (prop, 1, error);
    if (parts == NULL)
      return FALSE;
    fields->org = nonempty_or_null (parts[0]);
    if (parts[1] != NULL) {
      g_autofree char *units = g_strjoinv ("; ", parts + 1);

      fields->department = nonempty_or_null (units);
    }
    return TRUE;
  }
  if (strcmp (name, "TITLE") == 0)
    return read_single (&fields->title, prop, error);
  if (strcmp (name, "NOTE") == 0)
    return read_single (&fields->note, prop, error);
  if (strcmp (name, "UID") == 0)
    return read_single (&fields->uid, prop, error);
  if (strcmp (name, "REV") == 0)
    return read_single (&fields->rev, prop, error);
  if (strcmp (name, "BDAY") == 0)
    return read_single (&fields->bday, prop, error);
  if (strcmp (name, "PHOTO") == 0)
    return fields->have_photo || read_photo (fields, prop, error);

  /* Everything else (X-, URL, CATEGORIES, ...) is not part of the shape. */
  return TRUE;
}

/* The name as a person reads it, from its parts, for cards without FN (2.1
 * and 3.0 allow that); yun_vcard_write() makes FN the same way. */
static char *
join_name (const char *prefix,
           const char *given,
           const char *additional,
           const char *family,
           const char *suffix)
{
  const char *parts[] = { prefix, given, additional, family, suffix };
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++) {
    if (parts[i] == NULL || *parts[i] == '\0')
      continue;
    if (joined->len > 0)
      g_string_append_c (joined, ' ');
    g_string_append (joined, parts[i]);
  }
  return g_string_free (joined, FALSE);
}

static JsonObject *
fields_to_json (Fields *fields)
{
  g_autoptr(JsonObject) contact = json_object_new ();
  g_autoptr(JsonObject) name = json_object_new ();

  /* Trimmed like an FN value is, so the name reads back the same. */
  if (fields->formatted == NULL)
    fields->formatted = g_strstrip (join_name (fields->prefix, fields->given, fields->additional,
                                               fields->family, fields->suffix));
  set_if_nonempty (name, "formatted", fields->formatted);
  set_if_nonempty (name, "given", fields->given);
  set_if_nonempty (name, "family", fields->family);
  set_if_nonempty (name, "additional", fields->additional);
  set_if_nonempty (name, "prefix", fields->prefix);
  set_if_nonempty (name, "suffix", fields->suffix);
  if (json_object_get_size (name) > 0)
    json_object_set_object_member (contact, "name", g_steal_pointer (&name));

  if (fields->tel != NULL)
    json_object_set_array_member (contact, "tel", g_steal_pointer (&fields->tel));
  if (fields->email != NULL)
    json_object_set_array_member (contact, "email", g_steal_pointer (&fields->email));
  if (fields->address != NULL)
    json_object_set_array_member (contact, "address", g_steal_pointer (&fields->address));
  set_if_nonempty (contact, "org", fields->org);
  set_if_nonempty (contact, "department", fields->department);
  set_if_nonempty (contact, "title", fields->title);
  set_if_nonempty (contact, "note", fields->note);
  set_if_nonempty (contact, "uid", fields->uid);
  set_if_nonempty (contact, "rev", fields->rev);
  set_if_nonempty (contact, "bday", fields->bday);

  if (fields->have_photo) {
    g_autoptr(JsonObject) photo = json_object_new ();

    set_if_nonempty (photo, "content_type", fields->photo_type);
    set_if_nonempty (photo, "url", fields->photo_url);
    json_object_set_object_member (contact, "photo", g_steal_pointer (&photo));
  }

  return g_steal_pointer (&contact);
}

/* The parser proper. */

static gboolean
value_is (const Property *prop,
          const char     *expected)
{
  gsize length = prop->value_length;
  const char *value = prop->value;

  while (length > 0 && g_ascii_isspace (value[length - 1]))
    length--;
  return length == strlen (expected) && g_ascii_strncasecmp (value, expected, length) == 0;
}

static void
begin_card (Parser *parser,
            guint   line)
{
  if (parser->n_begun == YUN_VCARD_MAX_CARDS) {
    add_problem (parser, line, YUN_VCARD_ERROR_TOO_MANY,
                 "more than %d cards in one import; the rest were not read", YUN_VCARD_MAX_CARDS);
    parser->stopped = TRUE;
    return;
  }
  parser->n_begun++;
  parser->state = IN_CARD;
  parser->card_line = line;
  parser->card_bytes = parser->logical_raw;
  parser->card_photo_bytes = 0;
  parser->junk_reported = FALSE;
  fields_clear (&parser->fields);
}

static void
end_card (Parser *parser)
{
  Card *card = g_new0 (Card, 1);

  card->contact = fields_to_json (&parser->fields);
  card->photo = g_steal_pointer (&parser->fields.photo);
  card->line = parser->card_line;
  if (parser->func != NULL) {
    parser->func (card->contact, card->photo, card->line, parser->user_data);
    card_free (card);
  } else {
    g_ptr_array_add (parser->result->cards, card);
  }
  fields_clear (&parser->fields);
  parser->state = OUTSIDE;
}

/* Whether a content line is a PHOTO, which may be far longer than the
 * others: an embedded picture in base64. */
static gboolean
is_photo_line (const char *text,
               gsize       length)
{
  gsize i = 0;

  while (i < length && is_name_char (text[i]))
    i++;
  if (i < length && text[i] == '.') {
    text += i + 1;
    length -= i + 1;
  }
  return length > 5 && g_ascii_strncasecmp (text, "PHOTO", 5) == 0 &&
         (text[5] == ';' || text[5] == ':');
}

static void
process_line (Parser *parser)
{
  g_auto(Property) prop;
  g_autoptr(GError) error = NULL;
  const char *text = parser->logical->str;
  gsize length = parser->logical->len;
  guint line = parser->logical_line;
  gboolean parsed;
  gboolean photo = parser->logical_photo;

  /* Only what parse_property() fills is used: clearing all of the
   * parameter slots for every line would cost more than the parsing. */
  prop.n_params = 0;
  prop.name[0] = '\0';

  if (parser->state != OUTSIDE) {
    if (photo)
      parser->card_photo_bytes += parser->logical_too_long ? MAX_PHYSICAL : length;
    else
      parser->card_bytes += parser->logical_raw;
    if (parser->state == IN_CARD && parser->card_bytes > YUN_VCARD_MAX_CARD) {
      g_set_error (&error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_TOO_LARGE,
                   "the card starting at line %u is over %d bytes", parser->card_line,
                   YUN_VCARD_MAX_CARD);
      fail_card (parser, line, error);
      return;
    }
    if (parser->state == IN_CARD && !parser->logical_too_long &&
        parser->card_photo_bytes > YUN_VCARD_MAX_PHOTO_LINE) {
      g_set_error (&error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_TOO_LARGE,
                   "PHOTO: the card starting at line %u has over %d bytes of photos",
                   parser->card_line, YUN_VCARD_MAX_PHOTO_LINE);
      fail_card (parser, line, error);
      return;
    }
  }

  if (parser->logical_too_long) {
    if (photo)
      g_set_error (&error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_TOO_LARGE,
                   "PHOTO: the line is over %d bytes unfolded", YUN_VCARD_MAX_PHOTO_LINE);
    else
      g_set_error (&error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_TOO_LARGE,
                   "the line is over %d bytes unfolded", YUN_VCARD_MAX_LINE);
    parsed = FALSE;
  } else {
    parsed = parse_property (text, length, &prop, &error);
  }

  if (parsed && strcmp (prop.name, "BEGIN") == 0 && value_is (&prop, "VCARD")) {
    if (parser->state == IN_CARD)
      add_problem (parser, parser->card_line, YUN_VCARD_ERROR_MALFORMED,
                   "the card starting here has no END:VCARD before the next BEGIN:VCARD "
                   "at line %u", line);
    fields_clear (&parser->fields);
    begin_card (parser, line);
    return;
  }

  if (parsed && strcmp (prop.name, "END") == 0 && value_is (&prop, "VCARD")) {
    if (parser->state == IN_CARD)
      end_card (parser);
    else if (parser->state == SKIPPING)
      parser->state = OUTSIDE;
    else
      add_problem (parser, line, YUN_VCARD_ERROR_MALFORMED, "END:VCARD without BEGIN:VCARD");
    return;
  }

  switch (parser->state) {
  case OUTSIDE:
    if (!parser->junk_reported) {
      add_problem (parser, line, YUN_VCARD_ERROR_MALFORMED,
                   "text outside BEGIN:VCARD ... END:VCARD");
      parser->junk_reported = TRUE;
    }
    return;
  case SKIPPING:
    return;
  case IN_CARD:
  default:
    break;
  }

  if (parsed && (strcmp (prop.name, "BEGIN") == 0 || strcmp (prop.name, "END") == 0)) {
    g_set_error (&error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_MALFORMED,
                 "%s: only BEGIN:VCARD and END:VCARD belong in a card", prop.name);
    parsed = FALSE;
  }

  if (!parsed || !read_property (&parser->fields, &prop, &error))
    fail_card (parser, line, error);
}

/* Whether the logical line is a QUOTED-PRINTABLE property whose value goes
 * on after a soft line break ("=" at the end of the line). */
static gboolean
continues_quoted_printable (GString *logical)
{
  gboolean quoted = FALSE;
  gsize i;

  if (logical->len == 0 || logical->str[logical->len - 1] != '=')
    return FALSE;
  for (i = 0; i < logical->len; i++) {
    if (logical->str[i] == '"')
      quoted = !quoted;
    else if (logical->str[i] == ':' && !quoted)
      break;
  }
  /* Only where add_param() reads it as an encoding: ENCODING=QUOTED-PRINTABLE
   * or a bare ;QUOTED-PRINTABLE, not TYPE=quoted-printable. */
  for (gsize j = 0; j + 16 <= i; j++) {
    char after = j + 16 < i ? logical->str[j + 16] : ':';

    if (g_ascii_strncasecmp (logical->str + j, "QUOTED-PRINTABLE", 16) != 0 ||
        (after != ';' && after != ':'))
      continue;
    if ((j >= 1 && logical->str[j - 1] == ';') ||
        (j >= 9 && g_ascii_strncasecmp (logical->str + j - 9, "ENCODING=", 9) == 0))
      return TRUE;
  }
  return FALSE;
}

static void
flush_logical (Parser *parser)
{
  if (!parser->have_logical)
    return;
  if (!parser->stopped)
    process_line (parser);
  parser->have_logical = FALSE;
  parser->logical_too_long = FALSE;
  parser->logical_photo = FALSE;
  parser->logical_raw = 0;
  g_string_truncate (parser->logical, 0);
}

static void
append_logical (Parser     *parser,
                const char *text,
                gsize       length)
{
  gsize limit;

  if (parser->logical_too_long)
    return;
  limit = parser->logical_photo ? YUN_VCARD_MAX_PHOTO_LINE : YUN_VCARD_MAX_LINE;
  if (parser->logical->len + length > limit) {
    parser->logical_too_long = TRUE;
    return;
  }
  g_string_append_len (parser->logical, text, length);
}

/* Takes one physical line, without its line break; @raw is its length in
 * the input, line break included, and @too_long says it was cut short. */
static void
feed_line (Parser     *parser,
           const char *text,
           gsize       length,
           gsize       raw,
           guint       number,
           gboolean    too_long)
{
  if (parser->stopped)
    return;

  if (length > 0 && text[length - 1] == '\r')
    length--;

  if (parser->have_logical && continues_quoted_printable (parser->logical)) {
    /* A 2.1 soft line break: drop the "=" and go on with the next line as
     * it is, leading white space included. */
    g_string_truncate (parser->logical, parser->logical->len - 1);
    append_logical (parser, text, length);
  } else if (parser->have_logical && length > 0 && (text[0] == ' ' || text[0] == '\t')) {
    append_logical (parser, text + 1, length - 1);
  } else {
    flush_logical (parser);
    if (length == 0)
      return;
    parser->have_logical = TRUE;
    parser->logical_line = number;
    parser->logical_photo = is_photo_line (text, length);
    append_logical (parser, text, length);
  }

  parser->logical_raw += raw;
  if (too_long)
    parser->logical_too_long = TRUE;
}

static void
finish (Parser *parser)
{
  flush_logical (parser);
  if (parser->state == IN_CARD && !parser->stopped)
    add_problem (parser, parser->card_line, YUN_VCARD_ERROR_MALFORMED,
                 "the card starting here has no END:VCARD");
  fields_clear (&parser->fields);
  g_string_free (parser->logical, TRUE);
}

static void
parser_init (Parser   *parser,
             YunVcard *result)
{
  memset (parser, 0, sizeof *parser);
  parser->result = result;
  parser->logical = g_string_sized_new (256);
}

/* GObject. */

static void
yun_vcard_finalize (GObject *object)
{
  YunVcard *self = YUN_VCARD (object);

  g_ptr_array_unref (self->cards);
  g_array_unref (self->problems);

  G_OBJECT_CLASS (yun_vcard_parent_class)->finalize (object);
}

static void
yun_vcard_class_init (YunVcardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = yun_vcard_finalize;
}

static void
yun_vcard_init (YunVcard *self)
{
  self->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) card_free);
  self->problems = g_array_new (FALSE, FALSE, sizeof (YunVcardProblem));
  g_array_set_clear_func (self->problems, (GDestroyNotify) problem_clear);
}

/**
 * yun_vcard_parse:
 * @data: (array length=length): vCard text holding any number of cards
 * @length: the length of @data in bytes
 *
 * Reads every card in @data.  Cards that cannot be read are skipped and
 * listed as problems with their line numbers; the others are imported.
 *
 * Returns: (transfer full): the cards and the problems
 */
YunVcard *
yun_vcard_parse (const char *data,
                 gsize       length)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  return yun_vcard_parse_each (data, length, NULL, NULL);
}

/**
 * yun_vcard_parse_each:
 * @data: (array length=length): vCard text holding any number of cards
 * @length: the length of @data in bytes
 * @func: (scope call) (nullable): called with each card read, in order
 * @user_data: passed to @func
 *
 * Like yun_vcard_parse(), but hands each card to @func as soon as it is
 * read instead of keeping it, so that a caller converting the cards
 * (an import) holds one at a time instead of all of them.  With @func
 * %NULL, this is yun_vcard_parse().
 *
 * Returns: (transfer full): the problems, and the cards only when @func
 *   is %NULL
 */
YunVcard *
yun_vcard_parse_each (const char   *data,
                      gsize         length,
                      YunVcardFunc  func,
                      gpointer      user_data)
{
  YunVcard *self;
  Parser parser;
  const char *end = data + length;
  const char *p = data;
  guint number = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  self = g_object_new (YUN_TYPE_VCARD, NULL);
  parser_init (&parser, self);
  parser.func = func;
  parser.user_data = user_data;

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  while (p < end && !parser.stopped) {
    const char *newline = memchr (p, '\n', end - p);
    const char *line_end = newline != NULL ? newline : end;
    gsize line_length = line_end - p;
    gsize raw = line_length + (newline != NULL ? 1 : 0);

    number++;
    if (line_length > MAX_PHYSICAL)
      feed_line (&parser, p, MAX_PHYSICAL, raw, number, TRUE);
    else
      feed_line (&parser, p, line_length, raw, number, FALSE);
    p += raw;
  }

  finish (&parser);
  return self;
}

/**
 * yun_vcard_parse_stream:
 * @stream: vCard text holding any number of cards
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GIOError
 *
 * Like yun_vcard_parse(), reading @stream to its end a piece at a time, so
 * memory stays bounded by the size of one card whatever the stream holds.
 *
 * Returns: (transfer full): the cards and the problems, or %NULL with
 *   @error set when @stream could not be read
 */
YunVcard *
yun_vcard_parse_stream (GInputStream  *stream,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(YunVcard) self = NULL;
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  g_autofree char *chunk = g_malloc (READ_CHUNK);
  Parser parser;
  guint number = 0;
  gboolean discarding = FALSE;
  gboolean first = TRUE;
  gsize discarded = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (YUN_TYPE_VCARD, NULL);
  parser_init (&parser, self);

  for (;;) {
    gssize n = g_input_stream_read (stream, chunk, READ_CHUNK, cancellable, error);
    const char *p;
    const char *end;

    if (n < 0) {
      finish (&parser);
      return NULL;
    }
    if (n == 0)
      break;

    p = chunk;
    end = chunk + n;
    if (first && n >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
      p += 3;
    first = FALSE;

    while (p < end && !parser.stopped) {
      const char *newline = memchr (p, '\n', end - p);
      const char *piece_end = newline != NULL ? newline : end;
      gsize piece = piece_end - p;

      if (discarding) {
        /* The rest of a line already reported as too long. */
        discarded += piece + (newline != NULL ? 1 : 0);
        if (newline != NULL) {
          parser.logical_raw += discarded;
          discarding = FALSE;
          discarded = 0;
        }
      } else if (pending->len + piece > MAX_PHYSICAL) {
        gsize take = MAX_PHYSICAL - pending->len;

        g_byte_array_append (pending, (const guint8 *) p, take);
        number++;
        feed_line (&parser, (const char *) pending->data, pending->len,
                   pending->len, number, TRUE);
        g_byte_array_set_size (pending, 0);
        discarding = newline == NULL;
        if (discarding)
          discarded = piece - take;
        else
          parser.logical_raw += piece - take + 1;
      } else if (newline != NULL) {
        number++;
        if (pending->len > 0) {
          g_byte_array_append (pending, (const guint8 *) p, piece);
          feed_line (&parser, (const char *) pending->data, pending->len, pending->len + 1,
                     number, FALSE);
          g_byte_array_set_size (pending, 0);
        } else {
          feed_line (&parser, p, piece, piece + 1, number, FALSE);
        }
      } else {
        g_byte_array_append (pending, (const guint8 *) p, piece);
      }

      p = piece_end + (newline != NULL ? 1 : 0);
    }
    if (parser.stopped)
      break;
  }

  if (pending->len > 0 && !parser.stopped)
    feed_line (&parser, (const char *) pending->data, pending->len, pending->len, number + 1,
               FALSE);
  finish (&parser);
  return g_steal_pointer (&self);
}

/**
 * yun_vcard_get_n_cards:
 * @self: a #YunVcard
 *
 * Returns: how many cards were imported
 */
guint
yun_vcard_get_n_cards (YunVcard *self)
{
  g_return_val_if_fail (YUN_IS_VCARD (self), 0);

  return self->cards->len;
}

/**
 * yun_vcard_get_card:
 * @self: a #YunVcard
 * @index: a card's position, from 0
 *
 * Returns: (transfer none): the card as a contact object; see the shape at
 *   the top of yun-vcard.c
 */
JsonObject *
yun_vcard_get_card (YunVcard *self,
                    guint     index)
{
  g_return_val_if_fail (YUN_IS_VCARD (self), NULL);
  g_return_val_if_fail (index < self->cards->len, NULL);

  return ((Card *) g_ptr_array_index (self->cards, index))->contact;
}

/**
 * yun_vcard_get_photo:
 * @self: a #YunVcard
 * @index: a card's position, from 0
 *
 * The bytes of a card's embedded photo; its media type is the card's
 * `photo.content_type`.
 *
 * Returns: (transfer none) (nullable): the photo, or %NULL when the card
 *   has none or only links to one
 */
GBytes *
yun_vcard_get_photo (YunVcard *self,
                     guint     index)
{
  g_return_val_if_fail (YUN_IS_VCARD (self), NULL);
  g_return_val_if_fail (index < self->cards->len, NULL);

  return ((Card *) g_ptr_array_index (self->cards, index))->photo;
}

/**
 * yun_vcard_get_line:
 * @self: a #YunVcard
 * @index: a card's position, from 0
 *
 * Returns: the line, counted from 1, of the card's BEGIN:VCARD
 */
guint
yun_vcard_get_line (YunVcard *self,
                    guint     index)
{
  g_return_val_if_fail (YUN_IS_VCARD (self), 0);
  g_return_val_if_fail (index < self->cards->len, 0);

  return ((Card *) g_ptr_array_index (self->cards, index))->line;
}

/**
 * yun_vcard_get_n_problems:
 * @self: a #YunVcard
 *
 * Returns: how many problems were found: at most one per card that was
 *   skipped, one per stretch of text outside cards
 */
guint
yun_vcard_get_n_problems (YunVcard *self)
{
  g_return_val_if_fail (YUN_IS_VCARD (self), 0);

  return self->problems->len;
}

/**
 * yun_vcard_get_problem:
 * @self: a #YunVcard
 * @index: a problem's position, from 0, in the order of the input
 *
 * Returns: (transfer none): the problem
 */
const YunVcardProblem *
yun_vcard_get_problem (YunVcard *self,
                       guint     index)
{
  g_return_val_if_fail (YUN_IS_VCARD (self), NULL);
  g_return_val_if_fail (index < self->problems->len, NULL);

  return &g_array_index (self->problems, YunVcardProblem, index);
}

/* Writing. */

/* Escapes a text value: backslash, comma, semicolon and line breaks (a
 * CR LF or a lone CR becomes \n too). */
static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p != '\0'; p++) {
    switch (*p) {
    case '\\':
      g_string_append (out, "\\\\");
      break;
    case ',':
      g_string_append (out, "\\,");
      break;
    case ';':
      g_string_append (out, "\\;");
      break;
    case '\r':
      if (p[1] == '\n')
        p++;
      G_GNUC_FALLTHROUGH;
    case '\n':
      g_string_append (out, "\\n");
      break;
    default:
      g_string_append_c (out, *p);
      break;
    }
  }
}

/* Writes one content line, folded at 75 octets: the continuation lines
 * start with a space, and no UTF-8 sequence is cut in two. */
static void
append_folded (GString *out,
               GString *line)
{
  const char *p = line->str;
  gsize length = line->len;
  gsize limit = 75;

  while (length > limit) {
    gsize cut = limit;

    while (cut > 0 && ((guchar) p[cut] & 0xc0) == 0x80)
      cut--;
    g_string_append_len (out, p, cut);
    g_string_append (out, "\r\n ");
    p += cut;
    length -= cut;
    limit = 74;
  }
  g_string_append_len (out, p, length);
  g_string_append (out, "\r\n");
  g_string_truncate (line, 0);
}

static gboolean
get_string (JsonObject  *object,
            const char  *member,
            const char  *where,
            const char **out,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      !g_utf8_validate (json_node_get_string (node), -1, NULL)) {
    g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID,
                 "%s%s: expected a string", where, member);
    return FALSE;
  }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_object (JsonObject   *object,
            const char   *member,
            JsonObject  **out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID,
                 "%s: expected an object", member);
    return FALSE;
  }
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
get_array (JsonObject  *object,
           const char  *member,
           JsonArray  **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node)) {
    g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID,
                 "%s: expected an array", member);
    return FALSE;
  }
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
is_token (const char *text)
{
  for (const char *p = text; *p != '\0'; p++) {
    if (!g_ascii_isalnum (*p) && strchr ("-_.+/", *p) == NULL)
      return FALSE;
  }
  return *text != '\0';
}

/* ;TYPE=a,b;PREF=1 for an entry of tel, email or address (3.0 says
 * ;TYPE=a,b,pref).  Types that are not plain tokens could not be written
 * back safely and are left out. */
static gboolean
append_type_params (GString          *line,
                    JsonObject       *item,
                    const char       *where,
                    YunVcardVersion   version,
                    GError          **error)
{
  JsonNode *types_node = json_object_get_member (item, "types");
  JsonNode *pref = json_object_get_member (item, "pref");
  gboolean first = TRUE;

  if (types_node != NULL && !JSON_NODE_HOLDS_NULL (types_node)) {
    JsonArray *types;

    if (!JSON_NODE_HOLDS_ARRAY (types_node)) {
      g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID,
                   "%stypes: expected an array of strings", where);
      return FALSE;
    }
    types = json_node_get_array (types_node);
    for (guint i = 0; i < json_array_get_length (types); i++) {
      JsonNode *type = json_array_get_element (types, i);
      g_autofree char *lower = NULL;

      if (!JSON_NODE_HOLDS_VALUE (type) || json_node_get_value_type (type) != G_TYPE_STRING) {
        g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID,
                     "%stypes[%u]: expected a string", where, i);
        return FALSE;
      }
      lower = g_ascii_strdown (json_node_get_string (type), -1);
      if (!is_token (lower) || strcmp (lower, "pref") == 0)
        continue;
      g_string_append (line, first ? ";TYPE=" : ",");
      g_string_append (line, lower);
      first = FALSE;
    }
  }

  if (pref != NULL && !JSON_NODE_HOLDS_NULL (pref)) {
    if (!JSON_NODE_HOLDS_VALUE (pref) || json_node_get_value_type (pref) != G_TYPE_BOOLEAN) {
      g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID,
                   "%spref: expected a boolean", where);
      return FALSE;
    }
    if (json_node_get_boolean (pref))
      g_string_append (line, version == YUN_VCARD_VERSION_3_0 ? (first ? ";TYPE=pref" : ",pref")
                                                              : ";PREF=1");
  }
  return TRUE;
}

static gboolean
write_list (GString          *out,
            GString          *line,
            JsonObject       *card,
            const char       *member,
            const char       *property,
            YunVcardVersion   version,
            GError          **error)
{
  static const char * const address_parts[] = {
    "po_box", "extended", "street", "locality", "region", "postal_code", "country"
  };
  JsonArray *list;

  if (!get_array (card, member, &list, error))
    return FALSE;

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++) {
    JsonNode *node = json_array_get_element (list, i);
    g_autofree char *where = g_strdup_printf ("%s[%u].", member, i);
    JsonObject *item;

    if (!JSON_NODE_HOLDS_OBJECT (node)) {
      g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID,
                   "%s[%u]: expected an object", member, i);
      return FALSE;
    }
    item = json_node_get_object (node);

    g_string_append (line, property);
    if (!append_type_params (line, item, where, version, error))
      return FALSE;
    g_string_append_c (line, ':');

    if (strcmp (property, "ADR") == 0) {
      for (guint j = 0; j < G_N_ELEMENTS (address_parts); j++) {
        const char *part;

        if (!get_string (item, address_parts[j], where, &part, error))
          return FALSE;
        if (j > 0)
          g_string_append_c (line, ';');
        if (part != NULL)
          append_escaped (line, part);
      }
    } else {
      const char *value;

      if (!get_string (item, "value", where, &value, error))
        return FALSE;
      if (value == NULL) {
        g_set_error (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID,
                     "%svalue: expected a string", where);
        return FALSE;
      }
      append_escaped (line, value);
    }
    append_folded (out, line);
  }
  return TRUE;
}

static gboolean
write_text (GString     *out,
            GString     *line,
            JsonObject  *card,
            const char  *member,
            const char  *property,
            GError     **error)
{
  const char *value;

  if (!get_string (card, member, "", &value, error))
    return FALSE;
  if (value == NULL || *value == '\0')
    return TRUE;
  g_string_append_printf (line, "%s:", property);
  append_escaped (line, value);
  append_folded (out, line);
  return TRUE;
}

/* FN is required in 4.0: the formatted name, else one made of the parts,
 * else empty.  Reading the card back gives the same name object. */
static char *
formatted_name (JsonObject  *name,
                GError     **error)
{
  static const char * const order[] = { "prefix", "given", "additional", "family", "suffix" };
  const char *parts[G_N_ELEMENTS (order)];
  const char *formatted;

  if (name == NULL)
    return g_strdup ("");
  if (!get_string (name, "formatted", "name.", &formatted, error))
    return NULL;
  if (formatted != NULL && *formatted != '\0')
    return g_strdup (formatted);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++) {
    if (!get_string (name, order[i], "name.", &parts[i], error))
      return NULL;
  }
  return join_name (parts[0], parts[1], parts[2], parts[3], parts[4]);
}

/**
 * yun_vcard_write:
 * @card: a contact object, shaped like what yun_vcard_get_card() returns
 * @photo: (nullable): the photo's bytes, written inline; its media type is
 *   `photo.content_type`, or guessed from the bytes
 * @error: return location for a #YunVcardError
 *
 * Writes one vCard 4.0 with CRLF line breaks, folded at 75 octets.
 * Members outside the contact shape are ignored.
 *
 * Returns: (transfer full): the card, from BEGIN:VCARD to END:VCARD, or
 *   %NULL with %YUN_VCARD_ERROR_INVALID naming the member that is wrong
 */
char *
yun_vcard_write (JsonObject  *card,
                 GBytes      *photo,
                 GError     **error)
{
  return yun_vcard_write_version (card, photo, YUN_VCARD_VERSION_4_0, error);
}

/* 3.0 names a photo's format by its subtype: image/jpeg is TYPE=JPEG. */
static char *
photo_type_3_0 (const char *content_type)
{
  const char *slash = strchr (content_type, '/');

  return g_ascii_strup (slash != NULL ? slash + 1 : content_type, -1);
}

/**
 * yun_vcard_write_version:
 * @card: a contact object, shaped like what yun_vcard_get_card() returns
 * @photo: (nullable): the photo's bytes, written inline; its media type is
 *   `photo.content_type`, or guessed from the bytes
 * @version: the vCard version to write
 * @error: return location for a #YunVcardError
 *
 * Like yun_vcard_write(), in vCard 3.0 or 4.0.  A 3.0 card always has N,
 * says PREF as a TYPE and carries its photo as ENCODING=b.
 *
 * Returns: (transfer full): the card, from BEGIN:VCARD to END:VCARD, or
 *   %NULL with %YUN_VCARD_ERROR_INVALID naming the member that is wrong
 */
char *
yun_vcard_write_version (JsonObject       *card,
                         GBytes           *photo,
                         YunVcardVersion   version,
                         GError          **error)
{
  static const char * const n_parts[] = { "family", "given", "additional", "prefix", "suffix" };
  gboolean v3 = version == YUN_VCARD_VERSION_3_0;
  g_autoptr(GString) out = g_string_new (v3 ? "BEGIN:VCARD\r\nVERSION:3.0\r\n"
                                            : "BEGIN:VCARD\r\nVERSION:4.0\r\n");
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *fn = NULL;
  JsonObject *name;
  JsonObject *photo_object;
  const char *org;
  const char *department;

  g_return_val_if_fail (card != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!get_object (card, "name", &name, error) || !get_object (card, "photo", &photo_object, error))
    return NULL;

  fn = formatted_name (name, error);
  if (fn == NULL)
    return NULL;
  g_string_append (line, "FN:");
  append_escaped (line, fn);
  append_folded (out, line);

  /* N is required in 3.0. */
  if (name != NULL || v3) {
    gboolean any = FALSE;

    g_string_append (line, "N:");
    for (guint i = 0; i < G_N_ELEMENTS (n_parts); i++) {
      const char *part = NULL;

      if (name != NULL && !get_string (name, n_parts[i], "name.", &part, error))
        return NULL;
      if (i > 0)
        g_string_append_c (line, ';');
      if (part != NULL) {
        append_escaped (line, part);
        any |= *part != '\0';
      }
    }
    if (any || v3)
      append_folded (out, line);
    else
      g_string_truncate (line, 0);
  }

  if (!write_list (out, line, card, "tel", "TEL", version, error) ||
      !write_list (out, line, card, "email", "EMAIL", version, error) ||
      !write_list (out, line, card, "address", "ADR", version, error))
    return NULL;

  if (!get_string (card, "org", "", &org, error) ||
      !get_string (card, "department", "", &department, error))
    return NULL;
  if ((org != NULL && *org != '\0') || (department != NULL && *department != '\0')) {
    g_string_append (line, "ORG:");
    append_escaped (line, org != NULL ? org : "");
    if (department != NULL && *department != '\0') {
      g_string_append_c (line, ';');
      append_escaped (line, department);
    }
    append_folded (out, line);
  }

  if (!write_text (out, line, card, "title", "TITLE", error) ||
      !write_text (out, line, card, "note", "NOTE", error) ||
      !write_text (out, line, card, "bday", "BDAY", error) ||
      !write_text (out, line, card, "uid", "UID", error) ||
      !write_text (out, line, card, "rev", "REV", error))
    return NULL;

  if (photo != NULL || photo_object != NULL) {
    const char *content_type = NULL;
    const char *url = NULL;
    g_autofree char *sniffed = NULL;

    if (photo_object != NULL &&
        (!get_string (photo_object, "content_type", "photo.", &content_type, error) ||
         !get_string (photo_object, "url", "photo.", &url, error)))
      return NULL;
    if (content_type != NULL && !is_token (content_type))
      content_type = NULL;

    if (photo != NULL) {
      gsize size;
      const guchar *data = g_bytes_get_data (photo, &size);
      g_autofree char *base64 = g_base64_encode (data, size);

      if (content_type == NULL)
        content_type = sniffed = sniff_media_type (photo);
      if (v3) {
        g_autofree char *type = photo_type_3_0 (content_type);

        g_string_append_printf (line, "PHOTO;ENCODING=b;TYPE=%s:%s", type, base64);
      } else {
        g_string_append_printf (line, "PHOTO:data:%s;base64,%s", content_type, base64);
      }
      append_folded (out, line);
    } else if (url != NULL) {
      if (!looks_like_url (url, strlen (url))) {
        g_set_error_literal (error, YUN_VCARD_ERROR, YUN_VCARD_ERROR_INVALID,
                             "photo.url: expected a URL without spaces");
        return NULL;
      }
      g_string_append (line, v3 ? "PHOTO;VALUE=uri" : "PHOTO");
      if (content_type != NULL && !v3)
        g_string_append_printf (line, ";MEDIATYPE=%s", content_type);
      g_string_append_printf (line, ":%s", url);
      append_folded (out, line);
    }
  }

  g_string_append (out, "END:VCARD\r\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}
