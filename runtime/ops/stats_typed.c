/*
 * stats_typed.c: `show stat` and `show info` as HAProxy 2.6 lays them out
 * with `typed` (one "field:tags:type:value" line per field) and `json`
 * (field objects with their position, tags and typed value).
 *
 * The column table (stats_row-t.h) carries each column's type and tags,
 * so these forms read the same rows as the CSV: the values never differ.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "stats_row.h"
#include "stats_typed.h"

#define STATS_COL_TYPE(id, name, type, tags) STATS_T_##type,
#define STATS_COL_TAGS(id, name, type, tags) tags,

static const enum stats_type stats_col_type[STC_MAX] = {
	STATS_COLUMNS(STATS_COL_TYPE)
};

static const char *const stats_col_tags[STC_MAX] = {
	STATS_COLUMNS(STATS_COL_TAGS)
};

static const char *const stats_type_name[] = {
	[STATS_T_STR] = "str", [STATS_T_U32] = "u32",
	[STATS_T_U64] = "u64", [STATS_T_S32] = "s32",
};

int stats_form_word(const char *w)
{
	if (!strcmp(w, "typed"))
		return STATS_FORM_TYPED;
	if (!strcmp(w, "json"))
		return STATS_FORM_JSON;
	return -1;
}

/* The word of one tag letter at position `i` (0 origin, 1 nature, 2
 * scope), "Unknown" for a letter HAProxy has no word for. */
static const char *stats_tag_word(int i, char l)
{
	static const char *const letters[3] = { "MSKCP", "GLmMRCDATNOa", "PSsC" };
	static const char *const words[3][12] = {
		{ "Metric", "Status", "Key", "Config", "Product" },
		{ "Gauge", "Limit", "Min", "Max", "Rate", "Counter", "Duration",
		  "Age", "Time", "Name", "Output", "Avg" },
		{ "Process", "Service", "System", "Cluster" },
	};
	const char *p = l ? strchr(letters[i], l) : NULL;

	return p ? words[i][p - letters[i]] : "Unknown";
}

/* The three letters of column `col` on a row of `kind`: the backend's
 * after the comma when the column has two. */
static const char *stats_col_tags_of(enum stats_col col,
                                     enum stats_row_kind kind)
{
	const char *t = stats_col_tags[col];

	return kind == STATS_ROW_BACKEND && t[3] == ',' ? t + 4 : t;
}

/* 1 when `v` is an integer JSON can carry as a number. */
static int stats_is_int(const char *v)
{
	if (*v == '-')
		v++;
	if (!*v || strlen(v) > 16)  /* up to 2^53: HAProxy's JSON limit */
		return 0;
	return strspn(v, "0123456789") == strlen(v);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void stats_json_str(struct stats_buf *b, const char *v)
{
	stats_buf_write(b, "\"", 1);
	for (; *v; v++) {
		size_t n = strcspn(v, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\x09"
		                   "\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14"
		                   "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");

		stats_buf_write(b, v, n);
		v += n;
		if (!*v)
			break;
		if (*v == '"' || *v == '\\')
			stats_buf_printf(b, "\\%c", *v);
		else
			stats_buf_printf(b, "\\u%04x", (unsigned)(unsigned char)*v);
	}
	stats_buf_write(b, "\"", 1);
}

/* A typed line's end: "tags:type:value\n"; line ends inside the value
 * become spaces so that each field stays on its line. */
static void stats_typed_value(struct stats_buf *b, const char *tags,
                              enum stats_type type, const char *v)
{
	stats_buf_printf(b, "%.3s:%s:", tags, stats_type_name[type]);
	for (size_t n; *v; v += n) {
		n = strcspn(v, "\r\n");
		stats_buf_write(b, v, n);
		if (v[n]) {
			stats_buf_write(b, " ", 1);
			n++;
		}
	}
	stats_buf_write(b, "\n", 1);
}

/* A JSON field object's end: "tags":{...},"value":{...}} ; a number
 * column whose text is not a number is given as a string. */
static void stats_json_value(struct stats_buf *b, const char *tags,
                             enum stats_type type, const char *v)
{
	stats_buf_printf(b, "\"tags\":{\"origin\":\"%s\",\"nature\":\"%s\","
	                 "\"scope\":\"%s\"},\"value\":{\"type\":",
	                 stats_tag_word(0, tags[0]), stats_tag_word(1, tags[1]),
	                 stats_tag_word(2, tags[2]));
	if (type != STATS_T_STR && !stats_is_int(v))
		type = STATS_T_STR;
	stats_buf_printf(b, "\"%s\",\"value\":", stats_type_name[type]);
	if (type == STATS_T_STR)
		stats_json_str(b, v);
	else
		stats_buf_puts(b, v);
	stats_buf_write(b, "}}", 2);
}

void stats_typed_row(struct stats_buf *b, enum stats_form form,
                     const struct stats_row *r, int first)
{
	static const char letter[] = { [STATS_ROW_FRONTEND] = 'F',
	                               [STATS_ROW_BACKEND] = 'B',
	                               [STATS_ROW_SERVER] = 'S' };
	static const char *const obj[] = { [STATS_ROW_FRONTEND] = "Frontend",
	                                   [STATS_ROW_BACKEND] = "Backend",
	                                   [STATS_ROW_SERVER] = "Server" };
	const char *iid = r->v[STC_IID] ? r->v[STC_IID] : "0";
	const char *sid = r->v[STC_SID] ? r->v[STC_SID] : "0";
	const char *pid = r->v[STC_PID] ? r->v[STC_PID] : "1";
	int started = 0;

	if (form == STATS_FORM_JSON)
		stats_buf_puts(b, first ? "[" : ",[");
	for (int i = 0; i < STC_MAX; i++) {
		const char *tags = stats_col_tags_of((enum stats_col)i, r->kind);

		if (!r->v[i])
			continue;
		if (form == STATS_FORM_TYPED) {
			stats_buf_printf(b, "%c.%s.%s.%d.%s.%s:", letter[r->kind],
			                 iid, sid, i, stats_col_name((enum stats_col)i),
			                 pid);
			stats_typed_value(b, tags, stats_col_type[i], r->v[i]);
			continue;
		}
		stats_buf_printf(b, "%s{\"objType\":\"%s\",\"proxyId\":%s,\"id\":%s,"
		                 "\"field\":{\"pos\":%d,\"name\":\"%s\"},"
		                 "\"processNum\":%s,", started ? "," : "",
		                 obj[r->kind], iid, sid, i,
		                 stats_col_name((enum stats_col)i), pid);
		stats_json_value(b, tags, stats_col_type[i], r->v[i]);
		started = 1;
	}
	if (form == STATS_FORM_JSON)
		stats_buf_write(b, "]", 1);
}

void stats_typed_info(struct stats_buf *b, enum stats_form form,
                      const struct stats_field *f, uint32_t n)
{
	if (form == STATS_FORM_JSON)
		stats_buf_write(b, "[", 1);
	for (uint32_t i = 0; i < n; i++) {
		if (form == STATS_FORM_TYPED) {
			stats_buf_printf(b, "%u.%s.1:", f[i].pos, f[i].name);
			stats_typed_value(b, f[i].tags, f[i].type, f[i].value);
			continue;
		}
		stats_buf_printf(b, "%s{\"field\":{\"pos\":%u,\"name\":\"%s\"},"
		                 "\"processNum\":1,", i ? "," : "", f[i].pos,
		                 f[i].name);
		stats_json_value(b, f[i].tags, f[i].type, f[i].value);
	}
	if (form == STATS_FORM_JSON)
		stats_buf_write(b, "]\n", 2);
}
