/* import_cues.c — subtitles into a transcript: WebVTT as Zoom writes it
 * ("Name: text" in each cue) and as Teams writes it (<v Name> voice tags,
 * GUID cue ids, a tag's text across lines), and SRT. Consecutive cues of one
 * speaker merge into one turn that keeps the first cue's start and the last
 * cue's end; the stored text is one "Name: text" line per turn. */
#include <stdlib.h>
#include <string.h>

#include "import.h"

struct cue_reader {
	struct qda *h;
	const char *file;
	struct imp_doc *d;
	struct buf text;      /* the transcript being rebuilt */
	struct buf turn;      /* the open turn's text */
	char *speaker;        /* the open turn's speaker (NULL: none named) */
	long long t0, t1;
	int open;
};

/* A time "[H...:]MM:SS.mmm" (or ',' before the milliseconds, as SRT has it)
 * in s[*i..len), in milliseconds into *ms; 0 when it is not one. Hours may
 * be unpadded. A component may carry a minus sign, as Teams' legacy export
 * writes them ("0:0:-2.-150"): the time is then the signed sum, and *odd
 * is set, as it is for minutes or seconds above 59. */
static int parse_time(const char *s, size_t len, size_t *i, long long *ms, int *odd)
{
	long long parts[3] = {0, 0, 0}, frac = 0;
	int n_parts = 0, digits, neg;
	size_t k = *i;
	for (;;) {
		long long v = 0;
		neg = k < len && s[k] == '-';
		k += (size_t)neg;
		digits = 0;
		while (k < len && s[k] >= '0' && s[k] <= '9' && digits < 9) {
			v = v * 10 + (s[k] - '0');
			k++;
			digits++;
		}
		if (digits == 0 || n_parts == 3)
			return 0;
		if (neg)
			*odd = 1;
		parts[n_parts++] = neg ? -v : v;
		if (k < len && s[k] == ':') {
			k++;
			continue;
		}
		break;
	}
	if (n_parts < 2 || k >= len || (s[k] != '.' && s[k] != ','))
		return 0;
	k++;
	neg = k < len && s[k] == '-';
	k += (size_t)neg;
	digits = 0;
	while (k < len && s[k] >= '0' && s[k] <= '9' && digits < 3) {
		frac = frac * 10 + (s[k] - '0');
		k++;
		digits++;
	}
	if (digits == 0)
		return 0;
	while (digits++ < 3)
		frac *= 10;
	if (neg) {
		frac = -frac;
		*odd = 1;
	}
	if (parts[n_parts - 1] > 59 || (n_parts == 3 && parts[1] > 59))
		*odd = 1;
	*i = k;
	if (n_parts == 3)
		*ms = ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000 + frac;
	else
		*ms = (parts[0] * 60 + parts[1]) * 1000 + frac;
	return 1;
}

/* A timing line "START --> END [settings]"; *odd set when it parses but
 * makes no sense (a negative component, the end before the start). */
static int parse_timing(const char *s, size_t len, long long *t0, long long *t1, int *odd)
{
	size_t i = 0;
	*odd = 0;
	while (i < len && s[i] == ' ')
		i++;
	if (!parse_time(s, len, &i, t0, odd))
		return 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i + 3 > len || memcmp(s + i, "-->", 3))
		return 0;
	i += 3;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (!parse_time(s, len, &i, t1, odd))
		return 0;
	if (*t1 < *t0 || *t0 < 0)
		*odd = 1;
	return i == len || s[i] == ' ' || s[i] == '\t';
}

static enum qda_status flush_turn(struct cue_reader *r)
{
	size_t start = r->text.len;
	enum qda_status rc;
	if (!r->open)
		return QDA_OK;
	r->open = 0;
	if (r->turn.len == 0 && !r->speaker)
		return QDA_OK;
	if (r->speaker) {
		if (buf_adds(&r->text, r->speaker) || buf_adds(&r->text, ": "))
			return seterr(r->h, QDA_ENOMEM, "out of memory");
	}
	if (buf_add(&r->text, r->turn.s ? r->turn.s : "", r->turn.len))
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	rc = imp_turn_add(r->h, r->d, r->speaker, r->speaker ? strlen(r->speaker) : 0, start, r->text.len, r->t0, r->t1);
	if (buf_addc(&r->text, '\n'))
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	free(r->speaker);
	r->speaker = NULL;
	r->turn.len = 0;
	return rc;
}

/* Decode the few entities subtitles use and drop tags, appending the cue
 * line's text to out with runs of spaces collapsed. The first voice tag's
 * name goes to *voice (malloc'd) when *voice is NULL. */
static int add_payload(struct buf *out, const char *s, size_t len, char **voice)
{
	size_t i = 0;
	while (i < len) {
		char c = s[i];
		if (c == '<') {
			const char *gt = memchr(s + i, '>', len - i);
			if (!gt)
				break;
			if (s[i + 1] == 'v' && (s[i + 2] == ' ' || s[i + 2] == '.') && voice && !*voice) {
				const char *nm = memchr(s + i, ' ', (size_t)(gt - s) - i);
				if (nm) {
					const char *e = gt;
					nm++;
					while (e > nm && e[-1] == ' ')
						e--;
					if (e > nm && !(*voice = strndup(nm, (size_t)(e - nm))))
						return -1;
				}
			}
			i = (size_t)(gt - s) + 1;
			continue;
		}
		if (c == '&') {
			static const struct { const char *ent, *txt; } ents[] = {
				{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&nbsp;", "\xC2\xA0"},
				{"&lrm;", ""}, {"&rlm;", ""}, {"&quot;", "\""}, {"&apos;", "'"},
			};
			size_t k;
			for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
				size_t n = strlen(ents[k].ent);
				if (i + n <= len && !memcmp(s + i, ents[k].ent, n)) {
					if (buf_adds(out, ents[k].txt))
						return -1;
					i += n;
					break;
				}
			}
			if (k < sizeof ents / sizeof ents[0])
				continue;
		}
		if (c == ' ' || c == '\t') {
			if (out->len > 0 && out->s[out->len - 1] != ' ' && buf_addc(out, ' '))
				return -1;
			i++;
			continue;
		}
		if (buf_addc(out, c))
			return -1;
		i++;
	}
	return 0;
}

/* One cue's text lines s[0..len) (LF-separated): the speaker and the text. */
static enum qda_status add_cue(struct cue_reader *r, const char *s, size_t len, long long t0, long long t1)
{
	struct buf body = {0};
	char *voice = NULL, *speaker = NULL;
	const char *text;
	size_t pos = 0, text_len, nlen, after;
	const char *name;
	enum qda_status rc = QDA_OK;

	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len;
		if (body.len > 0 && body.s[body.len - 1] != ' ' && buf_addc(&body, ' '))
			goto nomem;
		if (add_payload(&body, s + pos, end - pos, &voice))
			goto nomem;
		pos = end < len ? end + 1 : len;
	}
	while (body.len > 0 && body.s[body.len - 1] == ' ')
		body.len--;
	if (buf_addc(&body, '\0'))
		goto nomem;
	body.len--;
	text = body.s;
	text_len = body.len;
	if (voice) {
		speaker = voice;
		voice = NULL;
	} else if (imp_label_cue(text, text_len, &name, &nlen, &after)) {
		if (!(speaker = strndup(name, nlen)))
			goto nomem;
		text += after;
		text_len -= after;
	}
	if (text_len == 0 && !speaker)
		goto done;
	/* A cue without a name continues the open turn. */
	if (r->open && (!speaker || (r->speaker && !strcmp(speaker, r->speaker)))) {
		if (r->turn.len > 0 && text_len > 0 && buf_addc(&r->turn, ' '))
			goto nomem;
		if (buf_add(&r->turn, text, text_len))
			goto nomem;
		if (t1 > r->t1)
			r->t1 = t1;
		goto done;
	}
	if ((rc = flush_turn(r)) != QDA_OK)
		goto done;
	r->open = 1;
	r->speaker = speaker;
	speaker = NULL;
	r->t0 = t0;
	r->t1 = t1;
	r->turn.len = 0;
	if (buf_add(&r->turn, text, text_len))
		goto nomem;
done:
	free(voice);
	free(speaker);
	buf_free(&body);
	return rc;
nomem:
	rc = seterr(r->h, QDA_ENOMEM, "out of memory");
	goto done;
}

/* A paragraph of the open cue's text after a blank line (SRT): a line of
 * its own in the turn. */
static enum qda_status add_paragraph(struct cue_reader *r, const char *s, size_t len)
{
	size_t pos = 0;
	if (buf_addc(&r->turn, '\n'))
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - s) : len;
		if (r->turn.len > 0 && r->turn.s[r->turn.len - 1] != '\n' && r->turn.s[r->turn.len - 1] != ' ' &&
		    buf_addc(&r->turn, ' '))
			return seterr(r->h, QDA_ENOMEM, "out of memory");
		if (add_payload(&r->turn, s + pos, end - pos, NULL))
			return seterr(r->h, QDA_ENOMEM, "out of memory");
		pos = end < len ? end + 1 : len;
	}
	while (r->turn.len > 0 && r->turn.s[r->turn.len - 1] == ' ')
		r->turn.len--;
	return QDA_OK;
}

/* A timing that parses but makes no sense is kept as given, with a warning
 * naming its line: Teams' legacy export writes negative components, noScribe
 * ends some cues before they start. */
static enum qda_status timing_warning(struct cue_reader *r, size_t line, const char *s, size_t len, long long t0,
                                      long long t1)
{
	char *loc = loc_at(r->file, line, 0);
	if (!loc)
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	warnf(r->h, loc, "cue timing '%.*s' makes no sense (%s); kept as given", (int)utf8_prefix(s, len, 80), s,
	      t0 < 0 ? "a negative time" : t1 < t0 ? "it ends before it starts" : "minutes or seconds above 59");
	free(loc);
	return QDA_OK;
}

static enum qda_status timing_error(struct cue_reader *r, size_t line, const char *s, size_t len, int vtt)
{
	char *loc = loc_at(r->file, line, 0);
	enum qda_status rc;
	if (!loc)
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	rc = seterr_at(r->h, QDA_EINPUT, loc, "bad cue timing '%.*s'; a cue's timing line reads %s",
	               (int)utf8_prefix(s, len, 80), s,
	               vtt ? "00:01:02.500 --> 00:01:05.000" : "00:01:02,500 --> 00:01:05,000");
	free(loc);
	return rc;
}

enum qda_status imp_read_cues(struct qda *h, const char *file, const char *s, size_t len, int vtt,
                              struct imp_doc *d)
{
	struct cue_reader r = {h, file, d, {0}, {0}, NULL, 0, 0, 0};
	size_t pos = 0, line = 0;
	enum qda_status rc = QDA_OK;

	if (vtt) {
		const char *nl = memchr(s, '\n', len);
		size_t end = nl ? (size_t)(nl - s) : len;
		if (end < 6 || memcmp(s, "WEBVTT", 6) || (end > 6 && s[6] != ' ' && s[6] != '\t')) {
			char *loc = loc_at(file, 1, 0);
			if (!loc)
				return seterr(h, QDA_ENOMEM, "out of memory");
			rc = seterr_at(h, QDA_EINPUT, loc,
			               "not a WebVTT file: its first line must be WEBVTT; give the format with --format "
			               "txt if it is plain text");
			free(loc);
			return rc;
		}
		pos = end < len ? end + 1 : len;
		line = 1;
	}
	while (pos < len) {
		/* One block: lines up to a blank line. */
		size_t bstart = pos, bline = line + 1, k, first_end, timing_line = 0, tstart = 0, tend = 0;
		size_t nlines = 0;
		int skip = 0, odd = 0;
		long long t0 = 0, t1 = 0;
		while (pos < len) {
			const char *nl = memchr(s + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - s) : len;
			int blank = 1;
			line++;
			for (k = pos; k < end; k++)
				if (s[k] != ' ' && s[k] != '\t') {
					blank = 0;
					break;
				}
			if (blank) {
				pos = end < len ? end + 1 : len;
				if (nlines == 0) {
					bstart = pos;
					bline = line + 1;
					continue;
				}
				break;
			}
			if (nlines == 0 && vtt &&
			    ((end - pos >= 4 && !memcmp(s + pos, "NOTE", 4) && (end - pos == 4 || s[pos + 4] == ' ')) ||
			     (end - pos >= 5 && !memcmp(s + pos, "STYLE", 5)) || (end - pos >= 6 && !memcmp(s + pos, "REGION", 6))))
				skip = 1;
			if (!skip && !timing_line && nlines < 2 && memmem(s + pos, end - pos, "-->", 3)) {
				timing_line = line;
				tstart = pos;
				tend = end;
			}
			nlines++;
			pos = end < len ? end + 1 : len;
		}
		if (nlines == 0 || skip)
			continue;
		if (!timing_line && !vtt && r.open) {
			/* SRT: a paragraph that is not a cue (no number and timing
			 * line) is a cue's text going on after a blank line */
			size_t e = pos;
			while (e > bstart && (s[e - 1] == '\n' || s[e - 1] == ' '))
				e--;
			if ((rc = add_paragraph(&r, s + bstart, e - bstart)) != QDA_OK)
				goto done;
			continue;
		}
		if (!timing_line) {
			const char *nl = memchr(s + bstart, '\n', len - bstart);
			first_end = nl ? (size_t)(nl - s) : len;
			/* The cue's second line (or first) should be its timing. */
			if (nlines >= 2) {
				size_t l2 = first_end + 1;
				const char *nl2 = memchr(s + l2, '\n', len - l2);
				size_t e2 = nl2 ? (size_t)(nl2 - s) : len;
				rc = timing_error(&r, bline + 1, s + l2, e2 - l2, vtt);
			} else {
				rc = timing_error(&r, bline, s + bstart, first_end - bstart, vtt);
			}
			goto done;
		}
		if (!parse_timing(s + tstart, tend - tstart, &t0, &t1, &odd)) {
			rc = timing_error(&r, timing_line, s + tstart, tend - tstart, vtt);
			goto done;
		}
		if (odd && (rc = timing_warning(&r, timing_line, s + tstart, tend - tstart, t0, t1)) != QDA_OK)
			goto done;
		{
			/* The payload: the lines after the timing line, up to the block's end. */
			size_t p = tend + 1, e = pos;
			while (e > p && (s[e - 1] == '\n' || s[e - 1] == ' '))
				e--;
			if (p < e && (rc = add_cue(&r, s + p, e - p, t0, t1)) != QDA_OK)
				goto done;
		}
	}
	if ((rc = flush_turn(&r)) != QDA_OK)
		goto done;
	if (buf_addc(&r.text, '\0')) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	d->len = r.text.len - 1;
	d->text = buf_take(&r.text);
done:
	free(r.speaker);
	buf_free(&r.text);
	buf_free(&r.turn);
	return rc;
}
