/* out_json.c — JSON: one document, an array of objects whose keys are the
 * CSV headers; numbers as numbers, empty cells as null, strings escaped per
 * RFC 8259 (UTF-8 passed through). */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static void str(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (c < 0x20)
				fprintf(fp, "\\u%04x", c);
			else
				fputc(c, fp);
		}
	}
	fputc('"', fp);
}

static int is_number(const char *s)
{
	char *end;
	if (!*s)
		return 0;
	strtod(s, &end);
	return *end == '\0' && strcmp(s, "nan") && strcmp(s, "inf") && strcmp(s, "-inf");
}

static void begin(struct out *o)
{
	fputc('[', o->fp);
}

static void row(struct out *o, const char *const *v)
{
	size_t i;
	fputs(o->nrows ? ",\n  {" : "\n  {", o->fp);
	for (i = 0; i < o->ncols; i++) {
		if (i)
			fputs(", ", o->fp);
		str(o->fp, o->cols[i].name);
		fputs(": ", o->fp);
		if (!v[i])
			fputs("null", o->fp);
		else if (o->cols[i].type != COL_STR && is_number(v[i]))
			fputs(v[i], o->fp);
		else if (o->cols[i].type != COL_STR && !*v[i])
			fputs("null", o->fp);
		else
			str(o->fp, v[i]);
	}
	fputc('}', o->fp);
}

static void end(struct out *o)
{
	fputs(o->nrows ? "\n]\n" : "]\n", o->fp);
}

const struct out_writer out_json_writer = { begin, row, end };
