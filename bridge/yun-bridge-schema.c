/* yun-bridge-schema.c: the declaration of every bridge method.
 *
 * schema/yun-api.json declares each method's namespace, arguments, result
 * and permission.  This file reads it and checks calls against it, so that
 * no service sees arguments of a type or size its declaration does not
 * allow.  The argument language is a small subset of JSON Schema:
 *
 *   type        "string", "integer", "number", "boolean", "object", "array"
 *   $ref        a named type from "types"
 *   required    the member must be present (members are optional otherwise)
 *   enum        the allowed strings
 *   minLength, maxLength   string length in characters
 *   minimum, maximum       number range
 *   items, maxItems        array element type and count
 *   properties  object members; members not listed are refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "yun-bridge-schema.h"

#include <math.h>
#include <string.h>

#include "yun-bridge-error.h"
#include "yun-json.h"
#include "yun-bridge-schema-resources.h"

/* Strings without a declared maxLength are still bounded. */
#define DEFAULT_MAX_LENGTH 65536
/* Arrays without a declared maxItems are still bounded. */
#define DEFAULT_MAX_ITEMS 10000

struct _YunBridgeSchema
{
  GObject parent_instance;

  JsonNode *root;
  JsonObject *types;
  /* "api.method" → YunBridgeSchemaMethod */
  GHashTable *methods;
};

G_DEFINE_FINAL_TYPE (YunBridgeSchema, yun_bridge_schema, G_TYPE_OBJECT)

G_DEFINE_QUARK (yun-bridge-schema-error-quark, yun_bridge_schema_error)

static void
method_free (YunBridgeSchemaMethod *method)
{
  g_free (method->api);
  g_free (method->method);
  g_free (method->permission);
  g_free (method->access);
  g_clear_pointer (&method->args, json_object_unref);
  g_free (method);
}

static char *
method_key (const char *api,
            const char *method)
{
  return g_strconcat (api, ".", method, NULL);
}

static gboolean
load_method (YunBridgeSchema  *self,
             const char       *api,
             gboolean          root,
             const char       *name,
             JsonNode         *node,
             GError          **error)
{
  YunBridgeSchemaMethod *method;
  JsonObject *object;
  JsonObject *permission;

  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (object = json_node_get_object (node), "args") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "args"))) {
    g_set_error (error, YUN_BRIDGE_SCHEMA_ERROR, YUN_BRIDGE_SCHEMA_ERROR_INVALID,
                 "namespaces.%s.methods.%s: needs an args object", api, name);
    return FALSE;
  }

  method = g_new0 (YunBridgeSchemaMethod, 1);
  method->api = g_strdup (api);
  method->method = g_strdup (name);
  method->root = root;
  method->args = json_object_ref (json_object_get_object_member (object, "args"));

  if (json_object_has_member (object, "permission") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "permission"))) {
    permission = json_object_get_object_member (object, "permission");
    method->permission = g_strdup (json_object_get_string_member_with_default (permission, "name", NULL));
    method->access = g_strdup (json_object_get_string_member_with_default (permission, "access", "read"));
  }

  g_hash_table_insert (self->methods, method_key (api, name), method);
  return TRUE;
}

static gboolean
load (YunBridgeSchema  *self,
      GError          **error)
{
  JsonObject *root;
  JsonObject *namespaces;
  JsonObjectIter ns_iter;
  const char *api;
  JsonNode *ns_node;

  if (!JSON_NODE_HOLDS_OBJECT (self->root)) {
    g_set_error_literal (error, YUN_BRIDGE_SCHEMA_ERROR, YUN_BRIDGE_SCHEMA_ERROR_INVALID,
                         "the schema is not an object");
    return FALSE;
  }
  root = json_node_get_object (self->root);
  if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "types")) ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "namespaces"))) {
    g_set_error_literal (error, YUN_BRIDGE_SCHEMA_ERROR, YUN_BRIDGE_SCHEMA_ERROR_INVALID,
                         "the schema needs \"types\" and \"namespaces\" objects");
    return FALSE;
  }

  self->types = json_object_ref (json_object_get_object_member (root, "types"));
  namespaces = json_object_get_object_member (root, "namespaces");

  json_object_iter_init (&ns_iter, namespaces);
  while (json_object_iter_next (&ns_iter, &api, &ns_node)) {
    JsonObject *ns;
    JsonObjectIter method_iter;
    const char *name;
    JsonNode *method_node;

    if (!JSON_NODE_HOLDS_OBJECT (ns_node) ||
        !JSON_NODE_HOLDS_OBJECT (json_object_get_member (ns = json_node_get_object (ns_node), "methods"))) {
      g_set_error (error, YUN_BRIDGE_SCHEMA_ERROR, YUN_BRIDGE_SCHEMA_ERROR_INVALID,
                   "namespaces.%s: needs a methods object", api);
      return FALSE;
    }

    json_object_iter_init (&method_iter, json_object_get_object_member (ns, "methods"));
    while (json_object_iter_next (&method_iter, &name, &method_node)) {
      if (!load_method (self, api, json_object_get_boolean_member_with_default (ns, "root", FALSE),
                        name, method_node, error))
        return FALSE;
    }
  }

  return TRUE;
}

/* Follows $ref to the named type; the reference site's own members (such
 * as "required") are read from @spec by the caller. */
static JsonObject *
resolve (YunBridgeSchema *self,
         JsonObject      *spec)
{
  const char *ref = json_object_get_string_member_with_default (spec, "$ref", NULL);

  if (ref != NULL && json_object_has_member (self->types, ref))
    return json_object_get_object_member (self->types, ref);
  return spec;
}

static gboolean validate (YunBridgeSchema  *self,
                          JsonObject       *spec,
                          JsonNode         *value,
                          GString          *path,
                          GError          **error);

static gboolean
fail (GError    **error,
      GString    *path,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError    **error,
      GString    *path,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, YUN_BRIDGE_ERROR, YUN_BRIDGE_ERROR_DATA, "%s: %s", path->str, message);
  return FALSE;
}

static gboolean
validate_string (JsonObject  *spec,
                 JsonNode    *value,
                 GString     *path,
                 GError     **error)
{
  const char *text = json_node_get_string (value);
  glong length = g_utf8_strlen (text, -1);
  gint64 max = json_object_get_int_member_with_default (spec, "maxLength", DEFAULT_MAX_LENGTH);
  gint64 min = json_object_get_int_member_with_default (spec, "minLength", 0);

  if (length > max)
    return fail (error, path, "longer than %" G_GINT64_FORMAT " characters", max);
  if (length < min)
    return fail (error, path, "shorter than %" G_GINT64_FORMAT " characters", min);

  if (json_object_has_member (spec, "enum")) {
    JsonArray *choices = json_object_get_array_member (spec, "enum");
    g_autoptr(GString) listed = g_string_new (NULL);

    for (guint i = 0; i < json_array_get_length (choices); i++) {
      const char *choice = json_array_get_string_element (choices, i);

      if (g_strcmp0 (choice, text) == 0)
        return TRUE;
      g_string_append_printf (listed, "%s\"%s\"", i > 0 ? ", " : "", choice);
    }
    return fail (error, path, "expected one of %s", listed->str);
  }

  return TRUE;
}

static gboolean
validate_number (JsonObject  *spec,
                 JsonNode    *value,
                 gboolean     integer,
                 GString     *path,
                 GError     **error)
{
  double number = json_node_get_double (value);

  if (integer && (number != floor (number) || fabs (number) > 9007199254740991.0))
    return fail (error, path, "expected an integer");
  if (json_object_has_member (spec, "minimum") &&
      number < json_object_get_double_member (spec, "minimum"))
    return fail (error, path, "less than %g", json_object_get_double_member (spec, "minimum"));
  if (json_object_has_member (spec, "maximum") &&
      number > json_object_get_double_member (spec, "maximum"))
    return fail (error, path, "more than %g", json_object_get_double_member (spec, "maximum"));

  return TRUE;
}

/* Checks @members against @properties: unknown members are refused and
 * required ones must be there. */
static gboolean
validate_members (YunBridgeSchema  *self,
                  JsonObject       *properties,
                  JsonObject       *members,
                  GString          *path,
                  GError          **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  gsize path_length = path->len;

  json_object_iter_init (&iter, members);
  while (json_object_iter_next (&iter, &name, &node)) {
    if (properties == NULL || !json_object_has_member (properties, name))
      return fail (error, path, "unexpected member \"%s\"", name);
  }

  if (properties == NULL)
    return TRUE;

  json_object_iter_init (&iter, properties);
  while (json_object_iter_next (&iter, &name, &node)) {
    JsonObject *spec = json_node_get_object (node);
    JsonNode *value = json_object_get_member (members, name);
    gboolean ok;

    g_string_append_printf (path, ".%s", name);
    if (value == NULL)
      ok = !json_object_get_boolean_member_with_default (spec, "required", FALSE) ||
           fail (error, path, "missing");
    else
      ok = validate (self, spec, value, path, error);
    g_string_truncate (path, path_length);

    if (!ok)
      return FALSE;
  }

  return TRUE;
}

static gboolean
validate (YunBridgeSchema  *self,
          JsonObject       *site,
          JsonNode         *value,
          GString          *path,
          GError          **error)
{
  JsonObject *spec = resolve (self, site);
  const char *type = json_object_get_string_member_with_default (spec, "type", "");
  const char *actual = yun_json_type_name (value);

  if (g_str_equal (type, "string")) {
    if (!g_str_equal (actual, "string"))
      return fail (error, path, "expected a string, got %s", actual);
    return validate_string (spec, value, path, error);
  }

  if (g_str_equal (type, "integer") || g_str_equal (type, "number")) {
    if (!g_str_equal (actual, "number"))
      return fail (error, path, "expected a number, got %s", actual);
    return validate_number (spec, value, g_str_equal (type, "integer"), path, error);
  }

  if (g_str_equal (type, "boolean")) {
    if (!g_str_equal (actual, "boolean"))
      return fail (error, path, "expected true or false, got %s", actual);
    return TRUE;
  }

  if (g_str_equal (type, "object")) {
    if (!g_str_equal (actual, "object"))
      return fail (error, path, "expected an object, got %s", actual);
    return validate_members (self,
                             json_object_has_member (spec, "properties") ?
                             json_object_get_object_member (spec, "properties") : NULL,
                             json_node_get_object (value), path, error);
  }

  if (g_str_equal (type, "array")) {
    JsonArray *array;
    gint64 max = json_object_get_int_member_with_default (spec, "maxItems", DEFAULT_MAX_ITEMS);
    gsize path_length = path->len;

    if (!g_str_equal (actual, "array"))
      return fail (error, path, "expected an array, got %s", actual);
    array = json_node_get_array (value);
    if (json_array_get_length (array) > max)
      return fail (error, path, "more than %" G_GINT64_FORMAT " items", max);

    for (guint i = 0; i < json_array_get_length (array); i++) {
      gboolean ok;

      g_string_append_printf (path, "[%u]", i);
      ok = validate (self, json_object_get_object_member (spec, "items"),
                     json_array_get_element (array, i), path, error);
      g_string_truncate (path, path_length);
      if (!ok)
        return FALSE;
    }
    return TRUE;
  }

  return fail (error, path, "the schema gives no usable type");
}

static void
yun_bridge_schema_finalize (GObject *object)
{
  YunBridgeSchema *self = YUN_BRIDGE_SCHEMA (object);

  g_clear_pointer (&self->methods, g_hash_table_unref);
  g_clear_pointer (&self->types, json_object_unref);
  g_clear_pointer (&self->root, json_node_unref);

  G_OBJECT_CLASS (yun_bridge_schema_parent_class)->finalize (object);
}

static void
yun_bridge_schema_class_init (YunBridgeSchemaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = yun_bridge_schema_finalize;
}

static void
yun_bridge_schema_init (YunBridgeSchema *self)
{
  self->methods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) method_free);
}

/**
 * yun_bridge_schema_new_from_data:
 * @data: (array length=length): the schema as JSON
 * @length: length of @data
 * @error: return location for a #YunBridgeSchemaError
 *
 * Returns: (transfer full): the schema, or %NULL with @error set
 */
YunBridgeSchema *
yun_bridge_schema_new_from_data (const char  *data,
                                 gsize        length,
                                 GError     **error)
{
  g_autoptr(YunBridgeSchema) self = g_object_new (YUN_TYPE_BRIDGE_SCHEMA, NULL);
  g_autoptr(GError) local_error = NULL;

  self->root = yun_json_parse_bounded (data, length, G_MAXSIZE, 64, &local_error);
  if (self->root == NULL) {
    g_set_error (error, YUN_BRIDGE_SCHEMA_ERROR, YUN_BRIDGE_SCHEMA_ERROR_INVALID,
                 "%s", local_error->message);
    return NULL;
  }

  if (!load (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * yun_bridge_schema_get_default:
 *
 * The schema built into the runtime, from schema/yun-api.json.
 *
 * Returns: (transfer none): the schema
 */
YunBridgeSchema *
yun_bridge_schema_get_default (void)
{
  static YunBridgeSchema *schema;

  if (g_once_init_enter (&schema)) {
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    YunBridgeSchema *loaded;
    gsize length;
    const char *data;

    bytes = g_resource_lookup_data (yun_bridge_schema_get_resource (),
                                    "/org/yun/bridge/yun-api.json",
                                    G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
    g_assert_no_error (error);
    data = g_bytes_get_data (bytes, &length);
    loaded = yun_bridge_schema_new_from_data (data, length, &error);
    if (loaded == NULL)
      g_error ("the built-in bridge schema is broken: %s", error->message);
    g_once_init_leave (&schema, loaded);
  }

  return schema;
}

/**
 * yun_bridge_schema_lookup:
 * @self: a schema
 * @api: the namespace
 * @method: the method
 *
 * Returns: (transfer none) (nullable): the declared method, or %NULL
 */
const YunBridgeSchemaMethod *
yun_bridge_schema_lookup (YunBridgeSchema *self,
                          const char      *api,
                          const char      *method)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (YUN_IS_BRIDGE_SCHEMA (self), NULL);
  g_return_val_if_fail (api != NULL && method != NULL, NULL);

  key = method_key (api, method);
  return g_hash_table_lookup (self->methods, key);
}

static int
compare_methods (gconstpointer a,
                 gconstpointer b)
{
  const YunBridgeSchemaMethod *x = *(YunBridgeSchemaMethod * const *) a;
  const YunBridgeSchemaMethod *y = *(YunBridgeSchemaMethod * const *) b;
  int by_api = strcmp (x->api, y->api);

  return by_api != 0 ? by_api : strcmp (x->method, y->method);
}

/**
 * yun_bridge_schema_get_methods:
 * @self: a schema
 *
 * Returns: (transfer container) (element-type YunBridgeSchemaMethod): every
 *   declared method, sorted by namespace and name
 */
GPtrArray *
yun_bridge_schema_get_methods (YunBridgeSchema *self)
{
  GPtrArray *methods = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (YUN_IS_BRIDGE_SCHEMA (self), NULL);

  g_hash_table_iter_init (&iter, self->methods);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (methods, value);
  g_ptr_array_sort (methods, compare_methods);

  return methods;
}

/**
 * yun_bridge_schema_validate_args:
 * @self: a schema
 * @method: a method of @self
 * @args: the arguments a page sent
 * @error: return location for a %YUN_BRIDGE_ERROR_DATA error
 *
 * Checks @args against the method's declaration: no unknown members, every
 * required one present, each of its declared type and within its limits.
 *
 * Returns: %TRUE when the arguments are acceptable
 */
gboolean
yun_bridge_schema_validate_args (YunBridgeSchema             *self,
                                 const YunBridgeSchemaMethod *method,
                                 JsonObject                  *args,
                                 GError                     **error)
{
  g_autoptr(GString) path = NULL;

  g_return_val_if_fail (YUN_IS_BRIDGE_SCHEMA (self), FALSE);
  g_return_val_if_fail (method != NULL && args != NULL, FALSE);

  path = g_string_new (NULL);
  g_string_printf (path, "%s.%s: args", method->api, method->method);
  return validate_members (self, method->args, args, path, error);
}
